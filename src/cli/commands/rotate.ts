import { RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { stillRunningAdvice, unfinishedRotationAdvice } from '../advice';
import { regionOfArn, SECRET_COMMAND_FLAGS } from '../aws-clients';
import { awsCall } from '../aws-errors';
import { EXIT, parseFlags, type Command } from '../command';
import { findStepFailure, type StepFailure } from '../function-log';
import { println, type Io } from '../io';
import { requestRetirement, requestTag, withdrawRetirement, type RetirementRequest } from '../retirement-request';
import type { PushView } from '../push-state';
import { assessManual, readManualStatus } from '../manual-status';
import { pushFailureLines, watchRotation, type WatchResult } from '../rotation-watch';
import { secretCommandContext, type SecretCommandContext } from '../runtime';
import { readFunctionState, readSecretState, rotationUnfinished, type SecretState } from '../secret-state';
import { ABANDON_HELP, runAbandon } from './rotate-abandon';
import { AwsCallError, UsageError } from '../errors';
import type { RotationConfig } from '../../rotation/config';

const HELP = `Usage: ses-smtp-rotation rotate --secret-id <id> [--wait | --abandon] [--timeout <minutes>]
                                [--emergency | --immediate-retirement] [--json]
                                [--region <region>] [--profile <profile>]

Starts a rotation now with the secret's stored rotation settings (RotateSecret). Refuses, and explains what to
do, when a previous rotation is not complete (AWSPENDING on a version other than AWSCURRENT).

With --wait, follows the rotation and prints each step as it is reached:
  created   the new credential is stored as AWSPENDING (tested against SES next)
  pushing   the SSM command for the version is running; hosts done x/N
  promoted  every host confirmed; AWSCURRENT moved to the new version
  retired   the old key is gone; the SES user holds one key: complete

Options:
  --secret-id <id>       name or ARN of the secret (required)
  --wait                 follow the rotation until it completes, a step fails before the push (the function's own
                         "step failed" line, read from its log group), the push fails, or the timeout passes;
                         Ctrl-C stops following (the rotation goes on) and exits 130
  --timeout <minutes>    how long --wait (or --abandon) follows (default 30; only with --wait or --abandon)
  --emergency            a leaked key: every old key is deleted as soon as every host confirmed, whatever the
                         retirement policy, and a retiring key still in use does not stop it (sets the secret tag
                         ses-smtp-rotation:emergency; the function clears it)
  --immediate-retirement this rotation deletes the old key as soon as every host confirmed instead of the staged
                         retirement (every consumer is known to be on the push); a retiring key still in use still
                         stops it (tag ses-smtp-rotation:immediate-retirement; the function clears it)
  --json                 print one JSON object at the end (see the README section "Operator CLI"): secretArn, versionId,
                         waited, outcome, steps[{step, at}], push, failure, problems[], next[], warnings[], error
  --region <region>      AWS region (default: AWS_REGION, the secret ARN's region, or your profile's)
  --profile <profile>    AWS profile (default: AWS_PROFILE)
  -h, --help             show this help

The caller needs secretsmanager:RotateSecret and lambda:InvokeFunction on the rotation function; --wait also
reads the secret's versions, the function's configuration, SSM commands, the user's keys (never a password) and
logs:FilterLogEvents on the function's log group (without it, --wait warns and follows the rest).

Exit codes: 0 started (or, with --wait, complete), 1 not started, a step or the push failed, or timeout,
2 usage error, 130 interrupted (Ctrl-C) while waiting.
${ABANDON_HELP}`;

type Outcome =
  'started' | WatchResult['outcome'] | 'unfinished-rotation' | 'not-configured' | 'aws-error' | 'watch-failed';

/** The --json shape (documented in the README, "Operator CLI"); every key always present. */
interface RotateReport {
  secretArn: string;
  versionId: string | null;
  waited: boolean;
  outcome: Outcome;
  steps: WatchResult['steps'];
  push: PushView | null;
  failure: StepFailure | null;
  problems: string[];
  next: string[];
  warnings: string[];
  error: { kind: 'aws'; message: string } | null;
}

const JSON_FIELDS: readonly (keyof RotateReport)[] = [
  'secretArn',
  'versionId',
  'waited',
  'outcome',
  'steps',
  'push',
  'failure',
  'problems',
  'next',
  'warnings',
  'error',
];

/** `rotate`: start a rotation now, optionally following it to the end. */
export const rotateCommand: Command = {
  name: 'rotate',
  summary: 'rotate now (RotateSecret); --wait follows it step by step',
  help: HELP,
  jsonFields: JSON_FIELDS,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseFlags(args, {
      ...SECRET_COMMAND_FLAGS,
      wait: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      abandon: { type: 'boolean', default: false },
      emergency: { type: 'boolean', default: false },
      'immediate-retirement': { type: 'boolean', default: false },
    });
    if (values.emergency && values['immediate-retirement']) {
      throw new UsageError(
        '--emergency already deletes the old keys at once: give one of it and --immediate-retirement',
      );
    }
    const retirement: RetirementRequest | undefined = values.emergency
      ? 'emergency'
      : values['immediate-retirement']
        ? 'immediate'
        : undefined;
    if (values.abandon) {
      if (values.wait) throw new UsageError('--abandon and --wait do not go together: --abandon waits by itself');
      if (retirement)
        throw new UsageError(
          `--abandon and --${values.emergency ? 'emergency' : 'immediate-retirement'} do not go together`,
        );
      return runAbandon(values, parseTimeout(values.timeout), io);
    }
    if (values.timeout !== undefined && !values.wait) {
      throw new UsageError('--timeout only applies with --wait (how long to follow the rotation)');
    }
    const timeoutMinutes = parseTimeout(values.timeout);
    const context = secretCommandContext(values, io);
    const report: RotateReport = {
      secretArn: context.secretId,
      versionId: null,
      waited: values.wait,
      outcome: 'started',
      steps: [],
      push: null,
      failure: null,
      problems: [],
      next: [],
      warnings: [],
      error: null,
    };
    const finish = (code: number): number => {
      if (values.json) println(io.stdout, JSON.stringify(report, null, 2));
      return code;
    };
    try {
      return finish(
        await rotate({
          ...context,
          io,
          json: values.json,
          wait: values.wait,
          ...(retirement ? { retirement } : {}),
          timeoutMinutes,
          report,
        }),
      );
    } catch (error) {
      if (!(error instanceof AwsCallError)) throw error;
      report.outcome = 'aws-error';
      report.error = { kind: 'aws', message: error.message };
      report.problems.push(error.problem);
      report.next.push(error.fix);
      if (report.versionId) report.next.push(stillRunningAdvice(context.secretId));
      println(io.stderr, `error: ${error.problem}`);
      if (!values.json) report.next.forEach((n) => println(io.stderr, n));
      return finish(EXIT.failure);
    }
  },
};

