/**
 * Gathers everything `status` shows about one secret — labels, rotation settings, the function's configuration,
 * the SES user's keys, the last push — and decides what needs attention (pure `assess`), so the command itself only
 * prints. Never reads more than the key id out of a credential.
 */
import type { Clock } from '../core/clock';
import { maskKeyId } from '../core/mask';
import { unfinishedRotationAdvice } from './advice';
import { regionOfArn, type AwsClients } from './aws-clients';
import { findPushCommand, viewPush, type PushView } from './push-state';
import {
  readFunctionState,
  readSecretState,
  readVersionContent,
  rotationUnfinished,
  userOf,
  type FunctionState,
  type SecretState,
  type VersionContent,
} from './secret-state';
import { keyProblem, readUserKeys, viewKeys, type KeyView, type RecordedKeyIds } from './user-keys';

/** A rotation step runs at most 15 minutes (the Lambda limit): a pending version older than that without a
 * running push is not "in progress" any more. */
const STEP_LIMIT_MS = 15 * 60_000;

/** The --json shape of `status` (documented in the README section "Operator CLI"). */
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
  };
  versions: { versionId: string; stages: string[]; created: string | null }[];
  current: {
    versionId: string;
    keyId: string | null;
    iamUserName: string | null;
    region: string | null;
    endpoint: string | null;
    port: number | null;
    content: VersionContent['kind'];
  } | null;
  function: {
    arn: string;
    iamUserName: string | null;
    documentName: string | null;
    targets: string | null;
    problem: string | null;
  } | null;
  iamUserName: string | null;
  keys: KeyView[];
  push: PushView | null;
  state: 'ok' | 'rotating' | 'attention';
  problems: string[];
  next: string[];
}

/** Reads the secret, its function, keys and last push. */
export async function gatherStatus(clients: AwsClients, secretId: string, clock: Clock): Promise<StatusReport> {
  const state = await readSecretState(clients.secrets, secretId);
  const fnRegion = regionOfArn(state.rotationLambdaArn);
  const fn = state.rotationLambdaArn
    ? await readFunctionState(clients.lambda(fnRegion), state.rotationLambdaArn)
    : undefined;
  const read = (id: string | undefined) => (id ? readVersionContent(clients.secrets, state.arn, id) : undefined);
  const current = await read(state.current);
  const pending = rotationUnfinished(state) ? await read(state.pending) : undefined;
  const previous = current?.kind === 'credential' ? await read(state.previous) : undefined;
  const recorded: RecordedKeyIds = {
    ...(keyOf(current) ? { current: keyOf(current) } : {}),
    ...(keyOf(pending) ? { pending: keyOf(pending) } : {}),
    ...(keyOf(previous) ? { previous: keyOf(previous) } : {}),
  };
  const iamUserName =
    (fn?.ok ? fn.config.iamUserName : undefined) ??
    userOf(current) ??
    userOf(pending) ??
    (fn && !fn.ok ? fn.iamUserName : undefined);
  const observed = iamUserName ? await readUserKeys(clients.iam, iamUserName) : [];
  const pushVersion = rotationUnfinished(state) ? state.pending : state.current;
  let push: PushView | undefined;
  if (fn?.ok && pushVersion) {
    const command = await findPushCommand(clients.ssm(fnRegion), {
      documentName: fn.config.fleet.documentName,
      versionId: pushVersion,
      now: clock.now(),
    });
    if (command) push = await viewPush(clients.ssm(fnRegion), pushVersion, command);
  }
  const report: StatusReport = {
    secret: {
      arn: state.arn,
      name: state.name,
      rotationEnabled: state.rotationEnabled,
      rotationLambdaArn: state.rotationLambdaArn ?? null,
      lastRotatedDate: state.lastRotatedDate?.toISOString() ?? null,
      nextRotationDate: state.nextRotationDate?.toISOString() ?? null,
      emergencyRequested: state.emergencyRequested ?? null,
    },
    versions: state.versions.map((v) => ({
      versionId: v.versionId,
      stages: [...v.stages],
      created: v.created?.toISOString() ?? null,
    })),
    current: state.current ? currentView(state.current, current) : null,
    function: fn ? functionView(fn) : null,
    iamUserName: iamUserName ?? null,
    keys: viewKeys(observed, recorded, clock.now()),
    push: push ?? null,
    state: 'ok',
    problems: [],
    next: [],
  };
  assess(report, { secretId, state, fn, current, pending, observed, recorded, now: clock.now() });
  return report;
}

