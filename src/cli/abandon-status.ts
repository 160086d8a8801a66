/**
 * The abandon push as `status` shows it: found with the fleet's own lookup (the comment `rotate --abandon` gives
 * it, its `VersionId` being AWSCURRENT), judged by the rotation's completion rule (viewPush), checked for staleness
 * by the abandon's own rule, and explained in the abandon's own words (abandon-advice.ts).
 */
import type { SSMClient } from '@aws-sdk/client-ssm';
import { abandonComment } from '../aws/ssm-fleet';
import { abandonPushAdvice, staleAbandonAdvice, type AbandonAdvice } from './abandon-advice';
import { abandonPushIsCurrent } from './abandon-plan';
import { findPushCommand, viewPush, type PushView } from './push-state';
import { unfinishedVersion, type SecretState } from './secret-state';

/** The abandon push of the unfinished rotation (the --json `abandon` key of `status`). */
export interface AbandonView {
  /** The version being abandoned (AWSPENDING); the push's own `versionId` is AWSCURRENT, pushed back. */
  readonly pendingVersionId: string;
  /** False when the rotation pushed the pending version after it: the next `rotate --abandon` sends a new one. */
  readonly upToDate: boolean;
  readonly push: PushView;
}

/** Finds the abandon push of the unfinished rotation, if one was sent. @throws AwsCallError */
export async function readAbandonPush(
  ssm: SSMClient,
  query: {
    documentName: string;
    state: SecretState;
    /** The rotation's newest push of the pending version, if any. */
    rotationPush: PushView | undefined;
    now: number;
    region?: string;
  },
): Promise<AbandonView | undefined> {
  const { state, region } = query;
  const pending = unfinishedVersion(state);
  if (!pending || !state.current) return undefined;
  const command = await findPushCommand(ssm, {
    documentName: query.documentName,
    versionId: state.current,
    comment: abandonComment(pending),
    now: query.now,
    ...(region ? { region } : {}),
  });
  if (!command) return undefined;
  const push = await viewPush(ssm, state.current, command, region);
  const rotationRequested = query.rotationPush?.requested;
  const upToDate = abandonPushIsCurrent(
    { commandId: push.commandId, ...(command.RequestedDateTime ? { requested: command.RequestedDateTime } : {}) },
    rotationRequested ? new Date(rotationRequested) : undefined,
  );
  return { pendingVersionId: pending, upToDate, push };
}

/** What `rotate --abandon` would say about this push (pure). */
export function abandonStatusAdvice(
  secretId: string,
  abandon: AbandonView,
  rotationPush: PushView | null,
): AbandonAdvice {
  const { push } = abandon;
  if (!abandon.upToDate) return staleAbandonAdvice(push.commandId, rotationPush?.commandId ?? '?');
  return abandonPushAdvice(secretId, {
    outcome: push.outcome,
    commandId: push.commandId,
    completed: push.completed,
    targets: push.targets,
    reasons: push.problems,
    ...(push.firstError ? { firstError: push.firstError } : {}),
  });
}
