/**
 * What to say about the abandon push (the SSM command that pushes AWSCURRENT back), in one place: `rotate --abandon`
 * says it when its push did not finish, and `status` says it about the abandon push it finds, so the operator reads
 * the same problem and the same next step from both. Pure.
 */
import type { PushOutcome } from './push-state';

/** Why an unfinished abandon leaves every relay on a working key. */
export const ABANDON_KEEPS =
  'Nothing was deleted: AWSPENDING and the pending key are kept, so every relay still holds a working key ' +
  '(the pending one or AWSCURRENT).';

const RESEND = 'then run rotate --abandon again: it sends a new command to every target.';

/** The abandon push as both callers know it: from the fleet's error (abandon) or from Run Command (status). */
export interface AbandonPushState {
  readonly outcome: PushOutcome;
  readonly commandId: string;
  readonly completed: number;
  readonly targets: number;
  /** Why it failed (phrases naming hosts and states); empty unless it failed. */
  readonly reasons: readonly string[];
  readonly firstError?: string;
}

/** The problem and the steps that follow it. */
export interface AbandonAdvice {
  readonly problem: string;
  readonly next: readonly string[];
}

/** The problem of an abandon push and what to do next, by its outcome. */
export function abandonPushAdvice(secretId: string, push: AbandonPushState): AbandonAdvice {
  const command = `the push of AWSCURRENT (SSM command ${push.commandId})`;
  const rerun = `Run ses-smtp-rotation rotate --abandon --secret-id ${secretId} again`;
  switch (push.outcome) {
    case 'running':
      return {
        problem: `${command} is still running: ${push.completed}/${push.targets} hosts done`,
        next: [ABANDON_KEEPS, `${rerun}: it keeps waiting on the same command.`],
      };
    case 'succeeded':
      // The runner's next step after a confirmed push: the fleet finds the command confirmed and does not resend.
      return {
        problem: `every target confirmed ${command}, but AWSPENDING is still set`,
        next: [`${rerun}: it does not push again; it deletes the pending key and clears AWSPENDING.`],
      };
    case 'no-targets':
      return {
        problem: `${command} reached no target: ${push.reasons.join('; ')}`,
        next: [ABANDON_KEEPS, `Make the targets match the relays (tags or instance ids, SSM Agent online), ${RESEND}`],
      };
    case 'failed':
      return {
        problem:
          `${command} did not reach every target: ${push.reasons.join('; ')}` +
          (push.firstError ? `; first error: ${push.firstError}` : ''),
        next: [ABANDON_KEEPS, `Fix the hosts named, ${RESEND}`],
      };
  }
}

/** An abandon push the rotation overtook: a push of the pending version was sent after it. */
export function staleAbandonAdvice(abandonCommandId: string, rotationCommandId: string): AbandonAdvice {
  return {
    problem:
      `the abandon push (SSM command ${abandonCommandId}) is out of date: the rotation pushed the pending version ` +
      `after it (SSM command ${rotationCommandId}), so relays may hold the pending key again`,
    next: [ABANDON_KEEPS, `Once no push of the pending version runs, ${RESEND}`],
  };
}
