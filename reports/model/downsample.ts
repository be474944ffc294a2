/**
 * Downsampling long step series for charts without losing their extremes. The run is cut into equal buckets; each
 * bucket keeps two points, the lowest and the highest state seen in it, in the order they happened. A 24-hour run
 * with hundreds of thousands of events becomes a few thousand points, and the peak of pending pods or the deepest
 * dip in ready replicas is still drawn exactly.
 */
export interface Grid {
  startS: number;
  endS: number;
  buckets: number;
}

export function gridFor(endS: number, maxBuckets: number, startS = 0): Grid {
  // Short spans get a bucket per second at most, so a 5-minute quickstart is not smeared into sub-second slots.
  return { startS, endS, buckets: Math.max(1, Math.min(maxBuckets, Math.ceil(endS - startS))) };
}

/**
 * The x value of every output point: two slots per bucket, at its start and its middle, except that the very last
 * point sits at the end of the run so running totals (cumulative cost) end on their exact final value.
 */
export function gridX(grid: Grid): number[] {
  const width = (grid.endS - grid.startS) / grid.buckets;
  const x: number[] = [];
  for (let b = 0; b < grid.buckets; b++) x.push(grid.startS + b * width, grid.startS + (b + 0.5) * width);
  x[x.length - 1] = grid.endS;
  return x;
}

function bucketOf(grid: Grid, tS: number): number {
  const width = (grid.endS - grid.startS) / grid.buckets;
  const b = Math.floor((tS - grid.startS) / width);
  return Math.max(0, Math.min(grid.buckets - 1, b));
}

/**
 * Keeps, per bucket, the states with the lowest and highest `key`. Columns observed together stay together: for a
 * stacked chart the key is the total, so both kept instants are real states of every layer and the total's
 * extremes survive. Observe states in time order, after all events sharing a timestamp have been applied.
 */
export class ExtremaSampler {
  private readonly out: number[][];
  private bucket = -1;
  private last: number[] | null = null;
  private lo: number[] = [];
  private hi: number[] = [];
  private loKey = Infinity;
  private hiKey = -Infinity;
  private seq = 0;
  private loSeq = 0;
  private hiSeq = 0;

  constructor(
    private readonly grid: Grid,
    columns: number,
    private readonly key: (values: readonly number[]) => number = sum,
  ) {
    this.out = Array.from({ length: columns }, () => new Array<number>(grid.buckets * 2).fill(0));
  }

  observe(tS: number, values: readonly number[]): void {
    const b = bucketOf(this.grid, tS);
    if (b !== this.bucket) this.advanceTo(b);
    this.take(values);
    this.last = [...values];
  }

  /** The sampled columns, each two points per bucket (see gridX); buckets after the last event hold its state. */
  finish(): number[][] {
    this.advanceTo(this.grid.buckets);
    return this.out;
  }

  private advanceTo(b: number): void {
    if (this.bucket >= 0) this.flush(this.bucket);
    for (let skipped = this.bucket + 1; skipped < b; skipped++) {
      this.reset();
      if (this.last) this.take(this.last);
      this.flush(skipped);
    }
    this.bucket = b;
    this.reset();
    // The state carried in from the previous bucket is this bucket's first state.
    if (this.last && b < this.grid.buckets) this.take(this.last);
  }

  private reset(): void {
    this.loKey = Infinity;
    this.hiKey = -Infinity;
    this.lo = [];
    this.hi = [];
  }

  private take(values: readonly number[]): void {
    const k = this.key(values);
    this.seq++;
    if (k < this.loKey) {
      this.loKey = k;
      this.lo = [...values];
      this.loSeq = this.seq;
    }
    if (k > this.hiKey) {
      this.hiKey = k;
      this.hi = [...values];
      this.hiSeq = this.seq;
    }
  }

  private flush(b: number): void {
    if (this.lo.length === 0) return;
    const [first, second] = this.loSeq <= this.hiSeq ? [this.lo, this.hi] : [this.hi, this.lo];
    for (let c = 0; c < this.out.length; c++) {
      this.out[c]![2 * b] = first[c] ?? 0;
      this.out[c]![2 * b + 1] = second[c] ?? 0;
    }
  }
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