interface RotateRun extends SecretCommandContext {
  readonly io: Io;
  readonly json: boolean;
  readonly wait: boolean;
  /** How this rotation retires the old keys, when not by the installation's policy. */
  readonly retirement?: RetirementRequest;
  readonly timeoutMinutes: number;
  readonly report: RotateReport;
}

async function rotate(run: RotateRun): Promise<number> {
  const { io, secretId, clients, report } = run;
  const say = (line: string) => (run.json ? undefined : println(io.stdout, line));
  const state = await readSecretState(clients.secrets, secretId, clients.region);
  report.secretArn = state.arn;
  if (!state.rotationLambdaArn) {
    report.outcome = 'not-configured';
    report.problems.push('rotation is not configured: no rotation function is attached to the secret');
    report.next.push(
      'deploy the ses-smtp-rotation construct for this secret (it attaches the function and the schedule), ' +
        'then run ses-smtp-rotation preflight --secret-id ' +
        secretId,
    );
    report.problems.forEach((p) => println(io.stderr, `error: ${p}`));
    report.next.forEach((n) => println(io.stderr, n));
    return EXIT.failure;
  }
  if (rotationUnfinished(state)) {
    return refuseUnfinished(io, report, secretId, state, await manualWait(run, state));
  }

  let versionId: string;
  // --emergency / --immediate-retirement: the function learns it from the secret's tag, set before the rotation.
  const retirement = run.retirement;
  if (retirement) {
    await awsCall(
      {
        action: 'secretsmanager:TagResource',
        resource: `secret ${state.arn} (tag ${requestTag(retirement)})`,
        ...(clients.region ? { region: clients.region } : {}),
      },
      () => requestRetirement(clients.secrets, state.arn, retirement, run.runtime.clock.now(), say),
    );
  }
  try {
    const out = await awsCall(
      {
        action: 'secretsmanager:RotateSecret',
        resource: `secret ${state.arn} (and lambda:InvokeFunction on ${state.rotationLambdaArn})`,
        ...(clients.region ? { region: clients.region } : {}),
      },
      () => clients.secrets.send(new RotateSecretCommand({ SecretId: state.arn })),
    );
    versionId = out.VersionId ?? '';
  } catch (error) {
    if (retirement) await withdrawRetirement(clients.secrets, state.arn, retirement);
    const cause = error instanceof AwsCallError ? error.errorName : '';
    if (cause === 'InvalidRequestException' && /previous rotation/i.test((error as Error).message)) {
      // Another rotation started between our read and our call.
      return refuseUnfinished(io, report, secretId, await readSecretState(clients.secrets, secretId, clients.region));
    }
    throw error;
  }
  report.versionId = versionId;
  say(`rotation started: version ${versionId} of ${state.name}`);
  if (!run.wait) {
    report.next.push(`follow it with: ses-smtp-rotation status --secret-id ${secretId} (or rerun with --wait)`);
    say(report.next[0] ?? '');
    return EXIT.ok;
  }
  return follow(run, state.arn, state.rotationLambdaArn, versionId);
}

