/**
 * `rotate --wait`: follows a started rotation step by step (rotation-watch.ts decides) and prints how it ended,
 * filling the run's --json report.
 */
import { stillRunningAdvice } from '../advice';
import { regionOfArn } from '../aws-clients';
import { EXIT } from '../command';
import { findStepFailure } from '../function-log';
import { println } from '../io';
import { manualSteps } from '../manual-status';
import { pushFailureLines, watchRotation, type WatchResult } from '../rotation-watch';
import { readFunctionState, type SecretState } from '../secret-state';
import { progress, type RotateRun } from './rotate-report';

/** Follows version `versionId` of the secret until it completes, fails, times out or the operator interrupts. */
export async function followRotation(
  run: RotateRun,
  secretArn: string,
  functionArn: string,
  versionId: string,
): Promise<number> {
  const { io, secretId, clients, runtime, report } = run;
  const say = progress(run);
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
        ? { findManualWait: (state: SecretState) => manualSteps(clients, state, fn.config, runtime.clock.now()) }
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
