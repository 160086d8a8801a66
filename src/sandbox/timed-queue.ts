/**
 * A min-heap of timed entries for the simulations: the earliest time first, and among equal times the lowest
 * sequence number first, so events due together are handled in a stable order. O(log n) per push and pop, where a
 * scan of every entry would cost the whole fleet on every simulated event.
 */

interface Entry<T> {
  readonly at: number;
  readonly seq: number;
  readonly value: T;
}

/** Entries ordered by (`at`, `seq`). */
export class TimedQueue<T> {
  private readonly heap: Entry<T>[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(at: number, seq: number, value: T): void {
    const heap = this.heap;
    heap.push({ at, seq, value });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** The earliest entry, without removing it. */
  peek(): { readonly at: number; readonly value: T } | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest entry. */
  pop(): { readonly at: number; readonly value: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
    return top;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