async function follow(run: RotateRun, secretArn: string, functionArn: string, versionId: string): Promise<number> {
  const { io, secretId, clients, runtime, report } = run;
  const say = (line: string) => (run.json ? undefined : println(io.stdout, line));
  const warn = (line: string) => {
    report.warnings.push(line);
    if (!run.json) println(io.stderr, `warning: ${line}`);
  };
  const fnRegion = regionOfArn(functionArn);
  const fn = await readFunctionState(clients.lambda(fnRegion), functionArn);
  if (!fn.ok) warn(`${fn.problem}; the host push cannot be followed, only the secret and the keys`);
  const started = runtime.clock.now();
  const abort = new AbortController();
  const stopListening = runtime.onInterrupt(() => abort.abort());
  let result: WatchResult;
  try {
    result = await watchRotation({
      secrets: clients.secrets,
      ssm: clients.ssm(fnRegion),
      iam: clients.iam,
      clock: runtime.clock,
      secretArn,
      versionId,
      ...(fn.ok ? { documentName: fn.config.fleet.documentName, iamUserName: fn.config.iamUserName } : {}),
      ...(!fn.ok && fn.iamUserName ? { iamUserName: fn.iamUserName } : {}),
      ...(fn.logGroup
        ? {
            findFailure: () =>
              findStepFailure(clients.logs(fnRegion), {
                logGroup: fn.logGroup ?? '',
                versionId,
                since: started - 60_000,
                ...(fnRegion ? { region: fnRegion } : {}),
              }),
          }
        : {}),
      ...(fnRegion ? { region: fnRegion } : {}),
      pollIntervalMs: runtime.pollIntervalMs,
      deadline: runtime.clock.now() + run.timeoutMinutes * 60_000,
      onProgress: say,
      onWarning: warn,
      ...(fn.ok && fn.config.manualConsumers
        ? { findManualWait: (state: SecretState) => manualWaitOf(run, state, fn.config) }
        : {}),
      signal: abort.signal,
    });
  } finally {
    stopListening();
  }
  report.outcome = result.outcome;
  report.steps = [...result.steps];
  report.push = result.push ?? null;
  report.failure = result.failure ?? null;
  report.problems = [...result.problems];
  if (result.outcome === 'complete') {
    say('rotation complete');
    return EXIT.ok;
  }
  if (result.outcome === 'waiting-for-people') {
    // Not a failure: the rotation goes on as designed, and completes when the last person confirms.
    const [who, ...steps] = result.waiting ?? [];
    report.next.push(...(result.waiting ?? []).map((l) => l.trim()));
    say(`waiting: every host confirmed; ${who ?? ''}`);
    steps.forEach((line) => say(line));
    return EXIT.ok;
  }
  if (result.outcome === 'interrupted') {
    report.next.push(
      'The rotation goes on in Secrets Manager: interrupting the wait does not stop it. ' +
        `Check it with: ses-smtp-rotation status --secret-id ${secretId} (or rotate again with --wait later).`,
    );
    println(io.stderr, `interrupted: stopped following version ${versionId}`);
    if (!run.json) report.next.forEach((n) => println(io.stderr, n));
    return EXIT.interrupted;
  }
  if (result.outcome === 'step-failed' && result.failure) {
    const f = result.failure;
    println(io.stderr, `error: rotation failed before the push: step ${f.step} failed at ${f.at}`);
    if (!run.json) {
      println(io.stderr, `  ${f.errorName}: ${f.reason}`);
      println(io.stderr, `  (from the function's log group ${f.logGroup})`);
    }
    report.next.push(`fix: ${f.fix}`, 'Nothing was pushed and nothing promoted: every host still holds a working key.');
  } else if (result.outcome === 'push-failed' && result.push) {
    const lines = pushFailureLines(result.push);
    report.problems = lines;
    println(io.stderr, `error: the push to the hosts failed (SSM command ${result.push.commandId}):`);
    if (!run.json) lines.forEach((l) => println(io.stderr, `  ${l}`));
    report.next.push(
      'Nothing was promoted: the old key stays valid, and hosts that switched hold the new key, which also works. ' +
        'Fix the hosts named, then let Secrets Manager retry: each retry sends a new command to every target.',
    );
  } else {
    println(io.stderr, `error: the rotation did not complete within ${run.timeoutMinutes} minutes`);
  }
  report.next.push(stillRunningAdvice(secretId));
  if (!run.json) report.next.forEach((n) => println(io.stderr, n));
  return EXIT.failure;
}

