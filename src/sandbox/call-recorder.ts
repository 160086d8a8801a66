/** One AWS API call the sandbox served. */
export interface RecordedCall {
  readonly service: string;
  readonly operation: string;
  readonly input: unknown;
}

/**
 * A fault to inject at one call: `crash` models the Lambda dying (the invocation never continues: no catch or
 * finally block of the code under test runs), `throw` models the call failing with a transient error.
 * `before` fails the call without applying it; `after` applies it and then fails (the response is lost).
 */
export interface Fault {
  /** Index of the call (0-based, over all services); omitted = any index. */
  readonly atCall?: number;
  /** Only a call of this operation (e.g. `UpdateSecretVersionStage`); omitted = any operation. */
  readonly operation?: string;
  readonly when: 'before' | 'after';
  readonly kind: 'crash' | 'throw';
}

/** Thrown for a `throw` fault: looks like a transient AWS service failure. */
export class SimulatedServiceError extends Error {
  constructor(operation: string) {
    super(`simulated transient failure of ${operation}`);
    this.name = 'ServiceUnavailableException';
  }
}

/**
 * Records every AWS call served by the sandbox's fakes, in order, and injects one planned fault. Shared by the
 * tests, the crash-injection suite, the benchmarks and the demo.
 */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  private fault?: Fault;
  private crashListeners: (() => void)[] = [];
  private servedListeners: ((call: RecordedCall, output: unknown) => void)[] = [];
  /** True once a crash fault fired (the invocation in flight is dead). */
  crashed = false;

  /** Plans a fault at the call with this index (0-based, counted over all services). */
  plan(fault: Fault | undefined): void {
    this.fault = fault;
    this.crashed = false;
  }

  /** Calls `listener` when a crash fault fires. */
  onCrash(listener: () => void): void {
    this.crashListeners.push(listener);
  }

  /** Calls `listener` with every call's output once served (progress displays, benchmarks). */
  onServed(listener: (call: RecordedCall, output: unknown) => void): void {
    this.servedListeners.push(listener);
  }

  /** Counts of calls per `service:operation`. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.calls)
      counts[`${c.service}:${c.operation}`] = (counts[`${c.service}:${c.operation}`] ?? 0) + 1;
    return counts;
  }

  /** Serves one call through `handler`, recording it and firing the planned fault. */
  async serve<T>(service: string, operation: string, input: unknown, handler: () => T | Promise<T>): Promise<T> {
    const index = this.calls.length;
    this.calls.push({ service, operation, input });
    const planned = this.fault;
    const fault =
      planned &&
      (planned.atCall === undefined || planned.atCall === index) &&
      (planned.operation ?? operation) === operation
        ? planned
        : undefined;
    if (fault?.when === 'before') return this.trip(fault, operation);
    const output = await handler();
    for (const listener of this.servedListeners) listener(this.calls[index] as RecordedCall, output);
    if (fault?.when === 'after') return this.trip(fault, operation);
    return output;
  }

  private trip<T>(fault: Fault, operation: string): Promise<T> {
    this.fault = undefined;
    if (fault.kind === 'throw') return Promise.reject(new SimulatedServiceError(operation));
    this.crashed = true;
    for (const listener of this.crashListeners) listener();
    // The Lambda is dead: the awaiting code never resumes.
    return new Promise<T>(() => undefined);
  }
}
