import { ConfigurationError } from '../../src/core/errors';
import { backoffDelay, DEFAULT_BACKOFF, resolveBackoff, resolveTimeouts } from '../../src/smtp/settings';

describe('backoffDelay', () => {
  it('starts at the initial delay, grows by the multiplier and stops at the maximum', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, DEFAULT_BACKOFF));

    expect(waits).toEqual([2_000, 3_200, 5_120, 8_192, 10_000, 10_000]);
  });
});

describe('resolveBackoff', () => {
  it('fills in defaults for fields left out', () => {
    expect(resolveBackoff({ initialDelayMs: 10 })).toEqual({ ...DEFAULT_BACKOFF, initialDelayMs: 10 });
  });

  it('refuses a shrinking multiplier and a maximum below the first wait', () => {
    expect(() => resolveBackoff({ multiplier: 0.5 })).toThrow(ConfigurationError);
    expect(() => resolveBackoff({ multiplier: 0.5 })).toThrow('backoff.multiplier must be a number ≥ 1');
    expect(() => resolveBackoff({ initialDelayMs: 5_000, maxDelayMs: 1_000 })).toThrow(
      'backoff.maxDelayMs must be at least backoff.initialDelayMs',
    );
  });
});

describe('resolveTimeouts', () => {
  it('defaults every stage to 10 s', () => {
    expect(resolveTimeouts()).toEqual({ connectionMs: 10_000, greetingMs: 10_000, socketMs: 10_000 });
  });

  it('names the field that is not a positive number', () => {
    expect(() => resolveTimeouts({ greetingMs: 0 })).toThrow('timeouts.greetingMs must be a positive number');
    expect(() => resolveTimeouts({ socketMs: Number.NaN })).toThrow('timeouts.socketMs');
  });
});
