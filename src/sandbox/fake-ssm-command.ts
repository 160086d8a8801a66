/**
 * One simulated Run Command: asynchronous target resolution, a concurrency ramp up to MaxConcurrency, MaxErrors
 * stopping the rollout (remaining hosts Terminated), the delivery timeout, per-host outcomes and the counters and
 * statuses SSM reports. Time only moves when `advanceTo` is called, so the fake is deterministic under a virtual
 * clock.
 */
import type { SendCommandCommandInput } from '@aws-sdk/client-ssm';
import { matchesTags, type FakeHost, type HostRunner } from './fake-fleet-hosts';
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

export type { CommandStatusView, InvocationState } from './fake-ssm-status';

/** One host's invocation. */
export interface FakeInvocation {
  readonly host: FakeHost;
  state: InvocationState;
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

/** A command in flight or finished. */
export class FakeCommand {
  readonly invocations: FakeInvocation[] = [];
  resolved = false;
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
        inv.state = 'Cancelling';
        inv.until = now + this.timing.cancelDurationMs;
      }
    }
  }

  terminal(): boolean {
    return isTerminal(this.tally(), this.phase());
  }

  /** Status, details and counters as `ListCommands` reports them. */
  view(): CommandStatusView {
    return commandView(this.tally(), this.phase());
  }

  private phase(): CommandPhase {
    return { resolved: this.resolved, cancelled: this.cancelled, stopped: this.stopped };
  }

  private tally(): StateTally {
    const tally = emptyTally();
    for (const inv of this.invocations) tally[inv.state] += 1;
    return tally;
  }

  private nextEventAt(): number | undefined {
    if (!this.resolved) return this.resolveAt;
    if (this.terminal()) return undefined;
    let next = Infinity;
    for (const inv of this.invocations)
      if (inv.until !== undefined && IN_FLIGHT.includes(inv.state)) next = Math.min(next, inv.until);
    const pending = this.invocations.some((i) => i.state === 'Pending');
    if (pending) next = Math.min(next, this.deliveryDeadline);
    const rampAt = this.nextRampAt();
    if (pending && rampAt !== undefined) next = Math.min(next, rampAt);
    return next === Infinity ? undefined : next;
  }

  private async step(t: number): Promise<void> {
    if (!this.resolved) this.resolve(t);
    this.lastStep = Math.max(this.lastStep, t);
    for (const inv of this.invocations) {
      if (inv.until === undefined || inv.until > t) continue;
      if (inv.state === 'Cancelling') this.finish(inv, 'Cancelled', inv.until);
      else if (inv.state === 'Delayed') await this.start(inv, inv.until);
      else if (inv.state === 'InProgress' && inv.ending) this.finish(inv, inv.ending, inv.until);
    }
    if (!this.stopped && this.errors() > this.limit(this.input.MaxErrors ?? '0', 'floor')) {
      this.stopped = true;
      for (const inv of this.invocations) if (inv.state === 'Pending') this.finish(inv, 'Terminated', t);
    }
    if (t >= this.deliveryDeadline) {
      for (const inv of this.invocations) if (inv.state === 'Pending') this.finish(inv, 'DeliveryTimedOut', t);
    }
    await this.dispatch(t);
  }

  private resolve(t: number): void {
    this.resolved = true;
    this.resolvedAt = t;
    const explicit = this.input.InstanceIds?.length ? this.input.InstanceIds : undefined;
    const ids = explicit ?? this.input.Targets?.find((x) => x.Key === 'InstanceIds')?.Values;
    const tags = (this.input.Targets ?? [])
      .filter((x) => x.Key?.startsWith('tag:'))
      .map((x) => ({ key: (x.Key ?? '').slice(4), values: x.Values ?? [] }));
    const known = new Map([...this.hosts()].map((h) => [h.instanceId, h]));
    const hosts = ids
      ? ids.map((id) => known.get(id) ?? ghost(id))
      : [...known.values()].filter((h) => matchesTags(h, tags));
    for (const host of hosts) this.invocations.push({ host, state: 'Pending', output: '', exitCode: -1 });
  }

  private async dispatch(t: number): Promise<void> {
    if (this.stopped || this.cancelled || t >= this.deliveryDeadline) return;
    const slots = this.slots(t);
    let busy = this.invocations.filter((i) => IN_FLIGHT.includes(i.state)).length;
    for (const inv of this.invocations) {
      if (busy >= slots) break;
      if (inv.state !== 'Pending' || !inv.host.online) continue;
      const behaviour = inv.host.behaviour;
      const platforms = this.document.platformTypes ?? ['Linux', 'Windows'];
      if (behaviour.kind === 'undeliverable') this.finish(inv, 'Undeliverable', t);
      else if (behaviour.kind === 'invalid-platform' || !platforms.includes(inv.host.platform)) {
        this.finish(inv, 'InvalidPlatform', t);
      } else if (behaviour.kind === 'access-denied') this.finish(inv, 'AccessDenied', t);
      else if (behaviour.kind === 'delayed') {
        inv.state = 'Delayed';
        inv.until = t + behaviour.delayedMs;
        busy += 1;
      } else {
        await this.start(inv, t);
        busy += 1;
      }
    }
  }

  /** The command reaches the host: scripted outcomes win, otherwise the host hook decides. */
  private async start(inv: FakeInvocation, t: number): Promise<void> {
    const behaviour = inv.host.behaviour;
    const duration = inv.host.durationMs ?? this.timing.defaultDurationMs;
    const limit = (this.document.executionTimeoutSeconds ?? 600) * 1000;
    inv.state = 'InProgress';
    inv.startedAt = t;
    if (behaviour.kind === 'execution-timeout' || duration > limit) {
      Object.assign(inv, { ending: 'ExecutionTimedOut', until: t + limit, output: '', exitCode: -1 });
      return;
    }
    inv.until = t + duration;
    if (behaviour.kind === 'fail') {
      Object.assign(inv, { ending: 'Failed', output: behaviour.output ?? '', exitCode: behaviour.exitCode ?? 1 });
      return;
    }
    const parameters = this.input.Parameters ?? {};
    const documentName = this.input.DocumentName ?? '';
    try {
      const result = await this.runner()(inv.host, { commandId: this.id, documentName, parameters });
      inv.ending = result.status;
      inv.output = (result.output ?? '').slice(0, 24_000);
      inv.exitCode = result.status === 'Success' ? 0 : ((result as { exitCode?: number }).exitCode ?? 1);
    } catch (error) {
      // The host's script crashed: report the error class only, never a message that might quote a value.
      Object.assign(inv, { ending: 'Failed', exitCode: 1, output: `host hook threw ${(error as Error).name}` });
    }
  }

  private finish(inv: FakeInvocation, state: InvocationState, t: number): void {
    inv.state = state;
    inv.endedAt = t;
    inv.until = undefined;
    if (state !== 'Success' && state !== 'Failed') inv.exitCode = -1;
  }

  private errors(): number {
    return this.invocations.filter((i) => i.state === 'Failed' || i.state === 'ExecutionTimedOut').length;
  }

  private slots(t: number): number {
    if (this.timing.rampStepMs <= 0) return this.cap();
    const doublings = Math.floor((t - this.resolvedAt) / this.timing.rampStepMs);
    return Math.min(this.cap(), 2 ** Math.min(Math.max(doublings, 0), 30));
  }

  /** The next time the ramp allows more hosts at once, while it is below the cap. */
  private nextRampAt(): number | undefined {
    if (this.timing.rampStepMs <= 0 || this.stopped || this.cancelled) return undefined;
    if (this.slots(this.lastStep) >= this.cap()) return undefined;
    const steps = Math.floor((this.lastStep - this.resolvedAt) / this.timing.rampStepMs) + 1;
    return this.resolvedAt + steps * this.timing.rampStepMs;
  }

  private cap(): number {
    return Math.max(1, this.limit(this.input.MaxConcurrency ?? '50', 'ceil'));
  }

  /** "10" → 10; "10%" → 10 % of the targets ([unverified] rounding: concurrency up, errors down). */
  private limit(text: string, round: 'ceil' | 'floor'): number {
    if (!text.endsWith('%')) return Number(text);
    return Math[round]((Number(text.slice(0, -1)) / 100) * this.invocations.length);
  }
}

/** A node id SSM does not know: the command cannot be delivered to it. */
function ghost(instanceId: string): FakeHost {
  return { instanceId, platform: 'Linux', tags: {}, online: true, behaviour: { kind: 'undeliverable' } };
}
