import { Deadline } from '../../src/core/clock';
import { VirtualClock } from '../../src/sandbox/virtual-clock';

describe('VirtualClock', () => {
  it('starts at a fixed instant so runs are reproducible', () => {
    expect(new Date(new VirtualClock().now()).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(new VirtualClock(1234).now()).toBe(1234);
  });

  it('moves time forward by the slept amount at once and counts the sleeps', async () => {
    // Prepare
    const clock = new VirtualClock(0);

    // Act
    await clock.sleep(5_000);
    await clock.sleep(60 * 60_000);

    // Assess
    expect(clock.now()).toBe(3_605_000);
    expect(clock.sleeps).toBe(2);
    expect(clock.totalSleptMs).toBe(3_605_000);
  });

  it('treats a negative or NaN sleep as zero', async () => {
    const clock = new VirtualClock(0);
    await clock.sleep(-10);
    await clock.sleep(Number.NaN);
    expect(clock.now()).toBe(0);
    expect(clock.sleeps).toBe(2);
  });

  it('advances without counting a sleep and refuses to go back', () => {
    const clock = new VirtualClock(0);
    clock.advance(10);
    expect(clock.now()).toBe(10);
    expect(clock.sleeps).toBe(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('drives a Deadline to expiry', async () => {
    // Prepare
    const clock = new VirtualClock(0);
    const deadline = Deadline.after(clock, 10_000, 2_000);

    // Act
    await clock.sleep(7_999);
    const before = deadline.expired();
    await clock.sleep(1);

    // Assess
    expect(before).toBe(false);
    expect(deadline.expired()).toBe(true);
  });
});
