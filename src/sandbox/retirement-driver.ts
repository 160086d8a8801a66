import type { HandlerOverrides } from '../handler-core';
import type { RetirementReport } from '../rotation/retire-pass';
import type { SandboxAccount } from './account';
import { recordingOverrides, sandboxHandler } from './sandbox-handler';

/** How one retirement pass ended. */
export type PassOutcome =
  | { readonly result: 'ok'; readonly report: RetirementReport }
  | { readonly result: 'crashed' }
  | { readonly result: 'failed'; readonly error: Error };

/**
 * Plays EventBridge's hourly schedule: invokes the real handler with `{"action":"retire","secretId":…}` in a fresh
 * container, as Lambda would. A planned crash (the recorder's `crash` fault) ends the invocation there.
 */
export async function runRetirementPass(
  account: SandboxAccount,
  options: { env?: NodeJS.ProcessEnv; handler?: Omit<HandlerOverrides, 'env' | 'clock'>; event?: unknown } = {},
): Promise<PassOutcome> {
  const handler = await sandboxHandler({
    ...recordingOverrides(account),
    ...options.handler,
    env: account.env(options.env),
    clock: account.clock,
    log: account.log(),
  });
  const context = { getRemainingTimeInMillis: () => 60_000 };
  let onCrash: () => void = () => undefined;
  const crashed = new Promise<'crashed'>((resolve) => (onCrash = () => resolve('crashed')));
  account.recorder.onCrash(() => onCrash());
  try {
    const event = options.event ?? { action: 'retire', secretId: account.secrets.arn };
    const result = await Promise.race([handler(event, context), crashed]);
    if (result === 'crashed') return { result: 'crashed' };
    return { result: 'ok', report: result as RetirementReport };
  } catch (error) {
    return { result: 'failed', error: error as Error };
  }
}
