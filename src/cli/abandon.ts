/**
 * The runner of `rotate --abandon`: observe AWS, ask {@link decideAbandon} for the next step, do that one step,
 * observe again. Nothing is remembered between runs, so a run killed between any two AWS calls is finished by the
 * next one; the push is the fleet's own resumable push (found again by its comment).
 */
import { ListCommandsCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { AccessKeys } from '../aws/access-keys';
import { FleetPushFailedError, FleetPushPendingError, NoTargetsError } from '../rotation/fleet-errors';
import { decidePoll } from '../aws/command-status';
import { toSnapshot } from '../aws/ssm-commands';
import { SsmFleet } from '../aws/ssm-fleet';
import { Deadline, type Clock } from '../core/clock';
import { maskKeyId } from '../core/mask';
import type { RotationConfig } from '../rotation/config';
import { decideAbandon, SSM_HISTORY_DAYS, type AbandonObservation, type SeenPush } from './abandon-plan';
import { emptyAbandonReport, publishAbandonNotice, type AbandonReport } from './abandon-notice';
import { regionOfArn, type AwsClients } from './aws-clients';
import { abandonPushAdvice, type AbandonPushState } from './abandon-advice';
import { findPushCommand } from './push-state';
import {
  readFunctionState,
  readSecretState,
  readVersionContent,
  rotationUnfinished,
  unfinishedVersion,
  type SecretState,
} from './secret-state';
import { type Log } from '../rotation/ports';

/** What a run needs. */
export interface AbandonDeps {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly secretId: string;
  /** How long to wait for the push of AWSCURRENT before leaving it running (the next run resumes it). */
  readonly timeoutMs: number;
  /** Progress lines for people (never a secret). */
  readonly say: (line: string) => void;
}

/** More steps than an abandon ever needs (push, possibly a second push, delete, clear): a loop guard. */
const MAX_STEPS = 8;

/**
 * Abandons the unfinished rotation of a secret, or explains why it will not. An AWS error ends the run with outcome
 * `failed` and what was done before it: every state between two steps is safe, and the next run goes on from it.
 */
export async function abandonRotation(deps: AbandonDeps): Promise<AbandonReport> {
  const report = emptyAbandonReport(deps.secretId);
  try {
    return await run(deps, report);
  } catch (error) {
    const { name, message } = error as Error;
    report.outcome = 'failed';
    report.summary = `rotation not abandoned: an AWS call failed (${name}: ${message})`;
    report.problems.push(`${name}: ${message}`);
    report.next.push(
      `Nothing unsafe was left behind: every step is checked again from AWS on the next run. Fix the cause (for ` +
        'AccessDenied, the permissions listed in the README under rotate --abandon), then run ' +
        `ses-smtp-rotation rotate --abandon --secret-id ${deps.secretId} again.`,
    );
    return report;
  }
}

async function run(deps: AbandonDeps, report: AbandonReport): Promise<AbandonReport> {
  const { clients, clock, secretId, say } = deps;
  const state = await readSecretState(clients.secrets, secretId, clients.region);
  report.secretArn = state.arn;
  if (!rotationUnfinished(state)) {
    report.summary =
      'nothing to abandon: no rotation is unfinished (AWSPENDING is on no version other than AWSCURRENT)';
    return report;
  }
  if (!state.rotationLambdaArn) return refuse(report, 'not-configured', 'no rotation function is attached');
  const fn = await readFunctionState(clients.lambda(regionOfArn(state.rotationLambdaArn)), state.rotationLambdaArn);
  if (!fn.ok) return refuse(report, 'not-configured', `${fn.problem}: the targets and document are unknown`);
  const { config } = fn;
  const ssm = clients.ssm(regionOfArn(state.rotationLambdaArn));
  const keys = new AccessKeys(clients.iam);
  const deadline = new Deadline(clock, clock.now() + deps.timeoutMs);
  let confirmed: SeenPush | undefined;

  for (let step = 0; step < MAX_STEPS; step += 1) {
    // The first observation starts from the state just read; later ones read it again (it changes).
    const o = await observe(deps, config, ssm, keys, confirmed, step === 0 ? state : undefined);
    describe(report, o);
    const action = decideAbandon(o);
    switch (action.kind) {
      case 'nothing-to-abandon':
        if (report.actions.length === 0) {
          report.summary = `nothing to abandon: ${action.reason}`;
          return report;
        }
        report.outcome = 'abandoned';
        report.summary =
          `rotation abandoned: every target holds AWSCURRENT (version ${report.currentVersionId ?? '-'}), ` +
          `AWSPENDING cleared from ${report.pendingVersionId ?? '-'}` +
          (report.pendingKeyId ? `, pending key ${report.pendingKeyId} deleted` : '');
        return notify(deps, config, report);
      case 'refuse':
        report.next.push(...action.next);
        return notify(deps, config, refuse(report, 'refused', action.reason));
      case 'push': {
        say(`pushing AWSCURRENT (version ${action.versionId}) back to every target`);
        const fleet = new SsmFleet({ ssm, config: config.fleet, clock, logger: progress(say) });
        try {
          const pushed = await fleet.deliver(
            { secretArn: state.arn, versionId: action.versionId, comment: action.comment, ...newer(action) },
            deadline,
          );
          confirmed = { commandId: pushed.commandId, ...(await requestedAt(ssm, pushed.commandId)) };
          report.push = { commandId: pushed.commandId, hostsUpdated: pushed.hostsUpdated };
          report.actions.push('pushed');
          say(`every target confirmed AWSCURRENT: SSM command ${pushed.commandId}, ${pushed.hostsUpdated} hosts`);
        } catch (error) {
          return notify(deps, config, pushFailed(report, error));
        }
        break;
      }
      case 'delete-key':
        await keys.delete(config.iamUserName, action.keyId);
        report.actions.push('deleted-pending-key');
        say(`deleted the pending key ${maskKeyId(action.keyId)} of ${config.iamUserName}`);
        break;
      case 'clear-pending':
        await clients.secrets.send(
          new UpdateSecretVersionStageCommand({
            SecretId: state.arn,
            VersionStage: 'AWSPENDING',
            RemoveFromVersionId: action.versionId,
          }),
        );
        report.actions.push('cleared-pending');
        say(`cleared AWSPENDING from version ${action.versionId}`);
        break;
    }
  }
  throw new Error(`rotate --abandon did not settle in ${MAX_STEPS} steps; run it again`);
}

/** Everything the decision needs, read fresh from AWS. */
async function observe(
  deps: AbandonDeps,
  config: RotationConfig,
  ssm: SSMClient,
  keys: AccessKeys,
  confirmed: SeenPush | undefined,
  known?: SecretState,
): Promise<AbandonObservation> {
  const { clients, clock, secretId } = deps;
  const state = known ?? (await readSecretState(clients.secrets, secretId, clients.region));
  const now = clock.now();
  const base = { secretId, iamUserName: config.iamUserName, now, keys: [] };
  const pendingId = unfinishedVersion(state);
  if (pendingId === undefined) return { ...base, ...(state.current ? { currentVersionId: state.current } : {}) };
  const created = state.versions.find((v) => v.versionId === pendingId)?.created;
  const current = state.current ? await readVersionContent(clients.secrets, state.arn, state.current) : undefined;
  const pending = await readVersionContent(clients.secrets, state.arn, pendingId);
  const userKeys = await keys.list(config.iamUserName);
  // A push cannot be older than its version; Run Command keeps no history beyond its retention anyway.
  const since = Math.max((created?.getTime() ?? 0) - 60_000, now - SSM_HISTORY_DAYS * 86_400_000);
  const command = await findPushCommand(ssm, {
    documentName: config.fleet.documentName,
    versionId: pendingId,
    now,
    lookbackMs: now - since,
  });
  return {
    ...base,
    ...(state.current ? { currentVersionId: state.current } : {}),
    pendingVersionId: pendingId,
    ...(current ? { current } : {}),
    pending,
    ...(created ? { pendingCreated: created } : {}),
    keys: userKeys.map((k) => ({ id: k.id, status: k.status })),
    ...(command
      ? {
          rotationPush: {
            commandId: command.CommandId ?? '',
            ...(command.RequestedDateTime ? { requested: command.RequestedDateTime } : {}),
            running: decidePoll(toSnapshot(command)).kind === 'wait',
          },
        }
      : {}),
    ...(confirmed ? { confirmed } : {}),
  };
}

/** Fills the report's version and key fields from an observation (kept once known: the last step clears them). */
function describe(report: AbandonReport, o: AbandonObservation): void {
  report.pendingVersionId = o.pendingVersionId ?? report.pendingVersionId;
  report.currentVersionId = o.currentVersionId ?? report.currentVersionId;
  if (o.pending?.kind === 'credential') report.pendingKeyId = maskKeyId(o.pending.credential.username);
  if (o.current?.kind === 'credential') report.currentKeyId = maskKeyId(o.current.credential.username);
}

function refuse(report: AbandonReport, outcome: AbandonReport['outcome'], reason: string): AbandonReport {
  report.outcome = outcome;
  report.summary = `rotation not abandoned: ${reason}`;
  report.problems.push(reason);
  return report;
}

function pushFailed(report: AbandonReport, error: unknown): AbandonReport {
  report.summary = 'rotation not abandoned: the push of AWSCURRENT did not reach every target';
  let push: AbandonPushState;
  if (error instanceof FleetPushFailedError) {
    report.outcome = 'push-failed';
    report.failedHosts = [...error.failures];
    push = { outcome: 'failed', ...uncounted(error.commandId), reasons: error.reasons };
    if (error.firstError) push = { ...push, firstError: error.firstError };
  } else if (error instanceof FleetPushPendingError) {
    report.outcome = 'push-running';
    report.summary = 'rotation not abandoned yet: the push of AWSCURRENT is still running';
    push = {
      outcome: 'running',
      commandId: error.commandId,
      completed: error.completed,
      targets: error.targets,
      reasons: [],
    };
  } else if (error instanceof NoTargetsError) {
    report.outcome = 'push-failed';
    push = { outcome: 'no-targets', ...uncounted(error.commandId), reasons: [error.message] };
  } else {
    throw error;
  }
  // The same words `status` shows for this command (abandon-advice.ts).
  const advice = abandonPushAdvice(report.secretArn, push);
  report.push = { commandId: push.commandId, hostsUpdated: push.completed };
  report.problems.push(advice.problem);
  report.next.push(...advice.next);
  return report;
}

/** A failed push's error carries no host counts; the report has always said 0 hosts updated for it. */
function uncounted(commandId: string): { commandId: string; completed: number; targets: number } {
  return { commandId, completed: 0, targets: 0 };
}

/** Publishes the outcome to the function's topic (if it has one); a failure is reported, never thrown. */
async function notify(deps: AbandonDeps, config: RotationConfig, report: AbandonReport): Promise<AbandonReport> {
  const topic = config.notificationTopicArn;
  if (!topic) {
    deps.say('no notification topic is configured on the rotation function (NOTIFICATION_TOPIC_ARN): none sent');
    return report;
  }
  try {
    await publishAbandonNotice(deps.clients.sns(regionOfArn(topic)), topic, report, new Date(deps.clock.now()));
    report.notified = true;
  } catch (error) {
    report.problems.push(
      `the notification to ${topic} failed (${(error as Error).name}: ${(error as Error).message}); ` +
        'the caller needs sns:Publish on the topic',
    );
  }
  return report;
}

async function requestedAt(ssm: SSMClient, commandId: string): Promise<{ requested?: Date }> {
  const out = await ssm.send(new ListCommandsCommand({ CommandId: commandId }));
  const at = out.Commands?.find((c) => c.CommandId === commandId)?.RequestedDateTime;
  return at ? { requested: at } : {};
}

function newer(action: { newerThan?: Date }): { newerThan?: Date } {
  return action.newerThan ? { newerThan: action.newerThan } : {};
}

/** The fleet's log lines as progress for people: the command id and counts, nothing else. */
function progress(say: (line: string) => void): Log {
  const line = (message: string, extra?: Record<string, unknown>) => {
    const id = extra?.commandId ?? extra?.previousCommandId;
    say(`  ${message}${id ? ` (SSM command ${String(id)})` : ''}`);
  };
  return { info: line, warn: line, error: line };
}
