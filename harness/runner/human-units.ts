/**
 * Quantities in the units people write and read on the command line: CPU in cores or millicores, memory in GiB or
 * MiB, durations as a scenario file spells them ('3m', '1h30m'), SLO values with their unit. The scenario keeps
 * millicores, MiB and milliseconds internally; these turn them back.
 */
import { unitForMetric } from '../../reports/format.js';

/** A pod's request in millicores as Kubernetes writes it: '500m CPU', '2 CPU'. */
export function formatCpuQuantity(milli: number): string {
  return milli % 1000 === 0 ? `${milli / 1000} CPU` : `${milli}m CPU`;
}

/** A capacity (a NodePool limit) in millicores as cores: '6000 vCPU', '0.5 vCPU'. */
export function formatVcpu(milli: number): string {
  return `${trim(milli / 1000, 3)} vCPU`;
}

/** MiB as '512 MiB', '1 GiB', '1.5 GiB', '4 TiB': the largest binary unit that keeps at most two decimals exact. */
export function formatMemoryQuantity(mib: number): string {
  for (const [unit, size] of [['TiB', 1024 * 1024], ['GiB', 1024]] as const) {
    if (mib >= size && Number.isInteger((mib / size) * 100)) return `${trim(mib / size)} ${unit}`;
  }
  return `${mib} MiB`;
}

/** Milliseconds in scenario-file syntax: '3m', '90s', '1h30m', '250ms', '0s'. */
export function formatScenarioDuration(ms: number): string {
  if (ms === 0) return '0s';
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}${rest ? `${rest}ms` : ''}`;
}

/**
 * A value of an SLO metric in results.json's units, as written in a scenario file: 'podToReady.p99' 180 -> '3m',
 * 'requests.successRate' 0.995 -> '99.5%'.
 */
export function formatSloThreshold(metric: string, value: number): string {
  switch (unitForMetric(metric)) {
    case 'duration':
      return formatScenarioDuration(Math.round(value * 1000));
    case 'ms':
      return formatScenarioDuration(Math.round(value));
    case 'minutes':
      return formatScenarioDuration(Math.round(value * 60_000));
    default:
      return formatMeasured(metric, value);
  }
}

/** A measured value of a metric for one-line output: '215.2 s', '98.25%', '$12.40', '1.35x', '12.5 min'. */
export function formatMeasured(metric: string, value: number | null): string {
  if (value === null) return 'no value';
  switch (unitForMetric(metric)) {
    case 'duration':
      return `${trim(value, 1)} s`;
    case 'ms':
      return `${trim(value, 0)} ms`;
    case 'percent':
      return `${trim(value * 100, 2)}%`;
    case 'usd':
      return `$${value.toFixed(2)}`;
    case 'ratio':
      return `${value.toFixed(2)}x`;
    case 'minutes':
      return `${trim(value, 1)} min`;
    case 'count':
      return trim(value, 2);
  }
}

function trim(v: number, digits = 2): string {
  return String(Number(v.toFixed(digits)));
}
