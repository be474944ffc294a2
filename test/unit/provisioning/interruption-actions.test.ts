import { describe, expect, it } from 'vitest';
import { interruptionAction } from '../../../provisioner/interruption/actions.js';

describe("Karpenter's actions on interruption notices", () => {
  it('drains the node and caches the offering as out of capacity on a Spot interruption warning', () => {
    expect(interruptionAction('spot-interruption')).toEqual({ kind: 'cordon-and-drain', markUnavailable: true });
  });

  it.each(['scheduled-change', 'state-change'] as const)('drains the node without caching its offering on a %s', (kind) => {
    expect(interruptionAction(kind)).toEqual({ kind: 'cordon-and-drain', markUnavailable: false });
  });

  it('does nothing on a rebalance recommendation', () => {
    expect(interruptionAction('rebalance-recommendation')).toEqual({ kind: 'none' });
  });
});
