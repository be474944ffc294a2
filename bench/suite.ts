/**
 * A benchmark suite: measures one thing on a stated input and returns plain JSON. `npm run bench` writes each
 * suite's result to bench/results/<name>.json. Speed goals live here, never in timed unit tests.
 */
export interface BenchSuite {
  name: string;
  /** What is measured, on what input: copied into the JSON so a number never travels without its context. */
  description: string;
  run(log: (line: string) => void): Promise<Record<string, unknown>>;
}

/** Summary statistics over repeated measurements, so results report their variance. */
export function summarize(samples: number[]): { n: number; min: number; median: number; mean: number; max: number; stdev: number } {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const variance = s.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1);
  const median = n === 0 ? 0 : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { n, min: r(s[0] ?? 0), median: r(median), mean: r(mean), max: r(s[n - 1] ?? 0), stdev: r(Math.sqrt(variance)) };
}
