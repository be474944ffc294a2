import { describe, expect, it } from 'vitest';
import { doNotDisruptActive } from '../../../provisioner/disruption/do-not-disrupt.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { podSpec } from '../../support/builders.js';

function pod(doNotDisrupt: boolean, forMs?: number, startedAt: number | null = null): StatePod {
  const p = new StatePod('web-1', { ...podSpec({ workload: 'web' }), doNotDisrupt, ...(forMs === undefined ? {} : { doNotDisruptForMs: forMs }) }, 0);
  p.startedAt = startedAt;
  return p;
}

describe('karpenter.sh/do-not-disrupt on a pod', () => {
  it('protects a pod annotated "true" for good', () => {
    expect(doNotDisruptActive(pod(true, undefined, 0), 365 * 86_400_000)).toBe(true);
  });

  it('protects a pod with a duration until that long after it started, then no more', () => {
    expect(doNotDisruptActive(pod(false, 60_000, 10_000), 69_999)).toBe(true);
    expect(doNotDisruptActive(pod(false, 60_000, 10_000), 70_000)).toBe(false);
  });

  it('protects a pod with a duration that has not started yet, as upstream fails safe', () => {
    expect(doNotDisruptActive(pod(false, 60_000, null), 10 * 60_000)).toBe(true);
  });

  it('leaves a pod without the annotation disruptable', () => {
    expect(doNotDisruptActive(pod(false), 0)).toBe(false);
  });
});
