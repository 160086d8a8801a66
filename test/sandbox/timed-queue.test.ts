import { TimedQueue } from '../../src/sandbox/timed-queue';

describe('TimedQueue', () => {
  it('pops the earliest entry first, and equal times by sequence number', () => {
    // Prepare
    const queue = new TimedQueue<string>();
    const entries: [number, number, string][] = [
      [30, 1, 'c'],
      [10, 5, 'b'],
      [10, 2, 'a'],
      [50, 0, 'e'],
      [40, 3, 'd'],
    ];
    for (const [at, seq, value] of entries) queue.push(at, seq, value);

    // Act
    const popped: string[] = [];
    const first = queue.peek()?.value;
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(e.value);

    // Assess
    expect(first).toBe('a');
    expect(popped).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(queue.size).toBe(0);
  });

  it('stays ordered across interleaved pushes and pops of many entries', () => {
    const queue = new TimedQueue<number>();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    times.slice(0, 250).forEach((t, i) => queue.push(t, i, t));
    const out: number[] = [];
    for (let i = 0; i < 100; i += 1) out.push(queue.pop()!.value);
    times.slice(250).forEach((t, i) => queue.push(t, 250 + i, t));
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) out.push(e.value);

    expect(out.slice(0, 100)).toEqual([...times.slice(0, 250)].sort((a, b) => a - b).slice(0, 100));
    expect(out.slice(100)).toEqual([...out.slice(100)].sort((a, b) => a - b));
    expect(out).toHaveLength(500);
  });
});