/** The steps people still owe when the unfinished rotation waits for manual consumers (else none). */
async function manualWait(run: RotateRun, state: SecretState): Promise<string[]> {
  if (!state.rotationLambdaArn) return [];
  const fn = await readFunctionState(run.clients.lambda(regionOfArn(state.rotationLambdaArn)), state.rotationLambdaArn);
  return fn.ok ? manualWaitOf(run, state, fn.config) : [];
}

/** {@link manualWait} with the function's configuration at hand (status's reading, the same lines). */
async function manualWaitOf(run: RotateRun, state: SecretState, config: RotationConfig): Promise<string[]> {
  try {
    const manual = await readManualStatus(run.clients, state, config, run.runtime.clock.now());
    return assessManual(manual, state.arn).next;
  } catch {
    return []; // the generic advice still applies; status names a registry problem
  }
}

function refuseUnfinished(
  io: Io,
  report: RotateReport,
  secretId: string,
  state: SecretState,
  manual: readonly string[] = [],
): number {
  if (manual.length > 0) {
    // Waiting for people is not a stuck rotation: say who, and how it goes on.
    const [problem, ...next] = manual;
    report.outcome = 'unfinished-rotation';
    report.problems.push(`a rotation is in progress: ${problem ?? ''}`);
    report.next.push(...next.map((n) => n.trim()));
    println(io.stderr, `error: a rotation is in progress: ${problem ?? ''}`);
    for (const line of next) println(io.stderr, line);
    return EXIT.failure;
  }
  const [problem, ...next] = unfinishedRotationAdvice(secretId, state);
  report.outcome = 'unfinished-rotation';
  report.problems.push(problem ?? '');
  report.next.push(...next);
  println(io.stderr, `error: ${problem ?? ''}`);
  for (const line of next) println(io.stderr, line);
  return EXIT.failure;
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 30;
  const minutes = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || minutes <= 0 || minutes > 24 * 60) {
    throw new UsageError('--timeout takes minutes, a number from 1 to 1440, e.g. --timeout 45');
  }
  return minutes;
}
