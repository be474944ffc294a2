/** A binary min-heap of timed entries; ties break on insertion order so a simulation replays identically. */
export interface QueueEntry {
  at: number;
  seq: number;
  fn: () => unknown;
  cancelled: boolean;
  /** Times the entry was taken back (push): a Timer cancels only the use it was given. */
  reuses: number;
}

export class EventQueue {
  private readonly heap: QueueEntry[] = [];
  private seq = 0;
  /** The entry pushed last, while it is still in the heap. */
  private last: QueueEntry | null = null;

  get size(): number {
    return this.heap.length;
  }

  /**
   * A timer cancelled and set again for the same instant, with nothing pushed in between (Karpenter's batching window
   * re-armed once per unschedulable pod of a scheduling pass), takes back its cancelled entry: it already holds the
   * newest sequence number, so it orders exactly as a fresh entry would, and the heap does not fill with dead ones.
   */
  push(at: number, fn: () => unknown): QueueEntry {
    const last = this.last;
    if (last !== null && last.cancelled && last.at === at) {
      last.fn = fn;
      last.cancelled = false;
      last.reuses++;
      return last;
    }
    const entry: QueueEntry = { at, seq: this.seq++, fn, cancelled: false, reuses: 0 };
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    this.last = entry;
    return entry;
  }

  peek(): QueueEntry | undefined {
    return this.heap[0];
  }

  pop(): QueueEntry | undefined {
    const top = this.heap[0];
    if (top === this.last) this.last = null;
    const last = this.heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(a: QueueEntry, b: QueueEntry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && this.less(h[l]!, h[min]!)) min = l;
      if (r < h.length && this.less(h[r]!, h[min]!)) min = r;
      if (min === i) return;
      [h[i], h[min]] = [h[min]!, h[i]!];
      i = min;
    }
  }
}
