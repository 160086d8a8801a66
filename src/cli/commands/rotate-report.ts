/**
 * What one `rotate` run shares between starting the rotation (rotate-start.ts) and following it (rotate-wait.ts):
 * its options, its clients, and the --json report both fill in.
 */
import type { StepFailure } from '../function-log';
import { println, type Io } from '../io';
import type { PushView } from '../push-state';
import type { RetirementRequest } from '../retirement-request';
import type { WatchResult } from '../rotation-watch';
import type { SecretCommandContext } from '../runtime';

export type Outcome =
  'started' | WatchResult['outcome'] | 'unfinished-rotation' | 'not-configured' | 'aws-error' | 'watch-failed';

/** The --json shape (documented in the README, "Operator CLI"); every key always present. */
export interface RotateReport {
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

/** A report with every key present and nothing known yet: also the command's list of --json keys. */
export function emptyRotateReport(secretArn: string, waited: boolean): RotateReport {
  return {
    secretArn,
    versionId: null,
    waited,
    outcome: 'started',
    steps: [],
    push: null,
    failure: null,
    problems: [],
    next: [],
    warnings: [],
    error: null,
  };
}

/** One `rotate` run (not --abandon). */
export interface RotateRun extends SecretCommandContext {
  readonly io: Io;
  readonly json: boolean;
  readonly wait: boolean;
  /** How this rotation retires the old keys, when not by the installation's policy. */
  readonly retirement?: RetirementRequest;
  readonly timeoutMinutes: number;
  readonly report: RotateReport;
}

/** A progress line on stdout; none under --json, whose one document must be all that stdout holds. */
export function progress(run: RotateRun): (line: string) => void {
  return (line) => (run.json ? undefined : println(run.io.stdout, line));
}
