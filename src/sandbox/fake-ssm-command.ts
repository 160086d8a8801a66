/**
 * One simulated Run Command: asynchronous target resolution, a concurrency ramp up to MaxConcurrency, MaxErrors
 * stopping the rollout (remaining hosts Terminated), the delivery timeout, per-host outcomes and the counters and
 * statuses SSM reports. Time only moves when `advanceTo` is called, so the fake is deterministic under a virtual
 * clock.
 */
import type { SendCommandCommandInput } from '@aws-sdk/client-ssm';
import { targetedHosts, type FakeHost, type HostRunner } from './fake-fleet-hosts';
import {
  commandView,
  emptyTally,
  IN_FLIGHT,
  isTerminal,
  type CommandPhase,
  type CommandStatusView,
  type InvocationState,
  type StateTally,
} from './fake-ssm-status';
import type { FakeDocument } from './fake-ssm-validation';
import { arrival, hookEnding, plannedRun } from './fake-ssm-host-run';
import { concurrencySlots, nextRampStep, rolloutLimit } from './fake-ssm-rollout';
import { TimedQueue } from './timed-queue';

export type { CommandStatusView, InvocationState } from './fake-ssm-status';

/** One host's invocation. */
export interface FakeInvocation {
  readonly host: FakeHost;
  /** Changed only through the command, which keeps its per-state counts in step. */
  readonly state: InvocationState;
  /** When Delayed ends, when the run ends, or when Cancelling ends. */
  until?: number;
  /** The state the current run ends in. */
  ending?: 'Success' | 'Failed' | 'ExecutionTimedOut';
  startedAt?: number;
  endedAt?: number;
  output: string;
  exitCode: number;
}

/** Timing knobs shared by all commands of one fake. */
export interface SimulationTiming {
  readonly targetResolutionMs: number;
  readonly defaultDurationMs: number;
  /** Concurrency doubles every `rampStepMs` from 1 up to MaxConcurrency; 0 = full concurrency at once. */
  readonly rampStepMs: number;
  readonly cancelDurationMs: number;
}

/**
 * A command in flight or finished. Each simulated event costs what it changes, not the fleet size: per-state
 * counts are kept as states change, the next timed event comes from a heap, and dispatch walks a queue of the
 * hosts still pending (plus the few parked because their agent was offline).
 */
export class FakeCommand {
  readonly invocations: FakeInvocation[] = [];
  resolved = false;
  private readonly tally: StateTally = emptyTally();
  /** In-flight invocations by the time their Delayed / run / Cancelling phase ends (stale entries are skipped). */
  private readonly timers = new TimedQueue<FakeInvocation>();
  private readonly index = new Map<FakeInvocation, number>();
  /** Pending invocations not yet looked at by dispatch, in target order, from `queueHead`. */
  private queueHead = 0;
  /** Pending invocations dispatch skipped because their agent was offline, in target order. */
  private parked: FakeInvocation[] = [];
  private stopped = false;
  private lastStep = -Infinity;
  private cancelled = false;
  private resolvedAt = 0;
  private readonly resolveAt: number;
  private readonly deliveryDeadline: number;

  constructor(
    readonly id: string,
    readonly input: SendCommandCommandInput,
    readonly document: FakeDocument,
    readonly requestedAt: number,
    private readonly timing: SimulationTiming,
    private readonly hosts: () => Iterable<FakeHost>,
    private readonly runner: () => HostRunner,
  ) {
    // Explicit node ids are known at once; tag targets are resolved asynchronously (TargetCount 0 meanwhile).
    this.resolveAt = requestedAt + ((input.Targets ?? []).length > 0 ? timing.targetResolutionMs : 0);
    this.deliveryDeadline = requestedAt + (input.TimeoutSeconds ?? 3600) * 1000;
  }

