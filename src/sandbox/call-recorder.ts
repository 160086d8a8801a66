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

const ACTION_PREFIX: Record<string, string> = {
  SecretsManager: 'secretsmanager',
  IAM: 'iam',
  SSM: 'ssm',
  Lambda: 'lambda',
  SNS: 'sns',
  CloudWatchLogs: 'logs',
  DynamoDB: 'dynamodb',
  STS: 'sts',
};

/** Thrown for a denied operation: what AWS answers a caller whose policy lacks the action. */
export class SimulatedAccessDenied extends Error {
  constructor(service: string, operation: string) {
    const action = `${ACTION_PREFIX[service] ?? service.toLowerCase()}:${operation}`;
    super(
      `User: arn:aws:iam::111122223333:user/operator is not authorized to perform: ${action} because no ` +
        `identity-based policy allows the ${action} action`,
    );
    // IAM (query protocol) calls it AccessDenied; the JSON-protocol services AccessDeniedException.
    this.name = service === 'IAM' ? 'AccessDenied' : 'AccessDeniedException';
  }
}

/**
 * Records every AWS call served by the sandbox's fakes, in order, and injects one planned fault. Shared by the
 * tests, the crash-injection suite, the benchmarks and the demo.
 */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  private fault?: Fault;
  private readonly denied = new Set<string>();
  private crashListeners: (() => void)[] = [];
  private servedListeners: ((call: RecordedCall, output: unknown) => void)[] = [];
  /** True once a crash fault fired (the invocation in flight is dead). */
  crashed = false;

  /** Plans a fault at the call with this index (0-based, counted over all services). */
  plan(fault: Fault | undefined): void {
    this.fault = fault;
    this.crashed = false;
  }

  /**
   * Denies operations from now on, as a policy without their actions would (`Service:Operation`, e.g.
   * `IAM:ListAccessKeys`). The call is recorded and fails with AccessDenied; nothing is applied.
   */
  deny(...operations: string[]): void {
    for (const operation of operations) this.denied.add(operation);
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
    if (this.denied.has(`${service}:${operation}`))
      return Promise.reject(new SimulatedAccessDenied(service, operation));
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
