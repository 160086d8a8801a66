import { concurrencySlots, nextRampStep, rolloutLimit } from '../../src/sandbox/fake-ssm-rollout';

describe('rolloutLimit', () => {
  it('reads a plain number as a count of hosts', () => {
    expect(rolloutLimit('7', 500, 'ceil')).toBe(7);
  });

  it('rounds a percentage of the targets up for concurrency and down for errors', () => {
    expect(rolloutLimit('10%', 15, 'ceil')).toBe(2);
    expect(rolloutLimit('10%', 15, 'floor')).toBe(1);
  });
});

describe('concurrencySlots', () => {
  it('doubles the hosts at once every ramp step up to the cap', () => {
    expect([0, 999, 1_000, 2_000, 3_000, 60_000].map((t) => concurrencySlots(1_000, t, 5))).toEqual([1, 1, 2, 4, 5, 5]);
  });

  it('allows the cap at once when there is no ramp', () => {
    expect(concurrencySlots(0, 0, 50)).toBe(50);
  });
});

describe('nextRampStep', () => {
  it('names the next step while the ramp is below the cap, and none once it reached it', () => {
    expect(nextRampStep(1_000, 1_500, 5)).toBe(2_000);
    expect(nextRampStep(1_000, 3_000, 5)).toBeUndefined();
    expect(nextRampStep(0, 0, 5)).toBeUndefined();
  });
});
