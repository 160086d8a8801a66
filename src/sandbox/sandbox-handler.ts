import { createRotationHandler, type HandlerOverrides, type RotationHandler } from '../handler-core';
import type { SandboxAccount } from './account';

/** Overrides that record the handler's log and metrics in the account, as the drivers run it. */
export function recordingOverrides(account: SandboxAccount): HandlerOverrides {
  return {
    log: account.log(),
    recordMetrics: (hostsUpdated, durationSeconds) =>
      void account.metrics.push({ hostsUpdated, ...(durationSeconds !== undefined ? { durationSeconds } : {}) }),
    recordRetirementMetrics: (m) => void account.retirementMetrics.push(m),
  };
}

/**
 * A fresh handler (a new Lambda container). With a log override Powertools' logger is never loaded (its metrics
 * load only when a metric is left to them); `log: undefined` (a test of the production output) selects the
 * production handler.
 */
export async function sandboxHandler(overrides: HandlerOverrides): Promise<RotationHandler> {
  const { log } = overrides;
  if (log) return createRotationHandler({ ...overrides, log });
  return (await import('../handler')).createHandler(overrides);
}
