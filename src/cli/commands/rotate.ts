/**
 * `rotate`: the command's surface (help, flags, the --json document and the exit code). Starting the rotation is in
 * rotate-start.ts, following it (--wait) in rotate-wait.ts, giving it up (--abandon) in rotate-abandon.ts.
 */
import { stillRunningAdvice } from '../advice';
import { SECRET_COMMAND_FLAGS } from '../aws-clients';
import { EXIT, parseFlags, type CommandBody } from '../command';
import { println, type Io } from '../io';
import type { RetirementRequest } from '../retirement-request';
import { secretCommandContext } from '../runtime';
import { ABANDON_HELP, runAbandon } from './rotate-abandon';
import { emptyRotateReport } from './rotate-report';
import { startRotation } from './rotate-start';
import { AwsCallError, UsageError } from '../errors';

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

/** `rotate`: start a rotation now, optionally following it to the end. */
export const rotateCommand: CommandBody = {
  help: HELP,
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
    const report = emptyRotateReport(context.secretId, values.wait);
    const finish = (code: number): number => {
      if (values.json) println(io.stdout, JSON.stringify(report, null, 2));
      return code;
    };
    try {
      return finish(
        await startRotation({
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

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 30;
  const minutes = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || minutes <= 0 || minutes > 24 * 60) {
    throw new UsageError('--timeout takes minutes, a number from 1 to 1440, e.g. --timeout 45');
  }
  return minutes;
}
