import type { Clock } from '../core/clock';

/** 2025-01-01T00:00:00Z: a fixed start so runs are reproducible. */
const DEFAULT_START = Date.UTC(2025, 0, 1);

/**
 * A deterministic {@link Clock} for tests, benchmarks and the offline demo: `sleep` moves virtual time forward at
 * once instead of waiting, so a 15-minute fleet push runs in milliseconds and always takes the same virtual time.
 */
export class VirtualClock implements Clock {
  private current: number;
  private sleepCount = 0;
  private sleptMs = 0;

  constructor(start: number = DEFAULT_START) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Advances virtual time by `ms` (negative or NaN counts as 0) and yields to other pending work once. */
  async sleep(ms: number): Promise<void> {
    const step = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.sleepCount += 1;
    this.sleptMs += step;
    this.current += step;
    // Yield so that concurrently started work interleaves as it would with a real timer.
    await Promise.resolve();
  }

  /** Moves time forward without counting a sleep (a test jumping ahead, or "the next Lambda invocation"). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance a virtual clock by ${ms} ms`);
    this.current += ms;
  }

  /** How many times `sleep` was called (e.g. polls of a wait loop). */
  get sleeps(): number {
    return this.sleepCount;
  }

  /** Total virtual milliseconds spent in `sleep`. */
  get totalSleptMs(): number {
    return this.sleptMs;
  }
}
