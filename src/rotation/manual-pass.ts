/**
 * What the hourly retirement pass does for a rotation parked on manual consumers: the daily reminder of who is
 * still pending, the overdue alert once after `alarmAfterDays` (plus the ManualConsumersWaitingDays gauge the
 * CloudWatch alarm reads), and the safety net of the resume: when everyone confirmed but the rotation is still
 * pending a quarter of an hour later (the confirming CLI could not re-attempt it), it re-attempts it.
 */
import { LAMBDA_MAX_TIMEOUT_MS } from './config-regions';
import type { RotationDeps } from './deps';
import { manualProgress, notice, overdueDue, reminderDue, waitingDays } from './manual-wait';

/** A step runs at most Lambda's longest timeout: a resume younger than that may still be running. */
const RESUME_GRACE_MS = LAMBDA_MAX_TIMEOUT_MS;

/** What the pass found about the manual consumers of the pending version. */
export interface ManualPassReport {
  readonly pending: readonly string[];
  readonly waitingDays: number;
  readonly action: 'none' | 'reminded' | 'overdue' | 'reattempted';
}

/**
 * Runs the manual-consumer part of one pass while `versionId` is pending. Reminder and overdue alert are claimed
 * with a compare-and-set before they are sent: two concurrent passes never both send; a crash between claim and
 * send loses that one message (the next reminder follows a day later, the gauge keeps the alarm on).
 * @returns undefined when the rotation does not wait for manual consumers
 */
export async function manualPass(
  deps: RotationDeps,
  secretArn: string,
  versionId: string,
): Promise<ManualPassReport | undefined> {
  const { registry, clock, log, notifier, config, secrets } = deps;
  if (!registry || !config.manualConsumers) return undefined;
  const state = await registry.waitState(secretArn, versionId);
  if (!state) return undefined;
  const now = clock.now();
  const progress = manualProgress(
    await registry.consumers(secretArn),
    await registry.confirmations(secretArn, versionId),
    versionId,
  );
  const days = waitingDays(state, now);
  const pending = progress.pending.map((c) => c.name);
  if (pending.length === 0) {
    const last = Math.max(0, ...progress.confirmed.map((c) => Date.parse(c.confirmedAt)));
    if (now - last < RESUME_GRACE_MS) return { pending, waitingDays: days, action: 'none' };
    const reattempted = await secrets.reattempt(secretArn);
    log.info('every manual consumer confirmed: re-attempted the pending rotation', {
      event: 'manual-consumers-resume',
      versionId,
      reattempted,
    });
    return { pending, waitingDays: days, action: 'reattempted' };
  }
  log.info('rotation waits for manual consumers', {
    event: 'manual-consumers-pending',
    versionId,
    pending,
    waitingDays: Math.round(days * 10) / 10,
  });
  if (overdueDue(state, now, config.manualConsumers.alarmAfterDays)) {
    if (await registry.markWait(secretArn, versionId, 'overdueAt', new Date(now), undefined)) {
      log.error('manual consumers overdue', { event: 'manual-consumers-overdue', versionId, pending });
      await notifier?.manualConsumers?.(notice(secretArn, versionId, 'overdue', progress, state));
      return { pending, waitingDays: days, action: 'overdue' };
    }
  }
  if (reminderDue(state, now)) {
    if (await registry.markWait(secretArn, versionId, 'lastReminderAt', new Date(now), state.lastReminderAt)) {
      await notifier?.manualConsumers?.(notice(secretArn, versionId, 'reminder', progress, state));
      return { pending, waitingDays: days, action: 'reminded' };
    }
  }
  return { pending, waitingDays: days, action: 'none' };
}