  /** Runs the simulation up to `now`, calling the host hook for hosts the command reaches. */
  async advanceTo(now: number): Promise<void> {
    for (let t = this.nextEventAt(); t !== undefined && t <= now; t = this.nextEventAt()) await this.step(t);
    // Hosts that came online since the last event are picked up now, not in the past.
    if (this.resolved && !this.terminal()) await this.step(now);
  }

  /** Stops the command: pending hosts Cancelled at once, running ones after `cancelDurationMs`. */
  cancel(now: number, instanceIds?: readonly string[]): void {
    if (instanceIds === undefined) this.cancelled = true;
    if (!this.resolved && instanceIds === undefined) this.resolved = true;
    for (const inv of this.invocations) {
      if (instanceIds && !instanceIds.includes(inv.host.instanceId)) continue;
      if (inv.state === 'Pending') this.finish(inv, 'Cancelled', now);
      else if (inv.state === 'InProgress' || inv.state === 'Delayed') {
        this.setState(inv, 'Cancelling');
        this.schedule(inv, now + this.timing.cancelDurationMs);
      }
    }
  }

  terminal(): boolean {
    return isTerminal(this.tally, this.phase());
  }

  /** Status, details and counters as `ListCommands` reports them. */
  view(): CommandStatusView {
    return commandView(this.tally, this.phase());
  }

  private phase(): CommandPhase {
    return { resolved: this.resolved, cancelled: this.cancelled, stopped: this.stopped };
  }

  private nextEventAt(): number | undefined {
    if (!this.resolved) return this.resolveAt;
    if (this.terminal()) return undefined;
    let next = this.nextTimerAt() ?? Infinity;
    const pending = this.tally.Pending > 0;
    if (pending) next = Math.min(next, this.deliveryDeadline);
    const rampAt = this.nextRampAt();
    if (pending && rampAt !== undefined) next = Math.min(next, rampAt);
    return next === Infinity ? undefined : next;
  }

  private async step(t: number): Promise<void> {
    if (!this.resolved) this.resolve(t);
    this.lastStep = Math.max(this.lastStep, t);
    for (const inv of this.dueBy(t)) {
      const until = inv.until ?? t;
      if (inv.state === 'Cancelling') this.finish(inv, 'Cancelled', until);
      else if (inv.state === 'Delayed') await this.start(inv, until);
      else if (inv.state === 'InProgress' && inv.ending) this.finish(inv, inv.ending, until);
    }
    if (!this.stopped && this.errors() > rolloutLimit(this.input.MaxErrors ?? '0', this.invocations.length, 'floor')) {
      this.stopped = true;
      for (const inv of this.takePending()) this.finish(inv, 'Terminated', t);
    }
    if (t >= this.deliveryDeadline) {
      for (const inv of this.takePending()) this.finish(inv, 'DeliveryTimedOut', t);
    }
    await this.dispatch(t);
  }

  /** The in-flight invocations whose current phase ends by `t`, in target order. */
  private dueBy(t: number): FakeInvocation[] {
    const due: FakeInvocation[] = [];
    for (let at = this.nextTimerAt(); at !== undefined && at <= t; at = this.nextTimerAt()) {
      due.push(this.timers.pop()!.value);
    }
    return due.sort((a, b) => this.index.get(a)! - this.index.get(b)!);
  }

  /** When the earliest live timer fires (entries left behind by a cancel or a restart are dropped). */
  private nextTimerAt(): number | undefined {
    for (let top = this.timers.peek(); top !== undefined; top = this.timers.peek()) {
      const inv = top.value;
      if (inv.until === top.at && IN_FLIGHT.includes(inv.state)) return top.at;
      this.timers.pop();
    }
    return undefined;
  }

  private schedule(inv: FakeInvocation, until: number): void {
    inv.until = until;
    this.timers.push(until, this.index.get(inv)!, inv);
  }

  /** Every invocation still Pending, removed from the dispatch queue (they are about to be finished). */
  private takePending(): FakeInvocation[] {
    const pending = [...this.parked, ...this.invocations.slice(this.queueHead)].filter((i) => i.state === 'Pending');
    this.parked = [];
    this.queueHead = this.invocations.length;
    return pending;
  }

