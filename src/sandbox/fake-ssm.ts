/**
 * A stateful fake of SSM Run Command for tests, benchmarks and the offline demo: SendCommand, ListCommands,
 * ListCommandInvocations, GetCommandInvocation and CancelCommand over simulated hosts, with SSM's page size,
 * filters, statuses and counters. Every call is recorded (operation + input) for assertions and call counts.
 * Route an `SSMClient` to it with `routeClient(client, 'SSM', recorder, ssmRoutes(fake))`, as the sandbox account does.
 */
import {
  InvalidCommandId,
  InvocationDoesNotExist,
  type CancelCommandCommandInput,
  type CancelCommandCommandOutput,
  type GetCommandInvocationCommandInput,
  type GetCommandInvocationCommandOutput,
  type ListCommandInvocationsCommandInput,
  type ListCommandInvocationsCommandOutput,
  type ListCommandsCommandInput,
  type ListCommandsCommandOutput,
  type SendCommandCommandInput,
  type SendCommandCommandOutput,
} from '@aws-sdk/client-ssm';
import type { Clock } from '../core/clock';
import { succeedEverywhere, type FakeHost, type HostRunner } from './fake-fleet-hosts';
import { FakeCommand, type FakeInvocation, type SimulationTiming } from './fake-ssm-command';
import {
  DEFAULT_FAKE_DOCUMENT,
  sdkError,
  validateSendCommand,
  validationError,
  type FakeDocument,
} from './fake-ssm-validation';
import {
  commandMatches,
  describeCommand,
  invocationFilter,
  invocationRow,
  page,
  pageSize,
  pluginName,
  stateMatches,
} from './fake-ssm-views';
import type { Output } from './sdk-output';

/** The operations the fake implements. */
export type SsmOperation =
  'SendCommand' | 'ListCommands' | 'ListCommandInvocations' | 'GetCommandInvocation' | 'CancelCommand';

/** One API call the fake received. */
export interface RecordedCall {
  readonly operation: SsmOperation;
  readonly input: unknown;
  readonly at: number;
}

/** Options of {@link FakeSsm}. */
export interface FakeSsmOptions extends Partial<SimulationTiming> {
  readonly clock: Clock;
  readonly hosts?: readonly FakeHost[];
  /** Documents SendCommand accepts (default: one, {@link DEFAULT_FAKE_DOCUMENT}, with the project's contract). */
  readonly documents?: readonly FakeDocument[];
  /** Runs the document on a host the command reaches (default: every host succeeds). */
  readonly runOnHost?: HostRunner;
}

