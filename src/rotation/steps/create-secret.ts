import { maskKeyId } from '../../core/mask';
import { parseSecretValue, serializeCredential, type SecretValue } from '../../core/secret';
import { deriveSmtpPassword } from '../../core/smtp-password';
import { credentialOf } from '../credential';
import type { RotationDeps, StepContext } from '../deps';
import { KeyReconciliationError } from '../errors';
import { reconcileKeys, type ObservedKey } from '../reconcile';
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
    log.info('pending version already holds a credential; not minting again', { keyId: maskKeyId(existing.username) });
    return;
  }

  const current = await readCurrent(deps, secretArn, verdict.currentVersionId);
  const target = resolveTarget(config, current);
  const recordedCurrent = current.kind === 'credential' ? current.credential.username : undefined;
  const userKeys = await keys.list(config.iamUserName);
  const unexplained = userKeys.filter((k) => k.id !== recordedCurrent);
  let recordedPrevious: string | undefined;
  if (unexplained.length > 0 && recordedCurrent !== undefined) {
    const previous = await secrets.value(secretArn, { stage: 'AWSPREVIOUS' });
    const parsed = previous ? safeParse(previous.secretString) : undefined;
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
  const credential = {
    username: minted.id,
    password: deriveSmtpPassword(minted.secretAccessKey, target.region),
    ...target,
  };
  try {
    await secrets.putPending(secretArn, event.token, serializeCredential(credential), event.rotationToken);
  } catch (error) {
    // Nobody will ever know this key's secret: delete it now rather than leave an orphan in a slot.
    await keys.delete(config.iamUserName, minted.id).catch((cleanup: unknown) =>
      log.error('could not delete the key minted for a failed PutSecretValue; the next createSecret will', {
        keyId: maskKeyId(minted.id),
        error: (cleanup as Error).name,
      }),
    );
    throw error;
  }
  log.info('stored the new credential as AWSPENDING', { keyId: maskKeyId(minted.id), region: target.region });
}

async function readCurrent(deps: RotationDeps, secretArn: string, versionId: string | undefined): Promise<SecretValue> {
  if (versionId === undefined) {
    deps.log.info('no AWSCURRENT version: first rotation of this secret');
    return { kind: 'empty' };
  }
  const current = await deps.secrets.value(secretArn, { versionId });
  const parsed = current ? safeParse(current.secretString) : { kind: 'empty' as const };
  if (parsed === undefined) {
    deps.log.warn('AWSCURRENT does not hold a valid credential; rotating as a first rotation', { versionId });
    return { kind: 'empty' };
  }
  return parsed;
}

/** A current value that does not parse (legacy v2 password, a random initial string) is what rotation fixes. */
function safeParse(text: string): SecretValue | undefined {
  try {
    return parseSecretValue(text);
  } catch {
    return undefined;
  }
}
