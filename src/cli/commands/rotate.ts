import { InvalidRequestException, RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SesSmtpRotationError } from '../../core/errors';
import { stillRunningAdvice, unfinishedRotationAdvice } from '../advice';
import { regionOfArn, SECRET_COMMAND_FLAGS } from '../aws-clients';
import { EXIT, parseFlags, UsageError, type Command } from '../command';
import { println, type Io } from '../io';
import type { PushView } from '../push-state';
import { pushFailureLines, watchRotation, type WatchResult } from '../rotation-watch';
import { requestEmergency, withdrawEmergency } from '../emergency';
import { secretCommandContext } from '../runtime';
import { readFunctionState, readSecretState, rotationUnfinished, type SecretState } from '../secret-state';
import { ABANDON_HELP, runAbandon } from './rotate-abandon';

const HELP = `Usage: ses-smtp-rotation rotate --secret-id <id> [--wait | --abandon] [--timeout <minutes>] [--emergency] [--json]
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
  --wait                 follow the rotation until it completes, its push fails, or the timeout passes
  --timeout <minutes>    how long --wait follows (default 30)
  --emergency            a leaked key: every old key is deleted as soon as every host confirmed, whatever the
                         retirement policy (sets the secret tag ses-smtp-rotation:emergency; the function clears it)
  --json                 print one JSON object at the end (see the README section "Operator CLI"): secretArn, versionId,
                         waited, outcome, steps[{step, at}], push, problems[], next[]
  --region <region>      AWS region (default: AWS_REGION, the secret ARN's region, or your profile's)
  --profile <profile>    AWS profile (default: AWS_PROFILE)
  -h, --help             show this help

The caller needs secretsmanager:RotateSecret and lambda:InvokeFunction on the rotation function; --wait also
reads the secret's versions, the function's configuration, SSM commands and the user's keys (never a password).

Exit codes: 0 started (or, with --wait, complete), 1 not started, push failed or timeout, 2 usage error.
${ABANDON_HELP}`;

type Outcome = 'started' | WatchResult['outcome'] | 'unfinished-rotation' | 'not-configured';

/** The --json shape. */
interface RotateReport {
  secretArn: string;
  versionId: string | null;
  waited: boolean;
  outcome: Outcome;
  steps: WatchResult['steps'];
  push: PushView | null;
  problems: string[];
  next: string[];
}

/** RotateSecret was refused or failed for a reason the operator must act on. */
export class RotateRefusedError extends SesSmtpRotationError {}

/** `rotate`: start a rotation now, optionally following it to the end. */
export const rotateCommand: Command = {
  name: 'rotate',
  summary: 'rotate now (RotateSecret); --wait follows it step by step',
  help: HELP,
  async run(args: string[], io: Io): Promise<number> {
    const { values } = parseFlags(args, {
      ...SECRET_COMMAND_FLAGS,
      wait: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      abandon: { type: 'boolean', default: false },
      emergency: { type: 'boolean', default: false },
    });
    const timeoutMinutes = parseTimeout(values.timeout);
    if (values.abandon) {
      if (values.wait) throw new UsageError('--abandon and --wait do not go together: --abandon waits by itself');
      return runAbandon(values, timeoutMinutes, io);
    }
    const { secretId, runtime, clients } = secretCommandContext(values, io);
    const say = (line: string) => (values.json ? undefined : println(io.stdout, line));
    const report: RotateReport = {
      secretArn: secretId,
      versionId: null,
      waited: values.wait,
      outcome: 'started',
      steps: [],
      push: null,
      problems: [],
      next: [],
    };
    const finish = (code: number): number => {
      if (values.json) println(io.stdout, JSON.stringify(report, null, 2));
      return code;
    };

    const state = await readSecretState(clients.secrets, secretId);
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
      return finish(EXIT.failure);
    }
    if (rotationUnfinished(state)) return finish(refuseUnfinished(io, report, secretId, state));

    let versionId: string;
    // --emergency (issue 13): the function learns it from the secret's tag, set before the rotation starts.
    if (values.emergency) await requestEmergency(clients.secrets, state.arn, runtime.clock.now(), say);
    try {
      const out = await clients.secrets.send(new RotateSecretCommand({ SecretId: state.arn }));
      versionId = out.VersionId ?? '';
    } catch (error) {
      if (values.emergency) await withdrawEmergency(clients.secrets, state.arn);
      if (error instanceof InvalidRequestException && /previous rotation/i.test(error.message)) {
        // Another rotation started between our read and our call.
        return finish(refuseUnfinished(io, report, secretId, await readSecretState(clients.secrets, secretId)));
      }
      if (/AccessDenied/.test((error as Error).name)) {
        throw new RotateRefusedError(
          `RotateSecret was denied (${(error as Error).message}). The caller needs secretsmanager:RotateSecret on ` +
            `the secret and lambda:InvokeFunction on ${state.rotationLambdaArn}.`,
        );
      }
      throw error;
    }
    report.versionId = versionId;
    say(`rotation started: version ${versionId} of ${state.name}`);
    if (!values.wait) {
      report.next.push(`follow it with: ses-smtp-rotation status --secret-id ${secretId} (or rerun with --wait)`);
      say(report.next[0] ?? '');
      return finish(EXIT.ok);
    }

    const fn = await readFunctionState(clients.lambda(regionOfArn(state.rotationLambdaArn)), state.rotationLambdaArn);
    if (!fn.ok) say(`warning: ${fn.problem}; the host push cannot be followed, only the secret and the keys`);
    const result = await watchRotation({
      secrets: clients.secrets,
      ssm: clients.ssm(regionOfArn(state.rotationLambdaArn)),
      iam: clients.iam,
      clock: runtime.clock,
      secretArn: state.arn,
      versionId,
      ...(fn.ok ? { documentName: fn.config.fleet.documentName, iamUserName: fn.config.iamUserName } : {}),
      ...(!fn.ok && fn.iamUserName ? { iamUserName: fn.iamUserName } : {}),
      pollIntervalMs: runtime.pollIntervalMs,
      deadline: runtime.clock.now() + timeoutMinutes * 60_000,
      onProgress: say,
    });
    report.outcome = result.outcome;
    report.steps = [...result.steps];
    report.push = result.push ?? null;
    report.problems = [...result.problems];
    if (result.outcome === 'complete') {
      say('rotation complete');
      return finish(EXIT.ok);
    }
    if (result.outcome === 'push-failed' && result.push) {
      const lines = pushFailureLines(result.push);
      report.problems = lines;
      println(io.stderr, `error: the push to the hosts failed (SSM command ${result.push.commandId}):`);
      if (!values.json) lines.forEach((l) => println(io.stderr, `  ${l}`));
      report.next.push(
        'Nothing was promoted: the old key stays valid, and hosts that switched hold the new key, which also works. ' +
          'Fix the hosts named, then let Secrets Manager retry: each retry sends a new command to every target.',
      );
    } else {
      println(io.stderr, `error: the rotation did not complete within ${timeoutMinutes} minutes`);
    }
    report.next.push(stillRunningAdvice(secretId));
    if (!values.json) report.next.forEach((n) => println(io.stderr, n));
    return finish(EXIT.failure);
  },
};

function refuseUnfinished(io: Io, report: RotateReport, secretId: string, state: SecretState): number {
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