/** The fake SSM service. Operations are serialised, as a single-threaded service would appear. */
export class FakeSsm {
  readonly calls: RecordedCall[] = [];
  /** Replace to change what hosts do when a command reaches them. */
  runOnHost: HostRunner;
  private readonly clock: Clock;
  private readonly hostsById = new Map<string, FakeHost>();
  private readonly documents: readonly FakeDocument[];
  private readonly commands: FakeCommand[] = [];
  private readonly timing: SimulationTiming;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: FakeSsmOptions) {
    this.clock = options.clock;
    this.documents = options.documents ?? [{ name: DEFAULT_FAKE_DOCUMENT }];
    this.runOnHost = options.runOnHost ?? succeedEverywhere;
    this.timing = {
      targetResolutionMs: options.targetResolutionMs ?? 2_000,
      defaultDurationMs: options.defaultDurationMs ?? 20_000,
      rampStepMs: options.rampStepMs ?? 5_000,
      cancelDurationMs: options.cancelDurationMs ?? 2_000,
    };
    for (const host of options.hosts ?? []) this.addHost(host);
  }

  addHost(host: FakeHost): void {
    this.hostsById.set(host.instanceId, host);
  }

  /**
   * Changes a host as of now: the simulation first runs up to the clock's now, so the change cannot leak into the
   * past (a host coming online now is not treated as online at an earlier delivery deadline).
   */
  updateHost(instanceId: string, patch: Partial<Omit<FakeHost, 'instanceId'>>): Promise<void> {
    return this.serial(async () => {
      await this.advanceAll();
      Object.assign(this.host(instanceId), patch);
      // Dispatch at once what the change allows (e.g. a host that came online).
      await this.advanceAll();
    });
  }

  /**
   * The live host object. Mutating it directly takes effect at the simulation's next step, which may be dated
   * earlier than the clock's now; prefer {@link updateHost} when timing matters.
   */
  host(instanceId: string): FakeHost {
    const host = this.hostsById.get(instanceId);
    if (!host) throw new Error(`fake SSM has no host ${instanceId}`);
    return host;
  }

  /** Calls received so far, optionally of one operation. */
  callsTo(operation?: SsmOperation): RecordedCall[] {
    return operation ? this.calls.filter((c) => c.operation === operation) : [...this.calls];
  }

  /** Number of calls per operation. */
  callCounts(): Record<SsmOperation, number> {
    const counts = {
      SendCommand: 0,
      ListCommands: 0,
      ListCommandInvocations: 0,
      GetCommandInvocation: 0,
      CancelCommand: 0,
    };
    for (const call of this.calls) counts[call.operation] += 1;
    return counts;
  }

  /** Ids of the commands sent, oldest first. */
  commandIds(): string[] {
    return this.commands.map((c) => c.id);
  }

  /** One command's invocations (for tests that inspect host outcomes directly). */
  invocations(commandId: string): readonly FakeInvocation[] {
    return this.command(commandId).invocations;
  }

  /** Runs every command's simulation up to the clock's now (hosts progress only when someone looks). */
  advance(): Promise<void> {
    return this.serial(() => this.advanceAll());
  }

  sendCommand(input: SendCommandCommandInput): Promise<Output<SendCommandCommandOutput>> {
    return this.op('SendCommand', input, async () => {
      const document = validateSendCommand(input, this.documents);
      const id = commandId(this.commands.length + 1);
      const now = this.clock.now();
      const command = new FakeCommand(
        id,
        clone(input),
        document,
        now,
        this.timing,
        () => this.hostsById.values(),
        () => this.runOnHost,
      );
      this.commands.push(command);
      await command.advanceTo(now);
      return { Command: describeCommand(command) };
    });
  }

  listCommands(input: ListCommandsCommandInput): Promise<Output<ListCommandsCommandOutput>> {
    return this.op('ListCommands', input, async () => {
      const max = pageSize(input.MaxResults);
      if (input.CommandId !== undefined) return { Commands: [describeCommand(this.command(input.CommandId))] };
      const filters = input.Filters ?? [];
      if (filters.length > 5) throw validationError('Filters: at most 5.');
      const matching = this.commands
        .filter((c) => filters.every((f) => commandMatches(c, f)))
        .filter((c) => !input.InstanceId || c.invocations.some((i) => i.host.instanceId === input.InstanceId))
        .reverse();
      return page(matching, input.NextToken, max, 'ListCommands', describeCommand, 'Commands');
    });
  }

  listCommandInvocations(
    input: ListCommandInvocationsCommandInput,
  ): Promise<Output<ListCommandInvocationsCommandOutput>> {
    return this.op('ListCommandInvocations', input, async () => {
      const max = pageSize(input.MaxResults);
      const statuses = (input.Filters ?? []).map((f) => invocationFilter(f));
      // [unverified] whether several Status filters are ORed: the fake refuses, so callers make one call per state.
      if (statuses.length > 1) throw validationError('This fake accepts one Status filter per call.');
      const commands = input.CommandId ? [this.command(input.CommandId)] : this.commands;
      const rows = commands.flatMap((c) =>
        c.invocations
          .filter((i) => !input.InstanceId || i.host.instanceId === input.InstanceId)
          .filter((i) => statuses.every((s) => stateMatches(i, s)))
          .map((i) => ({ c, i })),
      );
      const render = ({ c, i }: { c: FakeCommand; i: FakeInvocation }) => invocationRow(c, i, input.Details === true);
      return page(rows, input.NextToken, max, 'ListCommandInvocations', render, 'CommandInvocations');
    });
  }

  getCommandInvocation(input: GetCommandInvocationCommandInput): Promise<Output<GetCommandInvocationCommandOutput>> {
    return this.op('GetCommandInvocation', input, async () => {
      const command = this.command(input.CommandId ?? '');
      const inv = command.invocations.find((i) => i.host.instanceId === input.InstanceId);
      if (!inv) throw sdkError(InvocationDoesNotExist, 'The invocation does not exist.');
      const row = invocationRow(command, inv, false);
      return {
        CommandId: command.id,
        InstanceId: inv.host.instanceId,
        Comment: command.input.Comment,
        DocumentName: command.input.DocumentName,
        Status: row.Status,
        StatusDetails: row.StatusDetails,
        ResponseCode: inv.exitCode,
        StandardOutputContent: inv.output,
        StandardErrorContent: '',
        PluginName: pluginName(inv.host),
      };
    });
  }

  cancelCommand(input: CancelCommandCommandInput): Promise<Output<CancelCommandCommandOutput>> {
    return this.op('CancelCommand', input, async () => {
      this.command(input.CommandId ?? '').cancel(this.clock.now(), input.InstanceIds);
      return {};
    });
  }

  private op<T>(operation: SsmOperation, input: object, body: () => Promise<T>): Promise<T> {
    this.calls.push({ operation, input: clone(input), at: this.clock.now() });
    return this.serial(async () => {
      await this.advanceAll();
      return body();
    });
  }

  private serial<T>(body: () => Promise<T>): Promise<T> {
    const run = this.queue.then(body, body);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async advanceAll(): Promise<void> {
    const now = this.clock.now();
    for (const command of this.commands) if (!command.terminal()) await command.advanceTo(now);
  }

  private command(id: string): FakeCommand {
    const command = this.commands.find((c) => c.id === id);
    if (!command) throw sdkError(InvalidCommandId, `Invalid command id ${id}`);
    return command;
  }
}

/** Deterministic, UUID-shaped command ids. */
function commandId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
