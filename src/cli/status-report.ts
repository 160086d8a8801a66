/**
 * Gathers everything `status` shows about one secret — labels, rotation settings, the function's configuration
 * and its verdict on the secret, the SES user's keys, the last push, the function's own failure line — and
 * decides what needs attention (pure `assess`), so the command itself only prints. Each section reports its own
 * AWS error and the others still run. Never reads more than the key id out of a credential.
 */
import type { Clock } from '../core/clock';
import { maskKeyId } from '../core/mask';
import type { ObservedKey } from '../rotation/reconcile';
import { unfinishedRotationAdvice } from './advice';
import { regionOfArn, type AwsClients } from './aws-clients';
import { problemOf } from './aws-errors';
import { findStepFailure, type StepFailure } from './function-log';
import { crossRegionHint } from './preflight-checks';
import { assessManual, readManualStatus, type ManualStatus } from './manual-status';
import { findPushCommand, viewPush, type PushView } from './push-state';
import { missingRegions, readLabelled, recordedKeys, refusalOf, type Labelled } from './secret-facts';
import {
  readFunctionState,
  readSecretState,
  rotationUnfinished,
  userOf,
  type FunctionState,
  type SecretState,
  type VersionContent,
} from './secret-state';
import { keyProblem, readUserKeys, viewKeys, type KeyView } from './user-keys';
import { AwsCallError } from './errors';

/** A rotation step runs at most 15 minutes (the Lambda limit): a pending version older than that without a
 * running push is not "in progress" any more. */
const STEP_LIMIT_MS = 15 * 60_000;

/** The --json shape of `status` (documented in the README section "Operator CLI"); every key always present. */
export interface StatusReport {
  secret: {
    arn: string;
    name: string;
    rotationEnabled: boolean;
    rotationLambdaArn: string | null;
    lastRotatedDate: string | null;
    nextRotationDate: string | null;
    /** The emergency tag's value while `rotate --emergency` (or the console tag) is pending; null otherwise. */
    emergencyRequested: string | null;
    /** The immediate-retirement tag's value while `rotate --immediate-retirement` is pending; null otherwise. */
    immediateRetirementRequested: string | null;
  } | null;
  versions: { versionId: string; stages: string[]; created: string | null }[];
  current: {
    versionId: string;
    keyId: string | null;
    iamUserName: string | null;
    region: string | null;
    endpoint: string | null;
    port: number | null;
    /** The additional regions AWSCURRENT holds a password for (never the password); empty for a single region. */
    additionalRegions: { region: string; endpoint: string }[];
    content: VersionContent['kind'] | null;
  } | null;
  function: {
    arn: string;
    iamUserName: string | null;
    documentName: string | null;
    targets: string | null;
    logGroup: string | null;
    problem: string | null;
    refusal: string | null;
  } | null;
  iamUserName: string | null;
  /** null when the keys could not be read (or the user is unknown). */
  keys: KeyView[] | null;
  push: PushView | null;
  /** The manual consumers of the pending (else current) version; null without a registry. */
  manualConsumers: ManualStatus | null;
  failure: StepFailure | null;
  state: 'ok' | 'rotating' | 'attention';
  problems: string[];
  next: string[];
  warnings: string[];
  error: null;
}

/** An AWS error of one section, as a problem and its fix. */
interface SectionError {
  readonly problem: string;
  readonly fix: string;
}

function sectionError(error: unknown, fix: string): SectionError {
  return error instanceof AwsCallError
    ? { problem: error.problem, fix: error.fix }
    : { problem: problemOf(error), fix };
}

