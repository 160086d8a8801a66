import { randomUUID } from 'node:crypto';
import type { HandlerOverrides, RotationHandler } from '../handler-core';
import { STEPS, type Step } from '../rotation/event';
import type { SandboxAccount } from './account';
import { recordingOverrides, sandboxHandler } from './sandbox-handler';

/** How one invocation ended. */
export interface InvocationOutcome {
  readonly attempt: number;
  readonly step: Step;
  readonly result: 'ok' | 'crashed' | 'failed';
  readonly error?: Error;
}

/** The whole rotation as Secrets Manager ran it. */
export interface RotationRun {
  readonly token: string;
  readonly succeeded: boolean;
  readonly attempts: number;
  readonly invocations: readonly InvocationOutcome[];
}

/** Options of {@link runRotation}. */
export interface DriverOptions {
  /** How many times Secrets Manager runs the whole rotation before giving up (default 5). */
  readonly maxAttempts?: number;
  /** Lambda timeout of each invocation in (virtual) milliseconds (default 15 min). */
  readonly timeoutMs?: number;
  /** Virtual time between attempts (default 1 min). */
  readonly retryDelayMs?: number;
  readonly handler?: Omit<HandlerOverrides, 'env' | 'clock'>;
  readonly env?: NodeJS.ProcessEnv;
  /** Called after every invocation (progress display, invariant checks). */
  readonly onInvocation?: (outcome: InvocationOutcome) => void;
  /** Called before every attempt after the first (lets a test or the demo "fix a host"). */
  readonly beforeRetry?: (attempt: number) => void;
  /** Called before every invocation (lets the demo plan a crash inside one step). */
  readonly beforeInvocation?: (step: Step, attempt: number) => void;
  /** Returns true to lose an invocation entirely, as if its container died before doing anything. */
  readonly loseInvocation?: (step: Step, attempt: number) => boolean;
}

/**
 * Plays Secrets Manager: starts a rotation (RotateSecret creates the pending version without a value) and invokes
 * the real Lambda handler once per step; on any failure it starts again at createSecret with the same token, up to
 * `maxAttempts` times. A crash (the recorder's `crash` fault) kills the invocation and its container: the next
 * invocation gets a fresh handler, as a new Lambda container would.
 */
export async function runRotation(account: SandboxAccount, options: DriverOptions = {}): Promise<RotationRun> {
  const token = randomUUID();
  account.secrets.rotateSecret({ SecretId: account.secrets.arn, ClientRequestToken: token });
  return continueRotation(account, token, options);
}

/** Re-runs an already started rotation (same token), as Secrets Manager's retries do. */
export async function continueRotation(
  account: SandboxAccount,
  token: string,
  options: DriverOptions = {},
): Promise<RotationRun> {
  const maxAttempts = options.maxAttempts ?? 5;
  const timeoutMs = options.timeoutMs ?? 900_000;
  const invocations: InvocationOutcome[] = [];
  const newHandler = () =>
    sandboxHandler({
      ...recordingOverrides(account),
      ...options.handler,
      env: account.env(options.env),
      clock: account.clock,
    });
  let handler = await newHandler();
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (attempt > 1) {
      account.clock.advance(options.retryDelayMs ?? 60_000);
      options.beforeRetry?.(attempt);
    }
    let failed = false;
    for (const step of STEPS) {
      options.beforeInvocation?.(step, attempt);
      const outcome = options.loseInvocation?.(step, attempt)
        ? { attempt, step, result: 'crashed' as const }
        : await invoke(account, handler, step, token, timeoutMs, attempt);
      invocations.push(outcome);
      options.onInvocation?.(outcome);
      if (outcome.result === 'crashed') handler = await newHandler();
      if (outcome.result !== 'ok') {
        failed = true;
        break;
      }
    }
    if (!failed) {
      account.secrets.markRotated();
      return { token, succeeded: true, attempts: attempt, invocations };
    }
  }
  return { token, succeeded: false, attempts: maxAttempts, invocations };
}

async function invoke(
  account: SandboxAccount,
  handler: RotationHandler,
  step: Step,
  token: string,
  timeoutMs: number,
  attempt: number,
): Promise<InvocationOutcome> {
  const started = account.clock.now();
  const context = { getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (account.clock.now() - started)) };
  const event = { Step: step, SecretId: account.secrets.arn, ClientRequestToken: token };
  let onCrash: () => void = () => undefined;
  const crashed = new Promise<'crashed'>((resolve) => (onCrash = () => resolve('crashed')));
  account.recorder.onCrash(() => onCrash());
  try {
    const result = await Promise.race([handler(event, context).then(() => 'ok' as const), crashed]);
    return { attempt, step, result };
  } catch (error) {
    return { attempt, step, result: 'failed', error: error as Error };
  } finally {
    onCrash = () => undefined;
  }
}
