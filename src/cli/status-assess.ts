/**
 * What `status` decides from what it read (pure): the state (ok, rotating, attention) and the problems with what to
 * do next, in the words of the function's own logic (advice, manual wait, key reconciliation) and of
 * `rotate --abandon` for its push.
 */
import type { ObservedKey } from '../rotation/reconcile';
import { abandonStatusAdvice } from './abandon-status';
import { unfinishedRotationAdvice } from './advice';
import { assessManual } from './manual-status';
import { recordedKeys, type Labelled } from './secret-facts';
import { rotationUnfinished, type FunctionState, type SecretState } from './secret-state';
import { keyProblem } from './user-keys';
import type { StatusReport } from './status-view';

/** A rotation step runs at most 15 minutes (the Lambda limit): a pending version older than that without a
 * running push is not "in progress" any more. */
const STEP_LIMIT_MS = 15 * 60_000;

/** An AWS error of one section, as a problem and its fix. */
export interface SectionError {
  readonly problem: string;
  readonly fix: string;
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
  // An abandon under way replaces the rotation's own advice (resume it, fix its hosts): following both would race.
  const abandoning = report.abandon?.upToDate === true;
  if (report.abandon) {
    const advice = abandonStatusAdvice(facts.secretId, report.abandon, push);
    problem(`an abandon (rotate --abandon) is not finished: ${advice.problem}`, ...advice.next);
  }
  if (report.failure && !pushFailed && !abandoning) {
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
  } else if (rotationUnfinished(state) && !abandoning) {
    const pendingCreated = state.versions.find((v) => v.versionId === state.pending)?.created?.getTime() ?? 0;
    const young = facts.now - pendingCreated < STEP_LIMIT_MS;
    if (!report.failure && (push?.outcome === 'running' || (push === null && young))) {
      rotating = true;
    } else {
      const [why, , ...steps] = unfinishedRotationAdvice(facts.secretId, state);
      problem(why ?? '', ...steps.map((s) => s.trim()));
    }
  }
  if (push && pushFailed && !abandoning) {
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
