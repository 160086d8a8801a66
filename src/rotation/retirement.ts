/**
 * Retirement of the old key, decided from IAM and the secret alone (pure; no I/O, no database).
 *
 * Source of truth for "when every target confirmed": the secret's `LastRotatedDate` (DescribeSecret), which
 * Secrets Manager sets when a rotation completed successfully, i.e. after finishSecret returned, which it does only
 * after every targeted host confirmed the new version and AWSCURRENT moved to it. It is used only when it is not
 * older than the AWSCURRENT version's creation; otherwise the current version did not come from a completed
 * rotation and nothing is retired. It is never earlier than the real confirmation (by the seconds finishSecret
 * needs after the push), so windows measured from it are never shorter than configured.
 */
import { maskKeyId } from '../core/mask';
import { LAST_USED_REPORTING_DELAY_MS, formatWindow, type RetirementPolicy } from './retirement-policy';

/** Tags on the secret through which the CLI (or an operator in the console) talks to the function. */
export const RETIREMENT_TAGS = {
  /** Set before RotateSecret: this rotation is an emergency (leaked key); cleared by finishSecret. */
  emergency: 'ses-smtp-rotation:emergency',
  /**
   * Set before RotateSecret: this routine rotation deletes the old keys once every target confirmed, whatever the
   * installation's policy (a held key still stops it, unlike an emergency); cleared by finishSecret.
   */
  immediate: 'ses-smtp-rotation:immediate-retirement',
  /** `paused <key id>` after `retire --reactivate`; `resumed <ISO time> <key id>` after `retire --resume`. */
  control: 'ses-smtp-rotation:retirement',
  /** The key whose "still in use" alert was sent (one alert per key, not one per hourly pass). */
  heldAlerted: 'ses-smtp-rotation:held-alerted',
} as const;

/** What IAM says about the old key's last use. */
export interface LastUse {
  readonly date: Date;
  readonly service?: string;
  readonly region?: string;
}

/** An old key: neither in AWSCURRENT nor in AWSPENDING, created before every target confirmed. */
export interface RetiringKey {
  readonly id: string;
  readonly status: string;
  readonly created: Date;
  readonly lastUse?: LastUse;
}

/** Operator control read from the secret's tags. */
export interface RetirementControl {
  /** The operator reactivated the key (`retire --reactivate`); the pass waits for `--resume`. */
  readonly paused: boolean;
  /** When the operator said `--resume`: uses before it are known to them and no longer hold the key. */
  readonly resumedAt?: Date;
}

/** Everything the decision needs. */
export interface RetirementInput {
  readonly key: RetiringKey;
  readonly confirmedAt: Date;
  readonly policy: RetirementPolicy;
  readonly now: number;
  readonly emergency: boolean;
  readonly control: RetirementControl;
}

/** What to do with the old key now. */
export type RetirementDecision =
  | { readonly action: 'wait'; readonly until: Date; readonly stage: 'active' | 'inactive' }
  | { readonly action: 'hold'; readonly lastUse: LastUse }
  | { readonly action: 'paused' }
  | { readonly action: 'deactivate' }
  | { readonly action: 'delete'; readonly reason: string };

/** The instant from which a use of the old key means a consumer the push did not reach. */
export function inUseSince(confirmedAt: Date, control: RetirementControl): number {
  return Math.max(confirmedAt.getTime(), control.resumedAt?.getTime() ?? 0);
}

/** The use of the old key after the push confirmation (or after the operator's resume), if any. */
export function useAfterConfirmation(key: RetiringKey, confirmedAt: Date, control: RetirementControl) {
  return key.lastUse && key.lastUse.date.getTime() > inUseSince(confirmedAt, control) ? key.lastUse : undefined;
}

/** When the staged policy deactivates and deletes the old key. */
export function retirementSchedule(
  confirmedAt: Date,
  policy: RetirementPolicy,
  control: RetirementControl,
): { deactivateAt: Date; deleteAt: Date } {
  // Under `hold`, never before IAM has had time to report a use right after the push.
  const wait =
    policy.inUse === 'hold'
      ? Math.max(policy.deactivateAfterMs, LAST_USED_REPORTING_DELAY_MS)
      : policy.deactivateAfterMs;
  const deactivateAt = Math.max(confirmedAt.getTime() + wait, control.resumedAt?.getTime() ?? 0);
  return { deactivateAt: new Date(deactivateAt), deleteAt: new Date(deactivateAt + policy.deleteAfterMs) };
}

/**
 * Decides the next step for one old key. Emergency and `immediate` delete at once; a paused retirement waits for
 * the operator; under `hold` a use after the confirmation holds the key whatever its stage; otherwise an active
 * key is deactivated once due and any key is deleted once its deletion is due (a pass that did not run for days
 * still deletes in one go).
 */
export function decideRetirement(input: RetirementInput): RetirementDecision {
  const { key, confirmedAt, policy, now, emergency, control } = input;
  if (emergency) return { action: 'delete', reason: 'emergency rotation: every old key is deleted at once' };
  if (policy.mode === 'immediate') return { action: 'delete', reason: 'retirement policy is immediate' };
  if (control.paused) return { action: 'paused' };
  const used = useAfterConfirmation(key, confirmedAt, control);
  if (used && policy.inUse === 'hold') return { action: 'hold', lastUse: used };
  const { deactivateAt, deleteAt } = retirementSchedule(confirmedAt, policy, control);
  if (now >= deleteAt.getTime()) {
    return {
      action: 'delete',
      reason: `${formatWindow(policy.deleteAfterMs)} after deactivation (due ${deleteAt.toISOString()})`,
    };
  }
  if (key.status !== 'Active') return { action: 'wait', until: deleteAt, stage: 'inactive' };
  if (now >= deactivateAt.getTime()) return { action: 'deactivate' };
  return { action: 'wait', until: deactivateAt, stage: 'active' };
}

/**
 * Reads the operator control tag for one key: `paused <key id>` / `resumed <ISO time> <key id>` as the CLI writes
 * them (a tag left over from an earlier old key does not apply to the next one), or bare `paused` /
 * `resumed <ISO time>` as an operator may type in the console (applies to any old key). Anything else: no control.
 */
export function parseControl(value: string | undefined, keyId?: string): RetirementControl {
  const parts = value?.trim().split(/\s+/) ?? [];
  const forKey = (id: string | undefined) => id === undefined || id === keyId;
  if (parts[0] === 'paused' && parts.length <= 2 && forKey(parts[1])) return { paused: true };
  if (parts[0] === 'resumed' && parts.length >= 2 && parts.length <= 3 && forKey(parts[2])) {
    const date = new Date(parts[1]!);
    if (!Number.isNaN(date.getTime())) return { paused: false, resumedAt: date };
  }
  return { paused: false };
}

/** One line about a use, for logs, alerts and errors (masked id; service and region as IAM reports them). */
export function describeUse(keyId: string, use: LastUse): string {
  return (
    `${maskKeyId(keyId)} was last used ${use.date.toISOString()} ` +
    `(service ${use.service ?? 'unknown'}, region ${use.region ?? 'unknown'})`
  );
}
