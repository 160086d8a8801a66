/**
 * `rotate --abandon` as a pure decision: given what AWS shows now, the one next step that keeps every relay on a
 * working key. The runner (abandon.ts) observes, asks, does that one step, and observes again, so a run killed
 * between any two AWS calls is finished by the next run from AWS state alone (no local state).
 *
 * Order: push AWSCURRENT back to every target → every target confirmed → delete the pending key → clear AWSPENDING.
 * The key goes before the label so that AWSPENDING stays the record of an unfinished abandon until the last call;
 * once the key is gone, a retry of the rotation fails its SMTP test and never pushes, and a host given the pending
 * version anyway fails its own verification and keeps what it had.
 */
import { abandonComment } from '../aws/ssm-fleet';
import { maskKeyId } from '../core/mask';
import type { VersionContent } from './secret-state';

/** How long Run Command keeps command history: older pushes cannot be seen. */
export const SSM_HISTORY_DAYS = 30;

/** A push seen in SSM: the rotation's push of the pending version, or the abandon push this run saw confirmed. */
export interface SeenPush {
  readonly commandId: string;
  readonly requested?: Date;
}

/** What the runner observed, all from AWS. */
export interface AbandonObservation {
  readonly secretId: string;
  /** The SES user of the rotation function's configuration. */
  readonly iamUserName: string;
  readonly currentVersionId?: string;
  readonly pendingVersionId?: string;
  /** What AWSCURRENT holds (undefined when no version carries it). */
  readonly current?: VersionContent;
  readonly pending?: VersionContent;
  readonly pendingCreated?: Date;
  /** The user's access keys. */
  readonly keys: readonly { readonly id: string; readonly status: string }[];
  /** The newest push of the pending version by the rotation itself (its comment), and whether it still runs. */
  readonly rotationPush?: SeenPush & { readonly running: boolean };
  /** The abandon push every target confirmed during this run (the fleet's answer), if any. */
  readonly confirmed?: SeenPush;
  readonly now: number;
}

/** The next step. */
export type AbandonAction =
  | { readonly kind: 'nothing-to-abandon'; readonly reason: string }
  | { readonly kind: 'refuse'; readonly reason: string; readonly next: readonly string[] }
  | {
      readonly kind: 'push';
      readonly versionId: string;
      readonly comment: string;
      /** Earlier abandon pushes up to this time are stale: the rotation pushed the pending version since. */
      readonly newerThan?: Date;
    }
  | { readonly kind: 'delete-key'; readonly keyId: string }
  | { readonly kind: 'clear-pending'; readonly versionId: string };

const DAY_MS = 86_400_000;

