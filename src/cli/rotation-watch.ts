/**
 * Follows one rotation from the outside, as `rotate --wait` does: polls what Secrets Manager, SSM and IAM show and
 * reports each step once it is reached — created (the pending value is stored), pushing (the SSM command for the
 * version exists; hosts done x/N), promoted (AWSCURRENT moved), retired (the user is down to one key: complete).
 * A push that settled with failed hosts ends the watch with the hosts named; a step that failed before the push
 * (the function's `step failed` line) ends it with the step, the reason and the fix.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { AccessKeys } from '../aws/access-keys';
import type { Clock } from '../core/clock';
import { maskKeyId } from '../core/mask';
import { awsCall } from './aws-errors';
import { when } from './format';
import type { FailureLookup, StepFailure } from './function-log';
import { failedHostLines, findPushCommand, progressPhrase, viewPush, type PushView } from './push-state';
import { readSecretState, readVersionContent, userOf, type SecretState } from './secret-state';

/** The steps a watched rotation reaches, in order. */
export type WatchStep = 'created' | 'pushing' | 'promoted' | 'retired';

/** How a watch ended. */
export type WatchOutcome =
  'complete' | 'waiting-for-people' | 'push-failed' | 'step-failed' | 'timeout' | 'interrupted';

/** What the watch saw. */
export interface WatchResult {
  readonly outcome: WatchOutcome;
  readonly steps: readonly { step: WatchStep; at: string }[];
  readonly push?: PushView;
  /** The function's own failure line, when a step failed before the push. */
  readonly failure?: StepFailure;
  readonly problems: readonly string[];
  /** When the rotation waits for manual consumers: who, and the steps they owe (first line says who). */
  readonly waiting?: readonly string[];
}

/** What to watch and with what. */
export interface WatchRequest {
  readonly secrets: SecretsManagerClient;
  readonly ssm: SSMClient;
  readonly iam: IAMClient;
  readonly clock: Clock;
  readonly secretArn: string;
  readonly versionId: string;
  /** The SSM document the function pushes with (undefined: the push is not followed). */
  readonly documentName?: string;
  /** The SES user (undefined: learnt from the pending value). */
  readonly iamUserName?: string;
  readonly pollIntervalMs: number;
  /** Epoch milliseconds after which the watch gives up. */
  readonly deadline: number;
  /** Receives one progress line at a time (never a secret). */
  readonly onProgress: (line: string) => void;
  /** Looks for the function's failure line of the version (undefined: not looked for). */
  readonly findFailure?: () => Promise<FailureLookup>;
  /** Receives a warning once (e.g. the function's log could not be read). */
  readonly onWarning?: (line: string) => void;
  /**
   * After every host confirmed: whether the function now waits for manual consumers (the lines `status` shows;
   * empty when it does not). Undefined: not looked for (no registry).
   */
  readonly findManualWait?: (state: SecretState) => Promise<readonly string[]>;
  /** Ends the watch at the next poll or sleep (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** The region of the SSM calls, for error messages. */
  readonly region?: string;
}

