/**
 * What `retire` shows and acts on: the old key, its stage, its deadline and its last use, computed with the
 * function's own retirement logic (src/rotation/retirement*.ts) and the function's configured policy.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AccessKeys } from '../aws/access-keys';
import { SecretStore } from '../aws/secret-store';
import { maskKeyId } from '../core/mask';
import { tryParseSecretValue } from '../core/secret';
import { DEFAULT_RETIREMENT, type RetirementPolicy } from '../rotation/retirement-policy';
import {
  RETIREMENT_TAGS,
  decideRetirement,
  parseControl,
  retirementSchedule,
  type RetirementDecision,
  type RetiringKey,
} from '../rotation/retirement';
import { confirmationOf, isEmergency, retiringKeys } from '../rotation/retirement-state';
import { type SecretMetadata } from '../rotation/ports';
import { versionWithStage } from '../rotation/guard';
import { awsCall } from './aws-errors';

/** One old key as `retire` prints it (masked id; never a secret). */
export interface RetiringKeyView {
  readonly keyId: string;
  readonly status: string;
  /** `active`, `inactive`, `held (in use)`, `paused (reactivated)` or `due: <action>`. */
  readonly stage: string;
  readonly deactivateAt: string | null;
  readonly deleteAt: string | null;
  readonly lastUsed: { at: string; service: string; region: string } | null;
  readonly decision: RetirementDecision['action'];
}

/** The secret's retirement state. */
export interface RetirementView {
  readonly secretArn: string;
  readonly policy: RetirementPolicy;
  readonly confirmedAt: string | null;
  readonly emergencyTag: string | null;
  readonly control: string | null;
  readonly rotationInProgress: boolean;
  readonly currentKeyId?: string;
  readonly pendingKeyId?: string;
  readonly keys: readonly RetiringKeyView[];
}

/** The raw material of a view, kept for the actions (full key ids never leave this module except to IAM). */
export interface RetirementState {
  readonly view: RetirementView;
  readonly meta: SecretMetadata;
  readonly userName?: string;
  /** Full ids of the current and pending keys (refused as targets) and of the retiring keys. */
  readonly protectedIds: readonly string[];
  readonly retiring: readonly RetiringKey[];
}

/**
 * DescribeSecret, once for all of `retire`: the metadata names the rotation function (whose policy applies) and
 * carries the labels and tags {@link readRetirement} decides from.
 * @throws AwsCallError naming the call, the secret and the region
 */
export async function describeSecret(
  client: SecretsManagerClient,
  secretId: string,
  region?: string,
): Promise<SecretMetadata> {
  return awsCall(
    { action: 'secretsmanager:DescribeSecret', resource: `secret ${secretId}`, ...(region ? { region } : {}) },
    () => new SecretStore(client).describe(secretId),
  );
}

/** Reads the rest of what `retire` needs: the AWSCURRENT (and AWSPENDING) key id, the user's keys. */
export async function readRetirement(
  clients: { secrets: SecretsManagerClient; iam: IAMClient },
  meta: SecretMetadata,
  policy: RetirementPolicy | undefined,
  now: number,
): Promise<RetirementState> {
  const store = new SecretStore(clients.secrets);
  const currentId = versionWithStage(meta, 'AWSCURRENT');
  const pendingId = versionWithStage(meta, 'AWSPENDING');
  const current = currentId ? await store.value(meta.arn, { versionId: currentId }) : undefined;
  const pending =
    pendingId && pendingId !== currentId ? await store.value(meta.arn, { versionId: pendingId }) : undefined;
  // The password is parsed and dropped here; only key ids and the user name are kept.
  const credentialOf = (v: typeof current) => {
    const parsed = v ? tryParseSecretValue(v.secretString) : undefined;
    return parsed?.kind === 'credential' ? parsed.credential : undefined;
  };
  const currentCredential = credentialOf(current);
  const pendingCredential = credentialOf(pending);
  const effective = policy ?? DEFAULT_RETIREMENT;
  const confirmedAt = current ? confirmationOf(meta, current) : undefined;
  const userName = currentCredential?.iamUserName;
  const retiring: RetiringKey[] = [];
  const views: RetiringKeyView[] = [];
  if (currentCredential && userName) {
    const keys = new AccessKeys(clients.iam);
    const listed = await keys.list(userName);
    const split = retiringKeys(listed, currentCredential.username, confirmedAt);
    for (const info of split.retiring.filter((k) => k.id !== pendingCredential?.username)) {
      const lastUse = await keys.lastUse(info.id);
      const key: RetiringKey = { ...info, ...(lastUse ? { lastUse } : {}) };
      const control = parseControl(meta.tags?.[RETIREMENT_TAGS.control], key.id);
      retiring.push(key);
      const decision = decideRetirement({
        key,
        confirmedAt: confirmedAt!,
        policy: effective,
        now,
        emergency: isEmergency(meta),
        control,
      });
      const schedule = effective.mode === 'staged' ? retirementSchedule(confirmedAt!, effective, control) : undefined;
      views.push({
        keyId: maskKeyId(key.id),
        status: key.status,
        stage: stageOf(key, decision),
        deactivateAt: schedule && key.status === 'Active' ? schedule.deactivateAt.toISOString() : null,
        deleteAt: schedule ? schedule.deleteAt.toISOString() : null,
        lastUsed: lastUse
          ? {
              at: lastUse.date.toISOString(),
              service: lastUse.service ?? 'unknown',
              region: lastUse.region ?? 'unknown',
            }
          : null,
        decision: decision.action,
      });
    }
  }
  const view: RetirementView = {
    secretArn: meta.arn,
    policy: effective,
    confirmedAt: confirmedAt?.toISOString() ?? null,
    emergencyTag: meta.tags?.[RETIREMENT_TAGS.emergency] ?? null,
    control: meta.tags?.[RETIREMENT_TAGS.control] ?? null,
    rotationInProgress: pendingId !== undefined && pendingId !== currentId,
    ...(currentCredential ? { currentKeyId: maskKeyId(currentCredential.username) } : {}),
    ...(pendingCredential ? { pendingKeyId: maskKeyId(pendingCredential.username) } : {}),
    keys: views,
  };
  const protectedIds = [currentCredential?.username, pendingCredential?.username].filter(
    (id): id is string => id !== undefined,
  );
  return { view, meta, ...(userName ? { userName } : {}), protectedIds, retiring };
}

function stageOf(key: RetiringKey, decision: RetirementDecision): string {
  switch (decision.action) {
    case 'hold':
      return `held: used after the push (${key.status})`;
    case 'paused':
      return `paused: reactivated by an operator (${key.status}); waits for --resume`;
    case 'wait':
      return key.status === 'Active' ? 'active, deactivation scheduled' : 'inactive, deletion scheduled';
    default:
      return `${key.status.toLowerCase()}, ${decision.action} due at the next pass`;
  }
}