/** Decides the next step of an abandon (pure). */
export function decideAbandon(o: AbandonObservation): AbandonAction {
  const pendingId = o.pendingVersionId;
  if (pendingId === undefined || pendingId === o.currentVersionId) {
    return {
      kind: 'nothing-to-abandon',
      reason: 'no rotation is unfinished: AWSPENDING is on no version other than AWSCURRENT',
    };
  }
  const resume = resumeAdvice(o.secretId);
  const pending = o.pending;
  if (pending?.kind === 'unreadable') {
    return refuse(
      `the pending version ${pendingId} does not parse (${pending.problem}), so it is unknown which key it holds`,
      [resume],
    );
  }
  // Nothing was stored (createSecret did not finish) or no credential: no relay can have fetched a key from it.
  if (pending?.kind !== 'credential') return { kind: 'clear-pending', versionId: pendingId };
  const pendingKey = pending.credential.username;
  if (pending.credential.iamUserName !== o.iamUserName) {
    return refuse(
      `the pending version records user ${pending.credential.iamUserName}, the rotation function manages ` +
        `${o.iamUserName}: fix the function's SES_IAM_USER_NAME or the secret first`,
      [],
    );
  }
  const hasPendingKey = o.keys.some((k) => k.id === pendingKey);
  const current = o.current;
  if (current?.kind !== 'credential') return decideFirstRotation(o, pendingId, pendingKey, hasPendingKey);

  const currentKey = current.credential.username;
  if (current.credential.iamUserName !== o.iamUserName) {
    return refuse(
      `AWSCURRENT records user ${current.credential.iamUserName}, the rotation function manages ${o.iamUserName}: ` +
        "fix the function's SES_IAM_USER_NAME or the secret first",
      [],
    );
  }
  if (o.keys.find((k) => k.id === currentKey)?.status !== 'Active') {
    return refuse(
      `the AWSCURRENT key ${maskKeyId(currentKey)} is missing or inactive on ${o.iamUserName}: pushing AWSCURRENT ` +
        'back would give the relays a key that does not work',
      [`${resume} The pending key ${maskKeyId(pendingKey)} works, so completing the rotation is the safe way out.`],
    );
  }
  if (o.rotationPush?.running) {
    return refuse(
      `Secrets Manager is retrying the rotation right now: SSM command ${o.rotationPush.commandId} is pushing the ` +
        'pending version to the relays',
      [
        `Wait until it ends (ses-smtp-rotation status --secret-id ${o.secretId}); it may complete the rotation, ` +
          'and then there is nothing to abandon. Otherwise run rotate --abandon again.',
      ],
    );
  }
  const newerThan = o.rotationPush?.requested;
  if (o.confirmed === undefined || !abandonPushIsCurrent(o.confirmed, newerThan)) {
    return {
      kind: 'push',
      versionId: o.currentVersionId ?? '',
      comment: abandonComment(pendingId),
      ...(newerThan ? { newerThan } : {}),
    };
  }
  if (hasPendingKey && pendingKey !== currentKey) return { kind: 'delete-key', keyId: pendingKey };
  return { kind: 'clear-pending', versionId: pendingId };
}

/**
 * Whether an abandon push still counts: it was requested after the rotation's last push of the pending version
 * (`rotationPushRequested`), else relays may have taken the pending key again since. `status` asks the same.
 */
export function abandonPushIsCurrent(abandonPush: SeenPush, rotationPushRequested: Date | undefined): boolean {
  if (rotationPushRequested === undefined) return true;
  return abandonPush.requested !== undefined && abandonPush.requested > rotationPushRequested;
}

/**
 * No AWSCURRENT credential: the relays held a key made outside the rotation (the console key) that no version
 * records, so it cannot be pushed back. Abandoning is safe only while no relay can have the pending key, i.e. the
 * rotation never sent a push of it; the pre-existing key is kept either way.
 */
function decideFirstRotation(
  o: AbandonObservation,
  pendingId: string,
  pendingKey: string,
  hasPendingKey: boolean,
): AbandonAction {
  const resume = resumeAdvice(o.secretId);
  if (o.rotationPush) {
    return refuse(
      `this is a first rotation (AWSCURRENT holds no credential) and its push (SSM command ` +
        `${o.rotationPush.commandId}) already reached the relays: relays that switched hold only the pending key, ` +
        'and the key they had before is in no version of the secret, so it cannot be pushed back',
      [resume],
    );
  }
  if (!o.pendingCreated || o.now - o.pendingCreated.getTime() > SSM_HISTORY_DAYS * DAY_MS) {
    return refuse(
      `this is a first rotation and the pending version is older than the ${SSM_HISTORY_DAYS} days of Run Command ` +
        'history: it cannot be proven that no relay received the pending key',
      [resume],
    );
  }
  if (hasPendingKey && o.keys.length === 1) {
    return refuse(
      `the pending key ${maskKeyId(pendingKey)} is the only key of ${o.iamUserName}: the key the relays used ` +
        'before is gone, so deleting the pending one would leave none',
      [resume],
    );
  }
  if (hasPendingKey) return { kind: 'delete-key', keyId: pendingKey };
  return { kind: 'clear-pending', versionId: pendingId };
}

function refuse(reason: string, next: readonly string[]): AbandonAction {
  return { kind: 'refuse', reason, next };
}

function resumeAdvice(secretId: string): string {
  return (
    'Nothing was deleted: AWSPENDING and the pending key are kept, and every relay keeps a working key. Resume the ' +
    `rotation instead: fix the cause shown by ses-smtp-rotation status --secret-id ${secretId}, then let Secrets ` +
    'Manager retry (aws secretsmanager rotate-secret --secret-id <id> asks for it now).'
  );
}
