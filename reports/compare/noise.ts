/**
 * When a metric's move between two runs is a change and when it is noise. One rule for every metric:
 *
 * 1. It must exceed the threshold: by default 10% when neither run has a spread (single-seed runs), none beyond
 *    the display resolution when one does (the spread is the better judge); `--threshold` overrides it. Rates and
 *    shares (success rate, idle share) are measured on their bad side, relative: the failed share for a success
 *    rate, the idle share itself for idle share, so 99.90% -> 99.88% (failures +20%) is a change while
 *    47.47% -> 47.81% idle (+0.7%) is not. A threshold in percentage points compares the raw rates instead.
 * 2. Its spreads must not overlap: every seed of the candidate is worse (or better) than every seed of the
 *    baseline. A single-seed run's spread is its one value.
 * 3. Two single-seed runs on different seeds cannot tell a change from seed noise (their spreads are unmeasured),
 *    so a move past the default threshold is reported as possible noise, not as a regression; a threshold the user
 *    sets is applied as given.
 * 4. Values that read the same as displayed are never a change (the comparison shows more digits where two
 *    different values would otherwise read the same, so what it calls a change is visible).
 */
import type { Spread } from '../../harness/metrics/aggregate.js';
import { UsageError } from '../../harness/runner/errors.js';
import type { Unit } from '../format.js';

/** Between single-seed runs, which have no spread to judge by. */
export const DEFAULT_RELATIVE_THRESHOLD = 0.1;

export interface Threshold {
  /** Relative move (0.1 = 10%); for rates and shares, of their bad side. */
  relative?: number;
  /** Percentage points (0.5 = 0.5 pp), rates and shares only. */
  pp?: number;
}

export interface UserThresholds {
  all?: Threshold;
  byMetric: Record<string, Threshold>;
}

export type Verdict = 'better' | 'worse' | 'same' | 'noise' | 'info';

export interface Decision {
  verdict: Verdict;
  /** Why, in a few words: which rule decided. */
  why: string;
}

/** `--threshold 10%` (every metric) or `--threshold podToReady.p99=5%` / `requests.successRate=0.1pp` (one metric). */
export function parseThresholds(specs: readonly string[]): UserThresholds {
  const out: UserThresholds = { byMetric: {} };
  const problems: string[] = [];
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const metric = eq >= 0 ? spec.slice(0, eq).trim() : undefined;
    const value = (eq >= 0 ? spec.slice(eq + 1) : spec).trim();
    const m = /^(\d+(?:\.\d+)?)\s*(%|pp)$/.exec(value);
    if (!m || (metric !== undefined && metric === '')) {
      problems.push(`'${spec}' is not a threshold`);
      continue;
    }
    const n = Number(m[1]);
    if (m[2] === 'pp' && metric === undefined) {
      problems.push(`'${spec}': a threshold in percentage points names its metric, e.g. requests.successRate=${m[1]}pp`);
      continue;
    }
    const t: Threshold = m[2] === '%' ? { relative: n / 100 } : { pp: n / 100 };
    if (metric === undefined) out.all = t;
    else out.byMetric[metric] = t;
  }
  if (problems.length) throw new UsageError(`--threshold: ${problems.join('; ')}`, 'e.g. --threshold 10% (every metric) or --threshold podToReady.p99=5% or requests.successRate=0.1pp');
  return out;
}

export interface DecideInput {
  a: Spread;
  b: Spread;
  unit: Unit;
  better: 'lower' | 'higher' | null;
  /** The user's threshold for this metric, if any. */
  user: Threshold | undefined;
  /** Both runs are single-seed runs on different seeds. */
  seedNoiseUnmeasured: boolean;
  /** The two values as displayed. */
  shown: [string, string];
}

export function decide(x: DecideInput): Decision {
  const { a, b, unit } = x;
  if (x.better === null) return { verdict: 'info', why: 'neither direction is better' };
  if (x.shown[0] === x.shown[1]) return { verdict: 'same', why: 'no change at display precision' };
  if (a.median === b.median) return { verdict: 'same', why: 'the same median' };
  const spread = a.n > 1 || b.n > 1;
  const threshold: Threshold = x.user ?? { relative: spread ? 0 : DEFAULT_RELATIVE_THRESHOLD };
  const move = relativeMove(a.median, b.median, unit, x.better);
  const limit = threshold.pp !== undefined ? `${fmt(threshold.pp * 100)} pp` : `${fmt((threshold.relative ?? 0) * 100)}%`;
  const beyond = threshold.pp !== undefined ? Math.abs(b.median - a.median) > threshold.pp : Math.abs(move) > (threshold.relative ?? 0);
  const what = unit === 'percent' ? `${x.better === 'higher' ? 'the failed share' : 'the share'} moved ${signed(move)}` : `moved ${signed(move)}`;
  if (!beyond) return { verdict: 'same', why: `${what}: within the ${x.user ? '' : 'default '}threshold of ${limit}` };
  const worse = x.better === 'lower' ? b.median > a.median : b.median < a.median;
  if (spread && !(b.min > a.max || b.max < a.min)) return { verdict: 'same', why: `${what}, but within the seeds' spread (min–max ranges overlap)` };
  if (x.seedNoiseUnmeasured && !x.user) {
    return { verdict: 'noise', why: `${what}, past the default ${limit}, but single runs on different seeds cannot tell that from seed noise` };
  }
  return { verdict: worse ? 'worse' : 'better', why: spread ? `${what}; every seed ${worse ? 'worse' : 'better'} (spreads apart), past ${limit}` : `${what}, past the ${x.user ? '' : 'default '}threshold of ${limit}` };
}

/** The move used against a relative threshold: for rates and shares, of the bad side. */
function relativeMove(a: number, b: number, unit: Unit, better: 'lower' | 'higher'): number {
  const [pa, pb] = unit === 'percent' && better === 'higher' ? [1 - a, 1 - b] : [a, b];
  if (pa === 0) return pb === 0 ? 0 : Math.sign(pb) * Infinity;
  return (pb - pa) / Math.abs(pa);
}

const fmt = (n: number): string => String(Math.round(n * 10) / 10);
const signed = (r: number): string => (Number.isFinite(r) ? `${r > 0 ? '+' : '−'}${fmt(Math.abs(r) * 100)}%` : 'from zero');
