/**
 * The pure decisions of the fleet wait: given what `ListCommands` says about one command, keep waiting, stop for
 * lack of targets, or inspect the invocations; and given what the filtered listings found, did every host confirm.
 * No I/O here, so every rule from the SSM status model is unit-tested on its own.
 */
import type { HostsInState } from '../rotation/fleet-errors';

/** The O(1) view of a command that one `ListCommands(CommandId)` call returns. */
export interface CommandSnapshot {
  readonly commandId: string;
  /** `Command.Status` ('' when SSM returned none). */
  readonly status: string;
  /** `Command.StatusDetails` ('' when none). */
  readonly statusDetails: string;
  readonly targetCount: number;
  readonly completedCount: number;
  readonly errorCount: number;
  readonly deliveryTimedOutCount: number;
}

/** Command statuses after which nothing changes any more. Pending, InProgress and Cancelling are not final. */
export const TERMINAL_COMMAND_STATUSES: readonly string[] = ['Success', 'Failed', 'TimedOut', 'Cancelled'];

/** Bad invocation states with their own command counter (`ErrorCount`, `DeliveryTimedOutCount`). */
export const COUNTED_BAD_STATES = ['Failed', 'ExecutionTimedOut', 'DeliveryTimedOut'] as const;

/**
 * Bad invocation states that no counter reveals: only the command's `StatusDetails` does (`Incomplete`, or `Failed`
 * / `Cancelled`), so they are listed whenever the command did not end in a clean `Success`.
 */
export const UNCOUNTED_BAD_STATES = [
  'Undeliverable',
  'InvalidPlatform',
  'AccessDenied',
  'Terminated',
  'Cancelled',
] as const;

/** Every `ListCommandInvocations` Status filter value that means "this host did not take the version". */
export type BadInvocationState = (typeof COUNTED_BAD_STATES)[number] | (typeof UNCOUNTED_BAD_STATES)[number];

/** Every bad state, in the order they are listed and reported. */
export const BAD_STATES: readonly BadInvocationState[] = [...COUNTED_BAD_STATES, ...UNCOUNTED_BAD_STATES];

/** What each bad state means for the operator (used in messages and docs). */
export const BAD_STATE_MEANING: Readonly<Record<BadInvocationState, string>> = {
  Failed: 'Failed (the document exited non-zero)',
  ExecutionTimedOut: 'Execution Timed Out (the document ran longer than its timeout)',
  DeliveryTimedOut: 'Delivery Timed Out (the agent was offline or busy until the delivery timeout)',
  Undeliverable: 'Undeliverable (the node is gone or its agent is not responding)',
  InvalidPlatform: "Invalid Platform (the document does not support the node's OS)",
  AccessDenied: 'Access Denied (the rotation role may not send to this node)',
  Terminated: 'Terminated (never ran: the rollout stopped after MaxErrors was exceeded)',
  Cancelled: 'Cancelled',
};

/** What to do after one poll. */
export type PollDecision =
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'no-targets' }
  | { readonly kind: 'settled'; readonly inspect: readonly BadInvocationState[] };

/** Decides, from one `ListCommands` snapshot, whether the command is still running. */
export function decidePoll(snapshot: CommandSnapshot): PollDecision {
  if (isNoInstancesInTag(snapshot.statusDetails)) return { kind: 'no-targets' };
  if (!TERMINAL_COMMAND_STATUSES.includes(snapshot.status)) {
    // TargetCount 0 while Pending means tag targets are still being resolved, not "zero hosts".
    if (snapshot.targetCount === 0) return { kind: 'wait', reason: 'resolving targets' };
    const known = ['Pending', 'InProgress', 'Cancelling'].includes(snapshot.status);
    return { kind: 'wait', reason: known ? snapshot.status : `unrecognised status "${snapshot.status}"` };
  }
  if (snapshot.targetCount === 0 && snapshot.status !== 'Cancelled') return { kind: 'no-targets' };
  return { kind: 'settled', inspect: statesToInspect(snapshot) };
}