interface Facts {
  secretId: string;
  state: SecretState;
  fn: FunctionState | undefined;
  current: VersionContent | undefined;
  pending: VersionContent | undefined;
  observed: Awaited<ReturnType<typeof readUserKeys>>;
  recorded: RecordedKeyIds;
  now: number;
}

/** Decides the state and fills problems / next (pure). */
export function assess(report: StatusReport, facts: Facts): void {
  const { state, fn, push } = { ...facts, push: report.push };
  const problem = (text: string, ...next: string[]) => {
    report.problems.push(text);
    report.next.push(...next);
  };
  if (!state.rotationLambdaArn || !state.rotationEnabled) {
    problem(
      'rotation is not configured for this secret (no rotation function attached, or rotation disabled)',
      'deploy the ses-smtp-rotation construct for this secret, then run ses-smtp-rotation preflight',
    );
  }
  if (fn && !fn.ok) problem(fn.problem, "fix the function's environment (redeploy the construct with valid props)");
  if (facts.current?.kind === 'unreadable') {
    problem(`AWSCURRENT cannot be read: ${facts.current.problem}`, 'run a rotation to store a well-formed credential');
  }
  let rotating = false;
  if (rotationUnfinished(state)) {
    const pendingCreated = state.versions.find((v) => v.versionId === state.pending)?.created?.getTime() ?? 0;
    const young = facts.now - pendingCreated < STEP_LIMIT_MS;
    if (push?.outcome === 'running' || (push === null && young)) {
      rotating = true;
    } else {
      const [why, , ...steps] = unfinishedRotationAdvice(facts.secretId, state);
      problem(why ?? '', ...steps.map((s) => s.trim()));
    }
  }
  if (push && (push.outcome === 'failed' || push.outcome === 'no-targets')) {
    problem(
      `the last push (SSM command ${push.commandId}, version ${push.versionId}) did not reach every host: ` +
        push.problems.join('; '),
      'fix the hosts named (Run Command history or CloudWatch Logs show their output); the next attempt sends a new command to every target',
    );
  }
  const keys = keyProblem(facts.observed, facts.recorded, state.lastRotatedDate);
  // The pending key of an unfinished rotation is explained above; a second problem would only repeat it.
  if (keys && !(rotationUnfinished(state) && facts.recorded.pending)) {
    problem(keys.problem, keys.fix);
  }
  report.state = report.problems.length > 0 ? 'attention' : rotating ? 'rotating' : 'ok';
}

function keyOf(content: VersionContent | undefined): string | undefined {
  return content?.kind === 'credential' ? content.credential.username : undefined;
}

function currentView(versionId: string, content: VersionContent | undefined): StatusReport['current'] {
  const credential = content?.kind === 'credential' ? content.credential : undefined;
  return {
    versionId,
    keyId: credential ? maskKeyId(credential.username) : null,
    iamUserName: credential?.iamUserName ?? userOf(content) ?? null,
    region: credential?.region ?? null,
    endpoint: credential?.endpoint ?? null,
    port: credential?.port ?? null,
    content: content?.kind ?? 'no-value',
  };
}

function functionView(fn: FunctionState): StatusReport['function'] {
  if (!fn.ok)
    return { arn: fn.arn, iamUserName: fn.iamUserName ?? null, documentName: null, targets: null, problem: fn.problem };
  const { fleet } = fn.config;
  const targets =
    fleet.tagTargets.length > 0
      ? fleet.tagTargets.map((t) => `tag:${t.key}=${t.values.join(',')}`).join(' and ')
      : `instances ${fleet.instanceIds.join(',')}`;
  return { arn: fn.arn, iamUserName: fn.config.iamUserName, documentName: fleet.documentName, targets, problem: null };
}
