import { describe, expect, it } from 'vitest';
import { processUsage } from '../../../bench/kwok/process-usage.js';

describe('a process measured from /proc', () => {
  it('names the program, its CPU seconds and a peak RSS no lower than its RSS now', () => {
    const usage = processUsage(process.pid);
    expect(usage.command).toMatch(/node/);
    expect(usage.cpuSeconds).toBeGreaterThan(0);
    expect(usage.peakRssMiB).toBeGreaterThanOrEqual(usage.rssMiB);
    expect(usage.rssMiB).toBeGreaterThan(10);
  });

  it('fails for a process that does not exist', () => {
    expect(() => processUsage(2 ** 22 + 1)).toThrow(/proc/);
  });
});