/**
 * Whether a settled command ended in a clean `Success`: SSM documents the details `Success` as "ran successfully on
 * all invocations", and any host left Undeliverable, Invalid Platform, Access Denied or Delivery Timed Out turns them
 * into `Incomplete`. The counters must agree too, so a single inconsistent field is enough to look closer.
 */
export function endedClean(snapshot: CommandSnapshot): boolean {
  return (
    snapshot.status === 'Success' &&
    snapshot.statusDetails === 'Success' &&
    snapshot.targetCount > 0 &&
    snapshot.completedCount === snapshot.targetCount &&
    snapshot.errorCount === 0 &&
    snapshot.deliveryTimedOutCount === 0
  );
}

/**
 * The bad states to list for a settled command: none after a clean `Success` (no host can be in one), every one
 * otherwise, so each bad host is found and named. One filtered `ListCommandInvocations` call per state.
 */
export function statesToInspect(snapshot: CommandSnapshot): BadInvocationState[] {
  return endedClean(snapshot) ? [] : [...BAD_STATES];
}

/** Outcome of a settled command. */
export type Verdict = { readonly kind: 'success' } | { readonly kind: 'failed'; readonly reasons: readonly string[] };

/**
 * The completion rule: success only when the command ended `Success` (details `Success` or none), targeted at least one host,
 * `CompletedCount == TargetCount`, `ErrorCount == 0`, `DeliveryTimedOutCount == 0`, and no host was found in any
 * bad state. Never judged by the command status alone.
 */
export function judge(snapshot: CommandSnapshot, found: readonly HostsInState[]): Verdict {
  const hits = found.filter((f) => f.total > 0);
  const reasons = hits.map(describeHostsInState);
  const named = (state: BadInvocationState): boolean => hits.some((h) => h.state === state);
  if (snapshot.errorCount > 0 && !named('Failed') && !named('ExecutionTimedOut')) {
    reasons.push(`${hosts(snapshot.errorCount)} failed (ErrorCount)`);
  }
  if (snapshot.deliveryTimedOutCount > 0 && !named('DeliveryTimedOut')) {
    reasons.push(`${hosts(snapshot.deliveryTimedOutCount)} not reached before the delivery timeout`);
  }
  if (snapshot.status !== 'Success') {
    reasons.push(`command status ${snapshot.status}${detailsSuffix(snapshot)}`);
  }
  if (reasons.length === 0 && snapshot.targetCount === 0) reasons.push('the command targeted no host');
  // Incomplete (or any details but Success) with nobody found: some host still did not take the version.
  if (reasons.length === 0 && snapshot.statusDetails !== '' && snapshot.statusDetails !== 'Success') {
    reasons.push(
      `command status ${snapshot.status}${detailsSuffix(snapshot)} although no host was found in a bad state`,
    );
  }
  if (reasons.length === 0 && snapshot.completedCount !== snapshot.targetCount) {
    reasons.push(
      `only ${snapshot.completedCount} of ${snapshot.targetCount} hosts reached a final state` +
        ` (command status ${snapshot.status}${detailsSuffix(snapshot)})`,
    );
  }
  return reasons.length === 0 ? { kind: 'success' } : { kind: 'failed', reasons };
}

/** "2 hosts Undeliverable (…): i-1, i-2" / "… and 7 more". */
export function describeHostsInState(found: HostsInState): string {
  const meaning = BAD_STATE_MEANING[found.state as BadInvocationState] ?? found.state;
  const rest = found.total - found.hostIds.length;
  const more = rest > 0 ? ` and ${found.truncated ? 'at least ' : ''}${rest} more` : '';
  const count = `${found.truncated ? 'at least ' : ''}${hosts(found.total)}`;
  return `${count} ${meaning}: ${found.hostIds.join(', ')}${more}`;
}

function isNoInstancesInTag(details: string): boolean {
  return details.replace(/\s+/g, '').toLowerCase() === 'noinstancesintag';
}

function detailsSuffix(snapshot: CommandSnapshot): string {
  return snapshot.statusDetails && snapshot.statusDetails !== snapshot.status ? ` (${snapshot.statusDetails})` : '';
}

function hosts(n: number): string {
  return n === 1 ? '1 host' : `${n} hosts`;
}
