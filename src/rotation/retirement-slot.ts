import { maskKeyId } from '../core/mask';
import type { RotationDeps, StepContext } from './deps';
import { KeyReconciliationError } from './errors';
import { RETIREMENT_TAGS, describeUse, parseControl, useAfterConfirmation } from './retirement';
import { confirmationOf, isEmergency, retiringKeys } from './retirement-state';
import { type AccessKeyInfo } from './ports';

/**
 * The two-key limit: a new rotation while an old key is still retiring must free a slot before minting. The old
 * key goes when nobody used it after the push confirmation, when the policy is `immediate` or `proceed`, or when
 * this rotation is an emergency. A key still in use (or reactivated by an operator) stops a routine rotation with
 * an error naming the key, its last use and the choices; nothing is changed then.
 * Costs nothing when no old key is left (the usual case: the pass deleted it long before the next rotation).
 * @returns the keys that remain
 * @throws KeyReconciliationError
 */
export async function freeRetiringSlot(
  deps: RotationDeps,
  ctx: StepContext,
  listed: readonly AccessKeyInfo[],
  currentKeyId: string | undefined,
  currentCreated: Date | undefined,
): Promise<AccessKeyInfo[]> {
  const { keys, config, log } = deps;
  // The same confirmation the pass uses: LastRotatedDate, unless AWSCURRENT is newer (written outside a rotation).
  const confirmedAt = confirmationOf(ctx.meta, currentCreated ? { createdDate: currentCreated } : {});
  if (currentKeyId === undefined || confirmedAt === undefined) return [...listed];
  const { retiring } = retiringKeys(listed, currentKeyId, confirmedAt);
  if (retiring.length === 0) return [...listed];
  const emergency = isEmergency(ctx.meta);
  const routineHold = !emergency && config.retirement.mode === 'staged' && config.retirement.inUse === 'hold';
  const removed = new Set<string>();
  for (const key of retiring) {
    const lastUse = await keys.lastUse(key.id);
    const control = parseControl(ctx.meta?.tags?.[RETIREMENT_TAGS.control], key.id);
    const used = lastUse ? useAfterConfirmation({ ...key, lastUse }, confirmedAt, control) : undefined;
    if (routineHold && (used || control.paused)) {
      const why = used
        ? `${describeUse(key.id, used)}, after the last rotation was confirmed on ${confirmedAt.toISOString()}`
        : `${maskKeyId(key.id)} was reactivated by an operator (retire --reactivate) and not resumed`;
      throw new KeyReconciliationError(
        `the old key is still retiring and a new key needs its slot (IAM allows two per user): ${why}. ` +
          'A consumer the last push did not reach may still depend on it. Choose one: move that consumer to the ' +
          'current credential and run "ses-smtp-rotation retire --secret-id <secret> --now" (deletes the old key), ' +
          'then rotate again; or run "ses-smtp-rotation rotate --secret-id <secret> --emergency" (deletes it as ' +
          'part of the rotation). Nothing was changed.',
      );
    }
    await keys.delete(config.iamUserName, key.id);
    removed.add(key.id);
    log.warn('deleted the retiring old key to free a slot for the new key', {
      keyId: maskKeyId(key.id),
      status: key.status,
      reason: emergency ? 'emergency rotation' : used ? 'in use, but the policy says proceed' : 'no use after the push',
    });
  }
  return listed.filter((k) => !removed.has(k.id));
}
