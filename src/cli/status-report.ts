/**
 * Gathers everything `status` shows about one secret — labels, rotation settings, the function's configuration
 * and its verdict on the secret, the SES user's keys, the last push and any abandon push, the function's own failure
 * line — then has status-assess.ts decide what needs attention, so the command itself only prints. Each section
 * reports its own AWS error and the others still run. Never reads more than the key id out of a credential.
 */
import type { Clock } from '../core/clock';
import type { ObservedKey } from '../rotation/reconcile';
import { regionOfArn, type AwsClients } from './aws-clients';
import { readAbandonPush, type AbandonView } from './abandon-status';
import { problemOf } from './aws-errors';
import { findStepFailure, type StepFailure } from './function-log';
import { crossRegionHint } from './preflight-checks';
import { readManualStatus, type ManualStatus } from './manual-status';
import { findPushCommand, viewPush, type PushView } from './push-state';
import { missingRegions, readLabelled, recordedKeys, refusalOf, type Labelled } from './secret-facts';
import {
  readFunctionState,
  readSecretState,
  unfinishedVersion,
  userOf,
  versionInView,
  type SecretState,
} from './secret-state';
import { assess, type SectionError } from './status-assess';
import { currentView, emptyStatusReport, functionView, type StatusReport } from './status-view';
import { readUserKeys, viewKeys } from './user-keys';
import { AwsCallError } from './errors';

function sectionError(error: unknown, fix: string): SectionError {
  return error instanceof AwsCallError
    ? { problem: error.problem, fix: error.fix }
    : { problem: problemOf(error), fix };
}

/** Reads the secret, its function, keys, last push and failure line. Never throws for an AWS error. */
export async function gatherStatus(clients: AwsClients, secretId: string, clock: Clock): Promise<StatusReport> {
  const report = emptyStatusReport();
  let state: SecretState;
  try {
    state = await readSecretState(clients.secrets, secretId, clients.region);
  } catch (error) {
    const { problem, fix } = sectionError(error, 'check --secret-id, --region and --profile');
    report.problems.push(problem);
    report.next.push(crossRegionHint(secretId, clients.region) ?? fix);
    return report;
  }
  const errors: SectionError[] = [];
  const fnRegion = regionOfArn(state.rotationLambdaArn);
  const fn = state.rotationLambdaArn
    ? await readFunctionState(clients.lambda(fnRegion), state.rotationLambdaArn)
    : undefined;
  let labelled: Labelled | undefined;
  try {
    labelled = await readLabelled(clients.secrets, state, clients.region);
  } catch (error) {
    errors.push(sectionError(error, 'check the permissions on the secret and its KMS key'));
  }
  const iamUserName =
    (fn?.ok ? fn.config.iamUserName : undefined) ??
    userOf(labelled?.current) ??
    userOf(labelled?.pending) ??
    (fn && !fn.ok ? fn.iamUserName : undefined);
  let observed: ObservedKey[] | undefined;
  if (iamUserName) {
    try {
      observed = await readUserKeys(clients.iam, iamUserName);
    } catch (error) {
      errors.push(sectionError(error, "retry; check the IAM user's name"));
    }
  }
  const pushVersion = versionInView(state);
  let push: PushView | undefined;
  let abandon: AbandonView | undefined;
  if (fn?.ok && pushVersion) {
    try {
      const command = await findPushCommand(clients.ssm(fnRegion), {
        documentName: fn.config.fleet.documentName,
        versionId: pushVersion,
        now: clock.now(),
        ...(fnRegion ? { region: fnRegion } : {}),
      });
      if (command) push = await viewPush(clients.ssm(fnRegion), pushVersion, command, fnRegion);
      abandon = await readAbandonPush(clients.ssm(fnRegion), {
        documentName: fn.config.fleet.documentName,
        state,
        rotationPush: push,
        now: clock.now(),
        ...(fnRegion ? { region: fnRegion } : {}),
      });
    } catch (error) {
      errors.push(sectionError(error, 'retry; check the SSM permissions'));
    }
  }
  let manual: ManualStatus | null = null;
  if (fn?.ok) {
    try {
      manual = await readManualStatus(clients, state, fn.config, clock.now());
    } catch (error) {
      errors.push(sectionError(error, 'grant dynamodb:Query and GetItem on the table, or check it exists'));
    }
  }
  let failure: StepFailure | undefined;
  const pending = unfinishedVersion(state);
  if (pending && fn?.logGroup) {
    const created = state.versions.find((v) => v.versionId === pending)?.created?.getTime();
    const lookup = await findStepFailure(clients.logs(fnRegion), {
      logGroup: fn.logGroup,
      versionId: pending,
      since: (created ?? clock.now() - 86_400_000) - 60_000,
      ...(fnRegion ? { region: fnRegion } : {}),
    });
    if (lookup.kind === 'failed') failure = lookup.failure;
    if (lookup.kind === 'unreadable') report.warnings.push(lookup.problem);
  }
  const recorded = labelled ? recordedKeys(state, labelled) : {};
  Object.assign(report, {
    secret: {
      arn: state.arn,
      name: state.name,
      rotationEnabled: state.rotationEnabled,
      rotationLambdaArn: state.rotationLambdaArn ?? null,
      lastRotatedDate: state.lastRotatedDate?.toISOString() ?? null,
      nextRotationDate: state.nextRotationDate?.toISOString() ?? null,
      emergencyRequested: state.emergencyRequested ?? null,
      immediateRetirementRequested: state.immediateRetirementRequested ?? null,
    },
    versions: state.versions.map((v) => ({
      versionId: v.versionId,
      stages: [...v.stages],
      created: v.created?.toISOString() ?? null,
    })),
    current: state.current ? currentView(state.current, labelled?.current) : null,
    function: fn ? functionView(fn, fn.ok && labelled ? refusalOf(fn.config, state, labelled) : undefined) : null,
    iamUserName: iamUserName ?? null,
    keys: observed ? viewKeys(observed, recorded, clock.now()) : null,
    push: push ?? null,
    abandon: abandon ?? null,
    manualConsumers: manual,
    failure: failure ?? null,
  });
  assess(report, { secretId, state, fn, labelled, observed, errors, now: clock.now() });
  const missing = fn?.ok ? missingRegions(fn.config, labelled?.current) : [];
  if (missing.length > 0) {
    report.warnings.push(
      `AWSCURRENT holds no password for the configured additional region(s) ${missing.join(', ')}: relays pointed ` +
        'at them refuse it (nothing changes on them); the next rotation adds the password (ses-smtp-rotation rotate)',
    );
  }
  return report;
}
