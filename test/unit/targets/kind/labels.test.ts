import { describe, expect, it } from 'vitest';
import { kubeletMaySet } from '../../../../harness/targets/kind/labels.js';

describe('labels a joining kubelet may set itself', () => {
  it("include other domains and kubernetes.io's well-known node labels", () => {
    for (const key of ['karpenter.sh/capacity-type', 'team', 'node.kubernetes.io/instance-type', 'topology.kubernetes.io/zone', 'kubernetes.io/arch']) {
      expect(kubeletMaySet(key), key).toBe(true);
    }
  });

  it('exclude the other kubernetes.io and k8s.io labels, which the admin sets after the join', () => {
    for (const key of ['node-role.kubernetes.io/worker', 'example.k8s.io/x', 'kubernetes.io/custom']) expect(kubeletMaySet(key), key).toBe(false);
  });
});
