import { describe, expect, it } from 'vitest';
import { formatCpuQuantity, formatMeasured, formatMemoryQuantity, formatScenarioDuration, formatSloThreshold, formatVcpu } from '../../../harness/runner/human-units.js';

describe('human units', () => {
  it('writes a pod request in millicores below a core and in cores on whole ones', () => {
    expect(formatCpuQuantity(500)).toBe('500m CPU');
    expect(formatCpuQuantity(2000)).toBe('2 CPU');
  });

  it('writes a limit in vCPU', () => {
    expect(formatVcpu(6_000_000)).toBe('6000 vCPU');
  });

  it('writes memory in the largest binary unit that stays exact', () => {
    expect(formatMemoryQuantity(512)).toBe('512 MiB');
    expect(formatMemoryQuantity(1024)).toBe('1 GiB');
    expect(formatMemoryQuantity(1536)).toBe('1.5 GiB');
    expect(formatMemoryQuantity(24000 * 1024)).toBe('24000 GiB');
    expect(formatMemoryQuantity(4 * 1024 * 1024)).toBe('4 TiB');
  });

  it('writes durations as a scenario file does', () => {
    expect(formatScenarioDuration(180_000)).toBe('3m');
    expect(formatScenarioDuration(5_400_000)).toBe('1h30m');
    expect(formatScenarioDuration(90_250)).toBe('1m30s250ms');
    expect(formatScenarioDuration(0)).toBe('0s');
  });

  it('writes SLO thresholds with their unit', () => {
    expect(formatSloThreshold('podToReady.p99', 180)).toBe('3m');
    expect(formatSloThreshold('requests.successRate', 0.995)).toBe('99.5%');
    expect(formatSloThreshold('requests.latencyP95Ms', 500)).toBe('500ms');
    expect(formatSloThreshold('sloMinutesInViolation', 5)).toBe('5m');
    expect(formatSloThreshold('cost.totalUSD', 120)).toBe('$120.00');
  });

  it('writes measured values with their unit', () => {
    expect(formatMeasured('podToReady.p99', 215.23)).toBe('215.2 s');
    expect(formatMeasured('requests.successRate', 0.98251)).toBe('98.25%');
    expect(formatMeasured('cost.ratioToLowerBound', 1.346)).toBe('1.35x');
  });
});