/** Polls until the rotation completes, its push fails, or the deadline passes. */
export async function watchRotation(request: WatchRequest): Promise<WatchResult> {
  const { clock, versionId, onProgress } = request;
  const steps: { step: WatchStep; at: string }[] = [];
  const reached = (step: WatchStep) => steps.some((s) => s.step === step);
  const reach = (step: WatchStep, line: string) => {
    steps.push({ step, at: when(new Date(clock.now())) });
    onProgress(`${step}: ${line}`);
  };
  let userName = request.iamUserName;
  let push: PushView | undefined;
  let lastProgress = '';
  const warned = new Set<string>();
  const interrupted = (): WatchResult => ({
    outcome: 'interrupted',
    steps,
    ...(push ? { push } : {}),
    problems: ['interrupted (Ctrl-C) before the rotation completed'],
  });
  for (;;) {
    if (request.signal?.aborted) return interrupted();
    if (!reached('created')) {
      const content = await readVersionContent(request.secrets, request.secretArn, versionId);
      if (content.kind === 'credential') {
        userName ??= userOf(content);
        reach('created', `the new credential (key ${maskKeyId(content.credential.username)}) is stored as AWSPENDING`);
      }
    }
    if (reached('created') && request.documentName !== undefined && !reached('promoted')) {
      const command = await findPushCommand(request.ssm, {
        documentName: request.documentName,
        versionId,
        now: clock.now(),
        ...(request.region ? { region: request.region } : {}),
      });
      if (command) {
        push = await viewPush(request.ssm, versionId, command, request.region);
        if (!reached('pushing')) reach('pushing', `SSM command ${push.commandId} sent to the hosts`);
        const progress = `  ${progressPhrase(push)}`;
        if (progress !== lastProgress) onProgress(progress);
        lastProgress = progress;
        if (push.outcome === 'failed' || push.outcome === 'no-targets') {
          return { outcome: 'push-failed', steps, push, problems: [...push.problems] };
        }
      }
    }
    if (!reached('pushing') && request.findFailure) {
      // Before the push, a failing step leaves no trace outside the function: its log line is the only answer.
      const lookup = await request.findFailure();
      if (lookup.kind === 'failed') {
        const f = lookup.failure;
        return {
          outcome: 'step-failed',
          steps,
          failure: f,
          problems: [`rotation failed before the push: step ${f.step} failed at ${f.at}: ${f.errorName}: ${f.reason}`],
        };
      }
      if (lookup.kind === 'unreadable' && !warned.has(lookup.problem)) {
        warned.add(lookup.problem);
        request.onWarning?.(lookup.problem);
      }
    }
    const state = await readSecretState(request.secrets, request.secretArn);
    if (!reached('promoted') && state.current === versionId) {
      if (!reached('created')) reach('created', 'the new credential is stored');
      reach('promoted', `AWSCURRENT moved to version ${versionId}`);
    }
    if (!reached('promoted') && push?.outcome === 'succeeded' && request.findManualWait) {
      // Every host confirmed but nothing was promoted: the function may be waiting for people, for days.
      const waiting = await request.findManualWait(state);
      if (waiting.length > 0) return { outcome: 'waiting-for-people', steps, push, problems: [], waiting };
    }
    if (reached('promoted') && userName !== undefined) {
      const user = userName;
      const keys = await awsCall({ action: 'iam:ListAccessKeys', resource: `user ${user}` }, () =>
        new AccessKeys(request.iam).list(user),
      );
      if (keys.length === 1) {
        reach('retired', `old key retired; ${userName} holds one key (${maskKeyId(keys[0]?.id ?? '')}): complete`);
        return { outcome: 'complete', steps, ...(push ? { push } : {}), problems: [] };
      }
      // Staged retirement: the rotation is complete (Secrets Manager recorded it) with the old key still active.
      const created = state.versions.find((v) => v.versionId === versionId)?.created;
      if (state.lastRotatedDate && created && state.lastRotatedDate.getTime() >= created.getTime()) {
        const old = keys.filter((k) => k.created.getTime() < created.getTime()).map((k) => maskKeyId(k.id));
        reach(
          'retired',
          `old key ${old.join(', ')} retiring (staged): the hourly pass deactivates, then deletes it; ` +
            'see ses-smtp-rotation retire: complete',
        );
        return { outcome: 'complete', steps, ...(push ? { push } : {}), problems: [] };
      }
    }
    if (clock.now() >= request.deadline) {
      const last = steps.at(-1)?.step ?? 'started';
      return {
        outcome: 'timeout',
        steps,
        ...(push ? { push } : {}),
        problems: [`not complete by the timeout (last step reached: ${last})`],
      };
    }
    await sleepUnlessAborted(
      clock,
      Math.min(request.pollIntervalMs, Math.max(0, request.deadline - clock.now())) || 1,
      request.signal,
    );
  }
}

/** Sleeps, or returns early when the signal aborts. */
async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return clock.sleep(ms);
  if (signal.aborted) return;
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<void>((resolve) => (onAbort = resolve));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([clock.sleep(ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Lines naming the failed hosts of a push, for the failure report. */
export function pushFailureLines(push: PushView): string[] {
  const lines = failedHostLines(push);
  if (lines.length === 0) lines.push(...push.problems);
  if (push.firstError) lines.push(`first error: ${push.firstError}`);
  return lines;
}
