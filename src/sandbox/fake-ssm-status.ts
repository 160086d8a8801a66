/**
 * What SSM reports about a command as a whole, derived from how many of its invocations are in each state: the
 * `Status` / `StatusDetails` pair and the counters `ListCommands` returns. Pure, so the status model is readable in
 * one place and costs the same whatever the fleet size.
 *
 * The details follow the SSM API reference (`Command.StatusDetails`) and the user guide ("Understanding command
 * statuses"): `Success` only when the command ran successfully on all invocations; `Incomplete` when it was attempted
 * on all nodes and at least one invocation is not `Success` without enough failures for `Failed`.
 */

/** Detailed invocation states (the `ListCommandInvocations` Status filter values, plus Cancelling). */
export type InvocationState =
  | 'Pending'
  | 'InProgress'
  | 'Delayed'
  | 'Cancelling'
  | 'Success'
  | 'Failed'
  | 'ExecutionTimedOut'
  | 'DeliveryTimedOut'
  | 'Undeliverable'
  | 'InvalidPlatform'
  | 'AccessDenied'
  | 'Terminated'
  | 'Cancelled';

/** How many invocations of one command are in each state. */
export type StateTally = Record<InvocationState, number>;

/** States in which a host holds a concurrency slot. */
export const IN_FLIGHT: readonly InvocationState[] = ['InProgress', 'Delayed', 'Cancelling'];
/** States of a host the command never reached. */
export const UNREACHED: readonly InvocationState[] = ['Undeliverable', 'InvalidPlatform', 'AccessDenied'];
/** Counted in CompletedCount (per the SSM API reference). Invalid Platform and Access Denied are deliberately not: undocumented. */
const COMPLETED: readonly InvocationState[] = [
  'Success',
  'Failed',
  'ExecutionTimedOut',
  'DeliveryTimedOut',
  'Cancelled',
  'Terminated',
  'Undeliverable',
];

/** The status view `ListCommands` returns. */
export interface CommandStatusView {
  readonly Status: string;
  readonly StatusDetails: string;
  readonly TargetCount: number;
  readonly CompletedCount: number;
  readonly ErrorCount: number;
  readonly DeliveryTimedOutCount: number;
}

/** Where the command's life cycle stands, beyond its invocations' states. */
export interface CommandPhase {
  /** Targets resolved (tag targets resolve asynchronously). */
  readonly resolved: boolean;
  /** CancelCommand was called for the whole command. */
  readonly cancelled: boolean;
  /** More invocations failed than MaxErrors allows, so the rollout stopped. */
  readonly stopped: boolean;
}

/** A tally with every state at zero. */
export function emptyTally(): StateTally {
  return {
    Pending: 0,
    InProgress: 0,
    Delayed: 0,
    Cancelling: 0,
    Success: 0,
    Failed: 0,
    ExecutionTimedOut: 0,
    DeliveryTimedOut: 0,
    Undeliverable: 0,
    InvalidPlatform: 0,
    AccessDenied: 0,
    Terminated: 0,
    Cancelled: 0,
  };
}

/** Whether the command has stopped changing: resolved, and no host pending or in flight. */
export function isTerminal(tally: StateTally, phase: CommandPhase): boolean {
  return phase.resolved && tally.Pending === 0 && sum(tally, IN_FLIGHT) === 0;
}

/** Status, details and counters as `ListCommands` reports them. */
export function commandView(tally: StateTally, phase: CommandPhase): CommandStatusView {
  return {
    ...commandStatus(tally, phase),
    TargetCount: total(tally),
    CompletedCount: sum(tally, COMPLETED),
    ErrorCount: tally.Failed + tally.ExecutionTimedOut,
    DeliveryTimedOutCount: tally.DeliveryTimedOut,
  };
}

function commandStatus(tally: StateTally, phase: CommandPhase): { Status: string; StatusDetails: string } {
  const targets = total(tally);
  const all = (states: readonly InvocationState[]) => sum(tally, states) === targets;
  const any = (...states: InvocationState[]) => sum(tally, states) > 0;
  if (phase.cancelled) {
    return any('Cancelling') ? pair('Cancelling') : pair('Cancelled');
  }
  if (!phase.resolved) return pair('Pending');
  if (targets === 0) return { Status: 'Failed', StatusDetails: 'No Instances In Tag' };
  if (!isTerminal(tally, phase))
    return any('InProgress', 'Delayed') ? pair('InProgress', 'In Progress') : pair('Pending');
  if (all(UNREACHED)) return pair('Failed', sameDetail(tally, targets) ?? 'Failed');
  // Failed: more invocations failed than MaxErrors allows (the rollout stopped; the rest ended Terminated).
  if (phase.stopped || any('Terminated')) return pair('Failed');
  if (all(['DeliveryTimedOut'])) return pair('TimedOut', 'Delivery Timed Out');
  if (any('Cancelled')) return pair('Cancelled');
  // Incomplete: attempted on every node, at least one invocation not Success, not enough failures for Failed.
  // Delivery Timed Out, Undeliverable, Invalid Platform and Access Denied do not count against MaxErrors but land
  // here, as do failures within MaxErrors. [unverified] The Status that goes with it: modelled adversarially as
  // Success, so only the details tell.
  if (tally.Success < targets) return pair('Success', 'Incomplete');
  // Success: the command ran successfully on every invocation.
  return pair('Success');
}

function pair(status: string, details: string = status): { Status: string; StatusDetails: string } {
  return { Status: status, StatusDetails: details };
}

const DETAIL: Partial<Record<InvocationState, string>> = {
  Undeliverable: 'Undeliverable',
  InvalidPlatform: 'Invalid Platform',
  AccessDenied: 'Access Denied',
};

/** The shared detail when every host is in the same unreached state. */
function sameDetail(tally: StateTally, targets: number): string | undefined {
  const state = UNREACHED.find((s) => tally[s] === targets);
  return state === undefined ? undefined : DETAIL[state];
}

function sum(tally: StateTally, states: readonly InvocationState[]): number {
  let n = 0;
  for (const s of states) n += tally[s];
  return n;
}

function total(tally: StateTally): number {
  let n = 0;
  for (const s of Object.keys(tally) as InvocationState[]) n += tally[s];
  return n;
}
