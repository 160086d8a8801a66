/**
 * The SES user's access keys as operators need to see them: masked id, status, age, last use, and which version
 * of the secret records each one; plus the verdict on them, from the rotation's own decision (pending-aware).
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { AccessKeys } from '../aws/access-keys';
import { maskKeyId } from '../core/mask';
import { planKeys } from '../rotation/readiness';
import { describeKey, type ObservedKey } from '../rotation/reconcile';
import { retiringKeys } from '../rotation/retirement-state';
import { awsCall } from './aws-errors';

/** Which labelled version records a key. */
export type KeyRole = 'AWSCURRENT' | 'AWSPENDING' | 'AWSPREVIOUS' | 'unrecorded';

/** One key as the commands print it. */
export interface KeyView {
  /** Masked access key id (AKIA…WXYZ). */
  readonly keyId: string;
  readonly status: string;
  readonly created: string;
  readonly ageDays: number;
  /** ISO date, or null when IAM reports no use. */
  readonly lastUsed: string | null;
  readonly role: KeyRole;
}

/** Key ids the secret's labelled versions record. */
export interface RecordedKeyIds {
  readonly current?: string;
  readonly pending?: string;
  readonly previous?: string;
  /** The version AWSPENDING is on while a rotation is unfinished (with `pending`: the key it holds). */
  readonly pendingVersionId?: string;
}

/**
 * Lists the user's keys with their last use (one GetAccessKeyLastUsed per key: two at most).
 * @throws AwsCallError naming the call and the user
 */
export async function readUserKeys(iam: IAMClient, userName: string): Promise<ObservedKey[]> {
  const keys = new AccessKeys(iam);
  const listed = await awsCall({ action: 'iam:ListAccessKeys', resource: `user ${userName}` }, () =>
    keys.list(userName),
  );
  const observed: ObservedKey[] = [];
  for (const key of listed) {
    const lastUsed = await awsCall(
      { action: 'iam:GetAccessKeyLastUsed', resource: `key ${maskKeyId(key.id)} of user ${userName}` },
      () => keys.lastUsed(key.id),
    );
    observed.push({ ...key, ...(lastUsed ? { lastUsed } : {}) });
  }
  return observed;
}

/** The printable view of the keys. */
export function viewKeys(keys: readonly ObservedKey[], recorded: RecordedKeyIds, now: number): KeyView[] {
  return keys.map((k) => ({
    keyId: maskKeyId(k.id),
    status: k.status,
    created: k.created.toISOString(),
    ageDays: Math.floor((now - k.created.getTime()) / 86_400_000),
    lastUsed: k.lastUsed ? k.lastUsed.toISOString() : null,
    role: roleOf(k.id, recorded),
  }));
}

function roleOf(id: string, recorded: RecordedKeyIds): KeyRole {
  if (id === recorded.current) return 'AWSCURRENT';
  if (id === recorded.pending) return 'AWSPENDING';
  if (id === recorded.previous) return 'AWSPREVIOUS';
  return 'unrecorded';
}

/**
 * The verdict on the keys, from the rotation's own decision (`planKeys`: resume the pending key, or reconcile
 * before a mint): undefined when the next step can go on, else the problem and the fix. Pending-aware: the key of
 * an unfinished rotation is never offered for deletion.
 */
export function keyProblem(
  keys: readonly ObservedKey[],
  recorded: RecordedKeyIds,
  /** When the last rotation completed (LastRotatedDate): an older second key is the staged retirement's old key. */
  confirmedAt?: Date,
): { problem: string; fix: string; pendingKey?: true } | undefined {
  const current = recorded.current ? keys.find((k) => k.id === recorded.current) : undefined;
  if (recorded.current && !current) {
    return {
      problem: `AWSCURRENT records key ${maskKeyId(recorded.current)}, which no longer exists on the user`,
      fix: 'hosts using it fail to authenticate now: run a rotation at once (ses-smtp-rotation rotate --wait)',
    };
  }
  if (current && current.status !== 'Active') {
    return {
      problem: `the AWSCURRENT key ${describeKey(current)} is not active`,
      fix: `reactivate it (aws iam update-access-key --status Active --access-key-id <id> --user-name <user>), then rotate`,
    };
  }
  // Staged retirement: the old key stays until the hourly pass retires it (ses-smtp-rotation retire shows it), and
  // the next createSecret frees its slot itself (or stops, naming it, while a consumer still uses it). Not a problem.
  if (
    !recorded.pending &&
    recorded.current &&
    keys.length > 1 &&
    retiringKeys(keys, recorded.current, confirmedAt).unexplained.length === 0
  ) {
    return undefined;
  }
  const plan = planKeys(keys, {
    current: recorded.current,
    previous: recorded.previous,
    ...(recorded.pending && recorded.pendingVersionId
      ? { pending: { versionId: recorded.pendingVersionId, keyId: recorded.pending } }
      : {}),
  });
  if (plan.kind === 'refuse') {
    return { problem: 'the rotation function would stop at these keys', fix: plan.problem };
  }
  if (plan.kind === 'resume') {
    if (keys.length < 2) return undefined;
    return {
      problem: `two keys: ${keys.map(describeKey).join(' and ')}; ${maskKeyId(plan.pendingKey.id)} belongs to the unfinished rotation (AWSPENDING)`,
      fix: 'let that rotation finish (see ses-smtp-rotation status); do not delete the pending key: hosts may hold it',
      pendingKey: true,
    };
  }
  if (plan.remove.length === 0) return undefined;
  const removable = plan.remove.map((r) => `${maskKeyId(r.key.id)} (${r.reason})`).join(', ');
  return {
    problem: `two keys: ${keys.map(describeKey).join(' and ')}`,
    fix: `safe to delete: ${removable}; the next rotation deletes it itself before minting`,
  };
}
