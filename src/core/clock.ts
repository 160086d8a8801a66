/** Time source and sleep, injected so that waits run in virtual time in tests, benchmarks and the demo. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A point in time a step must finish by: the Lambda's remaining time minus a safety margin, so the step can
 * report "still in progress, will resume" before Lambda kills it.
 */
export class Deadline {
  constructor(
    private readonly clock: Clock,
    /** Epoch milliseconds. */
    readonly at: number,
  ) {}

  /** A deadline `remainingMs - marginMs` from now. */
  static after(clock: Clock, remainingMs: number, marginMs = 0): Deadline {
    return new Deadline(clock, clock.now() + Math.max(0, remainingMs - marginMs));
  }

  /** Milliseconds left (never negative). */
  remaining(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  expired(): boolean {
    return this.remaining() === 0;
  }

  /** The earlier of this deadline and `ms` from now. */
  within(ms: number): Deadline {
    return new Deadline(this.clock, Math.min(this.at, this.clock.now() + ms));
  }
}
