/**
 * `rotate --abandon`: the printing half. The steps are in ../abandon.ts (runner) and ../abandon-plan.ts (decision).
 */
import { EXIT } from '../command';
import { abandonRotation } from '../abandon';
import { println, type Io } from '../io';
import { secretCommandContext } from '../runtime';

/** The flags `rotate --abandon` reads. */
export interface AbandonFlags {
  readonly 'secret-id'?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly json: boolean;
}

/** Help lines appended to `rotate --help`. */
export const ABANDON_HELP = `
With --abandon, gives up the unfinished rotation instead, safely: pushes the AWSCURRENT version back to every
target and waits until all confirmed (up to --timeout), then deletes the pending key and clears AWSPENDING.
Refuses, keeping AWSPENDING and the pending key, when it cannot guarantee every relay a working key (a target did
not confirm, the AWSCURRENT key is missing or inactive, a first rotation whose push already reached relays).
Resumable: run it again after a failure or an interruption. Publishes the outcome to the function's SNS topic.
Exit codes with --abandon: 0 abandoned or nothing to abandon, 1 refused or not finished.`;

/**
 * Runs the abandon and prints its outcome: progress lines on stdout, problems on stderr, or one JSON object.
 * @returns the exit code: 0 abandoned or nothing to abandon, 1 refused / push failed / still running
 */
export async function runAbandon(values: AbandonFlags, timeoutMinutes: number, io: Io): Promise<number> {
  const { secretId, runtime, clients } = secretCommandContext(values, io);
  const say = (line: string) => (values.json ? undefined : println(io.stdout, line));
  const report = await abandonRotation({
    clients,
    clock: runtime.clock,
    secretId,
    timeoutMs: timeoutMinutes * 60_000,
    say,
  });
  const ok = report.outcome === 'abandoned' || report.outcome === 'nothing-to-abandon';
  if (values.json) {
    println(io.stdout, JSON.stringify(report, null, 2));
  } else if (ok) {
    say(report.summary);
    if (report.notified) say('notification published');
  } else {
    println(io.stderr, `error: ${report.summary}`);
    for (const problem of report.problems) println(io.stderr, `  ${problem}`);
    for (const line of report.next) println(io.stderr, line);
  }
  if (ok && report.problems.length > 0) {
    // Abandoned, but the notification failed: the operation is done, its audit message is not.
    if (!values.json) report.problems.forEach((p) => println(io.stderr, `error: ${p}`));
    return EXIT.failure;
  }
  return ok ? EXIT.ok : EXIT.failure;
}