/** A report with every key present and nothing known yet. */
export function emptyStatusReport(): StatusReport {
  return {
    secret: null,
    versions: [],
    current: null,
    function: null,
    iamUserName: null,
    keys: null,
    push: null,
    manualConsumers: null,
    failure: null,
    state: 'attention',
    problems: [],
    next: [],
    warnings: [],
    error: null,
  };
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
  const pushVersion = rotationUnfinished(state) ? state.pending : state.current;
  let push: PushView | undefined;
  if (fn?.ok && pushVersion) {
    try {
      const command = await findPushCommand(clients.ssm(fnRegion), {
        documentName: fn.config.fleet.documentName,
        versionId: pushVersion,
        now: clock.now(),
        ...(fnRegion ? { region: fnRegion } : {}),
      });
      if (command) push = await viewPush(clients.ssm(fnRegion), pushVersion, command, fnRegion);
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
  if (rotationUnfinished(state) && state.pending && fn?.logGroup) {
    const created = state.versions.find((v) => v.versionId === state.pending)?.created?.getTime();
    const lookup = await findStepFailure(clients.logs(fnRegion), {
      logGroup: fn.logGroup,
      versionId: state.pending,
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

/** What {@link assess} decides from. */
export interface Facts {
  secretId: string;
  state: SecretState;
  fn: FunctionState | undefined;
  labelled: Labelled | undefined;
  /** undefined when the keys could not be read. */
  observed: readonly ObservedKey[] | undefined;
  errors: readonly SectionError[];
  now: number;
}

/** Decides the state and fills problems / next (pure). */
export function assess(report: StatusReport, facts: Facts): void {
  const { state, fn, labelled } = facts;
  const push = report.push;
  const problem = (text: string, ...next: string[]) => {
    report.problems.push(text);
    report.next.push(...next);
  };
  for (const e of facts.errors) problem(e.problem, e.fix);
  if (!state.rotationLambdaArn || !state.rotationEnabled) {
    problem(
      'rotation is not configured for this secret (no rotation function attached, or rotation disabled)',
      'deploy the ses-smtp-rotation construct for this secret, then run ses-smtp-rotation preflight',
    );
  }
  if (fn && !fn.ok) problem(fn.problem, "fix the function's environment (redeploy the construct with valid props)");
  if (report.function?.refusal) {
    problem(
      `the rotation function would refuse this secret: ${report.function.refusal}`,
      'do what the function says; until then every rotation of this secret fails',
    );
  }
  if (labelled?.current?.kind === 'unreadable') {
    problem(
      `AWSCURRENT cannot be read: ${labelled.current.problem}`,
      'run a rotation to store a well-formed credential',
    );
  }
  const pushFailed = push !== null && (push.outcome === 'failed' || push.outcome === 'no-targets');
  if (report.failure && !pushFailed) {
    const f = report.failure;
    problem(
      `rotation failed before the push: step ${f.step} failed at ${f.at}: ${f.errorName}: ${f.reason}`,
      `fix: ${f.fix}`,
    );
  }
  let rotating = false;
  // A rotation waiting for people is in progress, not stuck: the function asked them and keeps the old key.
  const manual = assessManual(report.manualConsumers, state.arn);
  if (manual.problem) problem(manual.problem, ...manual.next);
  else report.next.push(...manual.next);
  if (rotationUnfinished(state) && manual.waiting && !report.failure) {
    rotating = true;
  } else if (rotationUnfinished(state)) {
    const pendingCreated = state.versions.find((v) => v.versionId === state.pending)?.created?.getTime() ?? 0;
    const young = facts.now - pendingCreated < STEP_LIMIT_MS;
    if (!report.failure && (push?.outcome === 'running' || (push === null && young))) {
      rotating = true;
    } else {
      const [why, , ...steps] = unfinishedRotationAdvice(facts.secretId, state);
      problem(why ?? '', ...steps.map((s) => s.trim()));
    }
  }
  if (push && pushFailed) {
    problem(
      `the last push (SSM command ${push.commandId}, version ${push.versionId}) did not reach every host: ` +
        push.problems.join('; '),
      'fix the hosts named (Run Command history or CloudWatch Logs show their output); the next attempt sends a new command to every target',
    );
  }
  const recorded = labelled ? recordedKeys(state, labelled) : undefined;
  const keys = facts.observed && recorded ? keyProblem(facts.observed, recorded, state.lastRotatedDate) : undefined;
  // The pending key of a resumable rotation is explained above; a second problem would only repeat it.
  if (keys && !keys.pendingKey) problem(keys.problem, keys.fix);
  report.state = report.problems.length > 0 ? 'attention' : rotating ? 'rotating' : 'ok';
}

function currentView(versionId: string, content: VersionContent | undefined): StatusReport['current'] {
  const credential = content?.kind === 'credential' ? content.credential : undefined;
  const settings = content?.kind === 'settings' ? content.settings : undefined;
  return {
    versionId,
    keyId: credential ? maskKeyId(credential.username) : null,
    iamUserName: credential?.iamUserName ?? settings?.iamUserName ?? null,
    region: credential?.region ?? settings?.region ?? null,
    endpoint: credential?.endpoint ?? settings?.endpoint ?? null,
    port: credential?.port ?? settings?.port ?? null,
    additionalRegions: (credential?.additionalRegions ?? []).map(({ region, endpoint }) => ({ region, endpoint })),
    content: content?.kind ?? null,
  };
}

function functionView(fn: FunctionState, refusal: string | undefined): StatusReport['function'] {
  if (!fn.ok) {
    return {
      arn: fn.arn,
      iamUserName: fn.iamUserName ?? null,
      documentName: null,
      targets: null,
      logGroup: fn.logGroup ?? null,
      problem: fn.problem,
      refusal: null,
    };
  }
  const { fleet } = fn.config;
  const targets =
    fleet.tagTargets.length > 0
      ? fleet.tagTargets.map((t) => `tag:${t.key}=${t.values.join(',')}`).join(' and ')
      : `instances ${fleet.instanceIds.join(',')}`;
  return {
    arn: fn.arn,
    iamUserName: fn.config.iamUserName,
    documentName: fleet.documentName,
    targets,
    logGroup: fn.logGroup,
    problem: null,
    refusal: refusal ?? null,
  };
}
