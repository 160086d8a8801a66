/**
 * What the operator should do, as text: the unfinished-rotation explanation (`rotate`, `status`) and the
 * follow-up after a failed or timed-out wait. Pure, so every message is tested on its own.
 */
import type { SecretState } from './secret-state';

/** The "a previous rotation is not complete" explanation, one line per item. */
export function unfinishedRotationAdvice(secretId: string, state: SecretState): string[] {
  return [
    `a previous rotation is not complete: AWSPENDING is on version ${state.pending ?? '?'}, AWSCURRENT on ` +
      `${state.current ?? '(none)'}. Secrets Manager refuses to start another rotation until that one completes.`,
    'What to do:',
    `  1. See where it stopped: ses-smtp-rotation status --secret-id ${secretId} (the push of the pending version ` +
      "and the hosts that failed), and the rotation function's log.",
    "  2. Fix the cause (the hosts named there, their SSM Agent, the SMTP endpoint, the function's settings).",
    '  3. Let it resume: Secrets Manager retries the unfinished rotation with the same version, and the function ' +
      'resumes it: no new key is minted, the pending version is pushed again to every host and promoted only when ' +
      'all confirmed. `aws secretsmanager rotate-secret --secret-id <id>` asks for the retry now (it answers "A ' +
      'previous rotation isn\'t complete. That rotation will be reattempted.").',
    '  4. Never remove AWSPENDING by hand while some hosts may already hold the pending key: they would keep a key ' +
      'the secret no longer records. To abandon the rotation instead, run ses-smtp-rotation rotate --abandon ' +
      `--secret-id ${secretId}: it pushes the AWSCURRENT version back to every host first.`,
  ];
}

/** Said after `rotate --wait` stopped before completion. */
export function stillRunningAdvice(secretId: string): string {
  return (
    'The rotation may still complete: Secrets Manager keeps retrying it, and nothing is promoted until every host ' +
    `confirmed (the old key stays valid). Check with: ses-smtp-rotation status --secret-id ${secretId}`
  );
}
