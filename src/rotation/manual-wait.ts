/**
 * The wait for manual consumers: after every SSM target confirmed, the rotation is promoted only once every
 * registered manual consumer confirmed this very version. While someone is pending, finishSecret asks once,
 * records the wait and returns WITHOUT promoting (see README "Consumers the push cannot reach": a failing step
 * would be retried a few times by Secrets Manager, reported as failed, and then left). The last confirmation
 * re-attempts the pending rotation; the hourly pass reminds daily and alerts once after `alarmAfterDays`.
 */
import type { ManualConfirmation, ManualConsumer, ManualWaitState } from '../core/manual-consumer';
import type { RotationDeps } from './deps';
import type { ManualConsumersNotice } from './ports';
import { DAY_MS } from './retirement-policy';

/** Who has and who has not confirmed one version. */
export interface ManualProgress {
  readonly consumers: readonly ManualConsumer[];
  /** Registered consumers without a confirmation for this version, in name order. */
  readonly pending: readonly ManualConsumer[];
  /** Confirmations of registered consumers for this version (a removed consumer's confirmation does not count). */
  readonly confirmed: readonly ManualConfirmation[];
}

/** Pure: a confirmation counts only for its own version and only for a consumer still registered. */
export function manualProgress(
  consumers: readonly ManualConsumer[],
  confirmations: readonly ManualConfirmation[],
  versionId: string,
): ManualProgress {
  const forVersion = confirmations.filter((c) => c.versionId === versionId);
  const byName = new Map(forVersion.map((c) => [c.consumer, c]));
  const sorted = [...consumers].sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    consumers: sorted,
    pending: sorted.filter((c) => !byName.has(c.name)),
    confirmed: sorted.flatMap((c) => {
      const confirmation = byName.get(c.name);
      return confirmation ? [confirmation] : [];
    }),
  };
}

/** The exact steps a person follows for one consumer; shared by the notification and the CLI. */
export function switchSteps(secretArn: string, names: readonly string[]): string[] {
  const consumer = names.length === 1 ? shellWord(names[0] ?? '') : '<NAME>';
  return [
    `1. With your own AWS identity (CloudTrail records the read), show the new credential:`,
    `   ses-smtp-rotation credential show --secret-id ${secretArn} --pending --reveal`,
    '2. Configure the system with the SMTP user name and password shown (same endpoint and port), and send a test mail.',
    '3. Confirm (records your IAM identity and the time; the old key stays active until everyone confirmed):',
    `   ses-smtp-rotation confirm --secret-id ${secretArn} --consumer ${consumer} [--note "ticket CHG-1234"]`,
  ];
}

/** Quotes a name for a shell command line when it needs it. */
export function shellWord(text: string): string {
  return /^[\w.@:/-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** What the gate decided for one finishSecret. */
export type ManualGate =
  | { readonly kind: 'none' }
  | { readonly kind: 'confirmed'; readonly confirmed: readonly ManualConfirmation[] }
  | { readonly kind: 'waiting'; readonly progress: ManualProgress; readonly state: ManualWaitState };

/**
 * Decides whether finishSecret may promote `versionId`. With no registry or no consumers: `none` (exactly the
 * behaviour without this feature). Every consumer confirmed, or the version already `promoted` (it passed the gate
 * then; a consumer registered since must not stop the retirement a crash interrupted): `confirmed`, with whoever
 * confirmed. Otherwise records the wait, sends the one request notification (at least once: a crash between
 * publishing and recording repeats it) and returns `waiting`.
 */
export async function manualGate(
  deps: RotationDeps,
  secretArn: string,
  versionId: string,
  promoted: boolean,
): Promise<ManualGate> {
  const { registry, notifier, clock, log } = deps;
  if (!registry) return { kind: 'none' };
  const consumers = await registry.consumers(secretArn);
  if (consumers.length === 0) return { kind: 'none' };
  const progress = manualProgress(consumers, await registry.confirmations(secretArn, versionId), versionId);
  if (progress.pending.length === 0 || promoted) return { kind: 'confirmed', confirmed: progress.confirmed };
  const now = new Date(clock.now());
  let state = await registry.startWait(secretArn, versionId, now);
  if (state.notifiedAt === undefined) {
    await notifier?.manualConsumers?.(notice(secretArn, versionId, 'requested', progress, state));
    if (await registry.markWait(secretArn, versionId, 'notifiedAt', now, undefined)) {
      state = { ...state, notifiedAt: now.toISOString() };
    }
  }
  log.info('waiting for manual consumers: not promoted, the old key stays active', {
    event: 'manual-consumers-pending',
    versionId,
    pending: progress.pending.map((c) => c.name),
    confirmed: progress.confirmed.map((c) => c.consumer),
    waitingSince: state.waitingSince,
  });
  return { kind: 'waiting', progress, state };
}

/** Builds a notice; the same text serves the request, the reminder and the overdue alert. */
export function notice(
  secretArn: string,
  versionId: string,
  kind: ManualConsumersNotice['kind'],
  progress: ManualProgress,
  state: ManualWaitState,
): ManualConsumersNotice {
  return {
    secretArn,
    versionId,
    kind,
    pending: progress.pending,
    confirmed: progress.confirmed,
    waitingSince: state.waitingSince,
    steps: switchSteps(
      secretArn,
      progress.pending.map((c) => c.name),
    ),
  };
}

/** Pure: whether the daily reminder is due (a day after the request or the last reminder). */
export function reminderDue(state: ManualWaitState, now: number): boolean {
  const last = state.lastReminderAt ?? state.notifiedAt ?? state.waitingSince;
  return now - Date.parse(last) >= DAY_MS;
}

/** Pure: days waited so far. */
export function waitingDays(state: ManualWaitState, now: number): number {
  return Math.max(0, (now - Date.parse(state.waitingSince)) / DAY_MS);
}

/** Pure: whether the overdue alert is due (once, after `alarmAfterDays`). */
export function overdueDue(state: ManualWaitState, now: number, alarmAfterDays: number): boolean {
  return state.overdueAt === undefined && waitingDays(state, now) >= alarmAfterDays;
}
