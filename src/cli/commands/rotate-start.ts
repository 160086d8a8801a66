/**
 * Starting a rotation for `rotate`: refuses a secret without a rotation function or with an unfinished rotation
 * (explaining what to do), sets the retirement request's tag, calls RotateSecret, then follows it with --wait.
 */
import { RotateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { unfinishedRotationAdvice } from '../advice';
import { regionOfArn } from '../aws-clients';
import { awsCall } from '../aws-errors';
import { EXIT } from '../command';
import { println, type Io } from '../io';
import { manualSteps } from '../manual-status';
import { requestRetirement, requestTag, withdrawRetirement } from '../retirement-request';
import { readFunctionState, readSecretState, rotationUnfinished, type SecretState } from '../secret-state';
import { AwsCallError } from '../errors';
import { progress, type Outcome, type RotateReport, type RotateRun } from './rotate-report';
import { followRotation } from './rotate-wait';

/** Starts the rotation and, with --wait, follows it. @throws AwsCallError when a call fails */
export async function startRotation(run: RotateRun): Promise<number> {
  const { io, secretId, clients, report } = run;
  const say = progress(run);
  const state = await readSecretState(clients.secrets, secretId, clients.region);
  report.secretArn = state.arn;
  if (!state.rotationLambdaArn) {
    return refuse(
      io,
      report,
      'not-configured',
      'rotation is not configured: no rotation function is attached to the secret',
      [
        'deploy the ses-smtp-rotation construct for this secret (it attaches the function and the schedule), ' +
          'then run ses-smtp-rotation preflight --secret-id ' +
          secretId,
      ],
    );
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
  return followRotation(run, state.arn, state.rotationLambdaArn, versionId);
}

/** The steps people still owe when the unfinished rotation waits for manual consumers (else none). */
async function manualWait(run: RotateRun, state: SecretState): Promise<string[]> {
  if (!state.rotationLambdaArn) return [];
  const fn = await readFunctionState(run.clients.lambda(regionOfArn(state.rotationLambdaArn)), state.rotationLambdaArn);
  return fn.ok ? manualSteps(run.clients, state, fn.config, run.runtime.clock.now()) : [];
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
    const [who, ...steps] = manual;
    const problem = `a rotation is in progress: ${who ?? ''}`;
    return refuse(
      io,
      report,
      'unfinished-rotation',
      problem,
      steps,
      steps.map((n) => n.trim()),
    );
  }
  const [problem, ...next] = unfinishedRotationAdvice(secretId, state);
  return refuse(io, report, 'unfinished-rotation', problem ?? '', next);
}

/** Ends the run refused: the report and stderr both say why (`problem`) and what to do (`lines`). */
function refuse(
  io: Io,
  report: RotateReport,
  outcome: Outcome,
  problem: string,
  lines: readonly string[],
  next: readonly string[] = lines,
): number {
  report.outcome = outcome;
  report.problems.push(problem);
  report.next.push(...next);
  println(io.stderr, `error: ${problem}`);
  for (const line of lines) println(io.stderr, line);
  return EXIT.failure;
}
