/**
 * Reading retirement state from what AWS already stores: the secret's LastRotatedDate and tags, the AWSCURRENT
 * version's creation, the user's keys. Shared by finishSecret, createSecret, the retirement pass and the CLI, so
 * the advice the CLI gives comes from the same logic the function runs.
 */
import { InvalidEventError } from './errors';
import { parseRotationEvent, type RotationEvent } from './event';
import type { RetireEvent } from './retire-pass';
import { RETIREMENT_TAGS } from './retirement';
import { type AccessKeyInfo, type SecretMetadata, type SecretVersionValue } from './ports';
import type { RetirementPolicy } from './retirement-policy';

/**
 * When every target confirmed the AWSCURRENT version: the secret's LastRotatedDate, provided it is not older than
 * that version (a value written outside a rotation has no confirmation). Undefined when unknown.
 */
export function confirmationOf(
  meta: SecretMetadata | undefined,
  current: Pick<SecretVersionValue, 'createdDate'>,
): Date | undefined {
  const rotated = meta?.lastRotatedDate;
  if (!rotated) return undefined;
  if (current.createdDate && rotated.getTime() < current.createdDate.getTime()) return undefined;
  return rotated;
}

/** Whether the secret carries the emergency tag (any value: an operator may set it in the console). */
export function isEmergency(meta: SecretMetadata | undefined): boolean {
  return meta?.tags?.[RETIREMENT_TAGS.emergency] !== undefined;
}

/**
 * How this rotation retires the old keys: `emergency` (the emergency tag), `immediate` (the per-rotation tag
 * `rotate --immediate-retirement` sets, or the installation's policy), else the installation's `staged` policy.
 */
export function retirementOf(
  meta: SecretMetadata | undefined,
  configured: RetirementPolicy['mode'],
): 'emergency' | RetirementPolicy['mode'] {
  if (isEmergency(meta)) return 'emergency';
  if (meta?.tags?.[RETIREMENT_TAGS.immediate] !== undefined) return 'immediate';
  return configured;
}

/**
 * Splits the keys other than the AWSCURRENT one: `retiring` existed when every target confirmed (so the rotation
 * replaced them), `unexplained` were made later (by someone else, or an orphan createSecret will reconcile) and
 * are never touched by the pass. Without a confirmation time every other key is unexplained.
 */
export function retiringKeys(
  keys: readonly AccessKeyInfo[],
  currentKeyId: string,
  confirmedAt: Date | undefined,
): { retiring: AccessKeyInfo[]; unexplained: AccessKeyInfo[] } {
  const others = keys.filter((k) => k.id !== currentKeyId);
  if (!confirmedAt) return { retiring: [], unexplained: others };
  return {
    retiring: others.filter((k) => k.created.getTime() <= confirmedAt.getTime()),
    unexplained: others.filter((k) => k.created.getTime() > confirmedAt.getTime()),
  };
}

/** A Lambda invocation: a rotation step from Secrets Manager, or a retirement pass. */
export type Invocation = { kind: 'step'; event: RotationEvent } | { kind: 'retire'; event: RetireEvent };

/**
 * Tells the two event shapes apart; an unknown shape is refused with both shapes named.
 * @throws InvalidEventError
 */
export function parseInvocation(raw: unknown): Invocation {
  if (typeof raw === 'object' && raw !== null && 'Step' in raw) {
    return { kind: 'step', event: parseRotationEvent(raw) };
  }
  const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (e.action === 'retire') {
    if (typeof e.secretId !== 'string' || e.secretId === '') {
      throw new InvalidEventError('retirement event field "secretId" must be the secret ARN');
    }
    return { kind: 'retire', event: { action: 'retire', secretId: e.secretId } };
  }
  throw new InvalidEventError(
    'unknown event: expected a rotation step from Secrets Manager (Step, SecretId, ClientRequestToken) or a ' +
      'retirement pass ({"action":"retire","secretId":"<secret ARN>"}); check the EventBridge rule or the caller',
  );
}
