import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import { faultMarkers } from '../../../reports/model/faults.js';

const chaos = (t: number, autoscaler: string, fault: string, targets: string[]): RunEvent => ({ t, autoscaler, type: 'chaos.injected', fault, targets, detail: 'd' });

describe('faultMarkers', () => {
  it('marks a fault injected into every arm at the same instant once, naming all arms', () => {
    const markers = faultMarkers([chaos(5_000, 'karpenter', 'zone-loss', ['a', 'b']), chaos(5_000, 'cluster-autoscaler', 'zone-loss', ['c'])], ['cluster-autoscaler', 'karpenter']);
    expect(markers).toEqual([{ tS: 5, fault: 'zone-loss', arms: ['karpenter', 'cluster-autoscaler'], targets: 3, detail: 'd' }]);
  });

  it('keeps faults at different instants apart, in time order', () => {
    const markers = faultMarkers([chaos(9_000, 'karpenter', 'spot-interruption', []), chaos(1_000, 'karpenter', 'node-failure', [])], ['karpenter']);
    expect(markers.map((m) => [m.tS, m.fault])).toEqual([
      [1, 'node-failure'],
      [9, 'spot-interruption'],
    ]);
  });

  it('ignores faults of arms that are not in the results', () => {
    expect(faultMarkers([chaos(1_000, 'other', 'node-failure', [])], ['karpenter'])).toEqual([]);
  });
});
