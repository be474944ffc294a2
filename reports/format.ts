/** Number and time formatting shared by the HTML, Markdown and JUnit outputs, so they all say the same thing. */
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return grouped.format(n);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '−' : '';
  if (s < 10) return `${sign}${s.toFixed(s < 1 ? 2 : 1)} s`;
  if (s < 60) return `${sign}${Math.round(s)} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = Math.round(s - m * 60);
    return rest === 60 ? `${sign}${m + 1} m 0 s` : `${sign}${m} m ${rest} s`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.round((s - h * 3600) / 60);
  return `${sign}${h} h ${String(m).padStart(2, '0')} m`;
}

export function formatUSD(usd: number): string {
  // Cents down to a cent; three significant digits below that, for unit costs such as $0.000123 per 1 000 requests.
  if (usd !== 0 && Math.abs(usd) < 0.01) return `$${usd.toLocaleString('en-US', { maximumSignificantDigits: 3 })}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A fraction (0.9904) as a percentage ("99.04%"); success rates need the second decimal. */
export function formatPercent(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export type Unit = 'duration' | 'usd' | 'percent' | 'count' | 'ratio' | 'minutes' | 'ms';

export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'duration':
      return formatDuration(value);
    case 'usd':
      return formatUSD(value);
    case 'percent':
      return formatPercent(value);
    case 'count':
      return formatCount(value);
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'minutes':
      return `${formatCount(Math.round(value))} min`;
    case 'ms':
      return `${formatCount(value)} ms`;
  }
}

/**
 * How much worse `value` is than `best`, in the words a review would use: "+23%" or "3.6×" for magnitudes,
 * percentage points for rates. Empty when they are equal.
 */
export function formatDelta(value: number, best: number, unit: Unit): string {
  if (value === best) return '';
  if (unit === 'percent') {
    const pp = (value - best) * 100;
    return `${pp > 0 ? '+' : '−'}${Math.abs(pp).toFixed(2)} pp`;
  }
  if (best === 0) return `+${formatValue(Math.abs(value - best), unit)}`;
  const ratio = value / best;
  if (ratio >= 2) return `${ratio.toFixed(1)}×`;
  if (ratio > 0 && ratio <= 0.5) return `${(1 / ratio).toFixed(1)}× less`;
  const pct = (ratio - 1) * 100;
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(0)}%`;
}

/** A scenario's epoch keeps its own UTC offset ("…T00:00:00-05:00"), so 09:30 at the open reads as 09:30. */
export function epochOffsetMinutes(epoch: string): number {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(epoch);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The scenario clock at `tS` seconds into the run: "09:31:05" in the epoch's own offset. */
export function formatClock(epochMs: number, offsetMinutes: number, tS: number): string {
  const d = new Date(epochMs + offsetMinutes * 60_000 + tS * 1000);
  return d.toISOString().slice(11, 19);
}

/** The unit a metric's name implies, in results.json's naming ('requests.successRate', 'podToReady.p99'...). */
export function unitForMetric(metric: string): Unit {
  if (/rate|share/i.test(metric)) return 'percent';
  if (/ms$/i.test(metric)) return 'ms';
  if (/usd/i.test(metric)) return 'usd';
  if (/ratio/i.test(metric)) return 'ratio';
  if (/minutes/i.test(metric)) return 'minutes';
  if (/podToReady|latency|wait|seconds|S$/.test(metric)) return 'duration';
  return 'count';
}

export function formatMetric(metric: string, value: number | null): string {
  if (value === null) return 'no value';
  return formatValue(value, unitForMetric(metric));
}

export function describeCheck(c: { metric: string; op: string; threshold: number }): string {
  return `${c.metric} ${c.op === '<=' ? '≤' : '≥'} ${formatMetric(c.metric, c.threshold)}`;
}
