import { maskKeyId } from '../../core/mask';
import { serializeCredential, tryParseSecretValue, type SecretValue } from '../../core/secret';
import { deriveSmtpPassword } from '../../core/smtp-password';
import { credentialOf } from '../credential';
import type { RotationDeps, StepContext } from '../deps';
import { KeyReconciliationError } from '../errors';
import { assertPendingKeyUsable } from '../readiness';
import { reconcileKeys, type ObservedKey } from '../reconcile';
import { freeRetiringSlot } from '../retirement-slot';
import { resolveTarget } from '../settings';

/**
 * createSecret: store a new credential as the pending version, minting exactly one key per version.
 * Idempotent: a pending version that already has a value is left alone, so a retry never mints again (I7).
 */
export async function createSecret(deps: RotationDeps, ctx: StepContext): Promise<void> {
  const { secrets, keys, config, log } = deps;
  const { secretArn, event, verdict } = ctx;
  if (verdict.phase === 'promoted') {
    log.info('version is already AWSCURRENT; nothing to create');
    return;
  }
  const pending = await secrets.value(secretArn, { versionId: event.token, stage: 'AWSPENDING' });
  if (pending) {
    const existing = credentialOf(pending, 'the pending version');
    const key = (await keys.list(config.iamUserName)).find((k) => k.id === existing.username);
    assertPendingKeyUsable(event.token, existing.username, key);
    log.info('pending version already holds a credential; not minting again', { keyId: maskKeyId(existing.username) });
    return;
  }

  const { value: current, createdDate } = await readCurrent(deps, secretArn, verdict.currentVersionId);
  const target = resolveTarget(config, current);
  const recordedCurrent = current.kind === 'credential' ? current.credential.username : undefined;
  const listed = await keys.list(config.iamUserName);
  const userKeys = await freeRetiringSlot(deps, ctx, listed, recordedCurrent, createdDate);
  const unexplained = userKeys.filter((k) => k.id !== recordedCurrent);
  let recordedPrevious: string | undefined;
  if (unexplained.length > 0 && recordedCurrent !== undefined) {
    const previous = await secrets.value(secretArn, { stage: 'AWSPREVIOUS' });
    const parsed = previous ? tryParseSecretValue(previous.secretString) : undefined;
    if (parsed?.kind === 'credential') recordedPrevious = parsed.credential.username;
  }
  const observed: ObservedKey[] = [];
  for (const key of userKeys) {
    const explained = key.id === recordedCurrent || key.id === recordedPrevious;
    const lastUsed = explained ? undefined : await keys.lastUsed(key.id);
    observed.push(lastUsed ? { ...key, lastUsed } : key);
  }
  if (recordedCurrent !== undefined) {
    const currentKey = userKeys.find((k) => k.id === recordedCurrent);
    if (!currentKey || currentKey.status !== 'Active') {
      log.warn('the AWSCURRENT key no longer works; hosts using it cannot send until this rotation completes', {
        keyId: maskKeyId(recordedCurrent),
        status: currentKey?.status ?? 'deleted',
      });
    }
  }

  const plan = reconcileKeys(observed, { current: recordedCurrent, previous: recordedPrevious });
  if (!plan.ok) throw new KeyReconciliationError(plan.problem);
  for (const { key, reason } of plan.remove) {
    await keys.delete(config.iamUserName, key.id);
    log.warn('deleted access key before minting', { keyId: maskKeyId(key.id), reason });
  }

  const minted = await keys.create(config.iamUserName);
  log.info('minted access key', { keyId: maskKeyId(minted.id), keptKeyIds: plan.keep.map((k) => maskKeyId(k.id)) });
  // Every region's password comes from the one key, derived here: the raw secret access key is never stored.
  const additionalRegions = (config.additionalRegions ?? []).map(({ region, endpoint }) => ({
    region,
    endpoint,
    password: deriveSmtpPassword(minted.secretAccessKey, region),
  }));
  const credential = {
    username: minted.id,
    password: deriveSmtpPassword(minted.secretAccessKey, target.region),
    ...target,
    ...(additionalRegions.length > 0 && { additionalRegions }),
  };
  try {
    await secrets.putPending(secretArn, event.token, serializeCredential(credential), event.rotationToken);
  } catch (error) {
    await cleanUpAfterFailedPut(deps, ctx, minted.id);
    throw error;
  }
  log.info('stored the new credential as AWSPENDING', {
    keyId: maskKeyId(minted.id),
    region: target.region,
    ...(additionalRegions.length > 0 && { additionalRegions: additionalRegions.map((r) => r.region) }),
  });
}

/**
 * PutSecretValue failed, but a lost response does not mean it was not applied. Delete the minted key only when the
 * pending version provably does not hold it; when that cannot be read, leave the key: if it was not stored, the
 * next createSecret finds it as a never-used orphan and deletes it.
 */
async function cleanUpAfterFailedPut(deps: RotationDeps, ctx: StepContext, keyId: string): Promise<void> {
  const { secrets, keys, config, log } = deps;
  try {
    const stored = await secrets.value(ctx.secretArn, { versionId: ctx.event.token });
    const value = stored ? tryParseSecretValue(stored.secretString) : undefined;
    if (value?.kind === 'credential' && value.credential.username === keyId) {
      log.warn('PutSecretValue reported a failure but stored the value; keeping the key', { keyId: maskKeyId(keyId) });
      return;
    }
    await keys.delete(config.iamUserName, keyId);
    log.warn('deleted the key minted for a failed PutSecretValue', { keyId: maskKeyId(keyId) });
  } catch (cleanup) {
    log.error('could not clean up after a failed PutSecretValue; the next createSecret reconciles the key', {
      keyId: maskKeyId(keyId),
      error: (cleanup as Error).name,
    });
  }
}

async function readCurrent(
  deps: RotationDeps,
  secretArn: string,
  versionId: string | undefined,
): Promise<{ value: SecretValue; createdDate?: Date }> {
  if (versionId === undefined) {
    deps.log.info('no AWSCURRENT version: first rotation of this secret');
    return { value: { kind: 'empty' } };
  }
  const current = await deps.secrets.value(secretArn, { versionId });
  const parsed = current ? tryParseSecretValue(current.secretString) : { kind: 'empty' as const };
  const createdDate = current?.createdDate ? { createdDate: current.createdDate } : {};
  if (parsed === undefined) {
    deps.log.warn('AWSCURRENT does not hold a valid credential; rotating as a first rotation', { versionId });
    return { value: { kind: 'empty' }, ...createdDate };
  }
  return { value: parsed, ...createdDate };
}