  private setState(inv: FakeInvocation, state: InvocationState): void {
    this.tally[inv.state] -= 1;
    this.tally[state] += 1;
    (inv as { state: InvocationState }).state = state;
  }

  private resolve(t: number): void {
    this.resolved = true;
    this.resolvedAt = t;
    const hosts = targetedHosts(this.input, this.hosts());
    for (const host of hosts) {
      const inv: FakeInvocation = { host, state: 'Pending', output: '', exitCode: -1 };
      this.index.set(inv, this.invocations.length);
      this.invocations.push(inv);
      this.tally.Pending += 1;
    }
  }

  private async dispatch(t: number): Promise<void> {
    if (this.stopped || this.cancelled || t >= this.deliveryDeadline) return;
    const slots = this.slots(t);
    let busy = IN_FLIGHT.reduce((n, state) => n + this.tally[state], 0);
    if (busy >= slots) return;
    // Hosts parked earlier come first: they are earlier in target order than anything left in the queue.
    const parked = this.parked;
    this.parked = [];
    for (let i = 0; i < parked.length; i += 1) {
      const inv = parked[i]!;
      if (busy >= slots) {
        this.parked.push(...parked.slice(i));
        return;
      }
      busy += await this.offer(inv, t);
    }
    while (busy < slots && this.queueHead < this.invocations.length) {
      busy += await this.offer(this.invocations[this.queueHead++]!, t);
    }
  }

  /** Hands one pending invocation to its host; returns how many slots it now holds (0 or 1). */
  private async offer(inv: FakeInvocation, t: number): Promise<number> {
    if (inv.state !== 'Pending') return 0;
    if (!inv.host.online) {
      this.parked.push(inv);
      return 0;
    }
    const arrived = arrival(inv.host, this.document);
    if (arrived.kind === 'refused') {
      this.finish(inv, arrived.state, t);
      return 0;
    }
    if (arrived.kind === 'delayed') {
      this.setState(inv, 'Delayed');
      this.schedule(inv, t + arrived.delayedMs);
    } else await this.start(inv, t);
    return 1;
  }

  /** The command reaches the host: scripted outcomes win, otherwise the host hook decides. */
  private async start(inv: FakeInvocation, t: number): Promise<void> {
    this.setState(inv, 'InProgress');
    inv.startedAt = t;
    const run = plannedRun(inv.host, this.timing, this.document);
    this.schedule(inv, t + run.afterMs);
    if (run.ending) {
      Object.assign(inv, run.ending);
      return;
    }
    const request = {
      commandId: this.id,
      documentName: this.input.DocumentName ?? '',
      parameters: this.input.Parameters ?? {},
    };
    Object.assign(inv, await hookEnding(this.runner(), inv.host, request));
  }

  private finish(inv: FakeInvocation, state: InvocationState, t: number): void {
    this.setState(inv, state);
    inv.endedAt = t;
    inv.until = undefined;
    if (state !== 'Success' && state !== 'Failed') inv.exitCode = -1;
  }

  private errors(): number {
    return this.tally.Failed + this.tally.ExecutionTimedOut;
  }

  private slots(t: number): number {
    return concurrencySlots(this.timing.rampStepMs, t - this.resolvedAt, this.cap());
  }

  /** The next time the ramp allows more hosts at once, while it is below the cap. */
  private nextRampAt(): number | undefined {
    if (this.stopped || this.cancelled) return undefined;
    const after = nextRampStep(this.timing.rampStepMs, this.lastStep - this.resolvedAt, this.cap());
    return after === undefined ? undefined : this.resolvedAt + after;
  }

  private cap(): number {
    return Math.max(1, rolloutLimit(this.input.MaxConcurrency ?? '50', this.invocations.length, 'ceil'));
  }
}
