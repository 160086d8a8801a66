import { maskKeyId } from '../core/mask';
import { type AccessKeyInfo } from './ports';

/** A key of the SES user with what is known about its use. */
export interface ObservedKey extends AccessKeyInfo {
  /** undefined = never used, or not looked up (keys the secret explains are not looked up). */
  readonly lastUsed?: Date;
}

/** What the secret says about the user's keys. */
export interface RecordedKeys {
  /** Key id in AWSCURRENT (undefined on a first rotation). */
  readonly current?: string;
  /** Key id in AWSPREVIOUS, when AWSCURRENT is a credential of ours (a retirement a crash interrupted). */
  readonly previous?: string;
}

/** The outcome: keys to delete before minting, and why; or why it is unsafe to go on. */
export type Reconciliation =
  | {
      readonly ok: true;
      readonly remove: readonly { key: ObservedKey; reason: string }[];
      readonly keep: readonly ObservedKey[];
    }
  | { readonly ok: false; readonly problem: string };

/**
 * Decides, before a key is minted, what to do with each key the SES user holds (pure).
 *
 * - the AWSCURRENT key is kept (hosts use it);
 * - the AWSPREVIOUS key is deleted: it was promoted away from only after every host confirmed the new one;
 * - an unexplained key that was never used and is not older than the AWSCURRENT key is an orphan of a crash
 *   between CreateAccessKey and PutSecretValue (nobody can hold its secret): deleted;
 * - on a first rotation (no AWSCURRENT credential) one unexplained key is the key the hosts use today: kept, and
 *   retired only after every host has the new one; a second, never-used, newer one is an orphan;
 * - anything else stops the rotation with a message that lists the keys and the choices.
 * After removal at most one key may remain, so the mint cannot hit the two-key limit.
 */
export function reconcileKeys(keys: readonly ObservedKey[], recorded: RecordedKeys): Reconciliation {
  const remove: { key: ObservedKey; reason: string }[] = [];
  const keep: ObservedKey[] = [];
  const currentKey = keys.find((k) => k.id === recorded.current);
  const unexplained: ObservedKey[] = [];
  for (const key of keys) {
    if (key.id === recorded.current) keep.push(key);
    else if (key.id === recorded.previous)
      remove.push({ key, reason: 'AWSPREVIOUS key whose retirement was interrupted' });
    else unexplained.push(key);
  }
  if (recorded.current !== undefined) {
    for (const key of unexplained) {
      const orphan =
        key.lastUsed === undefined && (!currentKey || key.created.getTime() >= currentKey.created.getTime());
      if (!orphan) return { ok: false, problem: unknownKeyProblem(keys, recorded, key) };
      remove.push({ key, reason: 'never-used key in no version of the secret: an orphan of an interrupted rotation' });
    }
  } else if (unexplained.length === 2) {
    const [a, b] = [...unexplained].sort((x, y) => x.created.getTime() - y.created.getTime()) as [
      ObservedKey,
      ObservedKey,
    ];
    if (b.lastUsed !== undefined || b.created.getTime() === a.created.getTime()) {
      return { ok: false, problem: unknownKeyProblem(keys, recorded) };
    }
    keep.push(a);
    remove.push({
      key: b,
      reason: 'never-used key newer than the key in use: an orphan of an interrupted first rotation',
    });
  } else {
    keep.push(...unexplained);
  }
  if (keep.length > 1) return { ok: false, problem: unknownKeyProblem(keys, recorded) };
  return { ok: true, remove, keep };
}

/** Describes a key for an operator: masked id, status, dates. */
export function describeKey(key: ObservedKey): string {
  const used = key.lastUsed ? `last used ${key.lastUsed.toISOString()}` : 'never used (as far as IAM reports)';
  return `${maskKeyId(key.id)} (${key.status}, created ${key.created.toISOString()}, ${used})`;
}

function unknownKeyProblem(keys: readonly ObservedKey[], recorded: RecordedKeys, culprit?: ObservedKey): string {
  const listing = keys.map(
    (k) => `  - ${describeKey(k)}${k.id === recorded.current ? ' — in AWSCURRENT, in use by the hosts' : ''}`,
  );
  const stranger = culprit ?? keys.find((k) => k.id !== recorded.current);
  const advice =
    recorded.current !== undefined && stranger
      ? `The key ${maskKeyId(stranger.id)} is in no version of the secret and may be used outside this rotation. ` +
        `If nothing uses it, delete it (aws iam delete-access-key --user-name <user> --access-key-id <id>), then ` +
        'retry; never delete the AWSCURRENT key.'
      : 'The secret records no credential yet, so the rotation cannot tell which key the hosts use. Delete the key ' +
        'the hosts do NOT use (the one never used, if any), then retry.';
  return `the SES user holds keys the secret does not explain, and a new key cannot be minted safely (IAM allows two per user):\n${listing.join('\n')}\n${advice}`;
}
