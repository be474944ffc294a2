import { describe, expect, it } from 'vitest';
import { LABEL } from '../../../provisioner/api/labels.js';
import type { PodSpec, TopologyKey } from '../../../provisioner/api/pod.js';
import { rejection, score, type TopologyCounts } from '../../../provisioner/scheduling/predicates.js';
import { podSpec, readyNode, ZONES, zoneCounts } from '../../support/builders.js';

/** Topology with pods of `app` per zone as given, and a host minimum for hostname spread. */
function topology(perZone: Record<string, number> = {}, hostMin = 0): TopologyCounts {
  return {
    zoneCount: (_w, z) => perZone[z] ?? 0,
    minCount: (_spec: PodSpec, key: TopologyKey) => (key === LABEL.hostname ? hostMin : Math.min(...ZONES.map((z) => perZone[z] ?? 0))),
    anyPlaced: () => Object.values(perZone).some((n) => n > 0),
  };
}

/** Topology with pods per workload per zone, as the scheduler's state counts them. */
function byWorkload(table: Record<string, Record<string, number>>): TopologyCounts {
  const count = zoneCounts(table);
  const inZone = (selects: readonly string[], z: string): number => selects.reduce((a, w) => a + count(w, z), 0);
  return {
    zoneCount: count,
    minCount: (_spec, _key, selects) => Math.min(...ZONES.map((z) => inZone(selects, z))),
    anyPlaced: (selects) => ZONES.some((z) => inZone(selects, z) > 0),
  };
}

const ZONE = LABEL.zone as TopologyKey;

const fitsOn = (spec: PodSpec, node: ReturnType<typeof readyNode>, topo = topology()): boolean => rejection(spec, node, topo) === null;

describe('kube-scheduler filters', () => {
  describe('resources', () => {
    it('places a pod whose requests fit the free allocatable', () => {
      expect(fitsOn(podSpec({ cpu: '1', memory: '2Gi' }), readyNode({ type: 'm5.large' }))).toBe(true);
    });

    it('rejects a pod asking more CPU than is free, naming cpu', () => {
      const node = readyNode({ type: 'm5.large', requested: { cpu: 1500 } });
      expect(rejection(podSpec({ cpu: '500m' }), node, topology())).toBe('Insufficient cpu');
    });

    it('rejects a pod asking more memory than is free, naming memory', () => {
      expect(rejection(podSpec({ memory: '8Gi' }), readyNode({ type: 'm5.large' }), topology())).toBe('Insufficient memory');
    });

    it('rejects a pod when the node has no pod slot left (ENI max pods)', () => {
      const node = readyNode({ type: 'm5.large', requested: { pods: 29 } });
      expect(rejection(podSpec(), node, topology())).toBe('Too many pods');
    });

    it('rejects a GPU pod on a node without GPUs and accepts it on a GPU node', () => {
      const spec = podSpec({ gpu: 1 });
      expect(rejection(spec, readyNode({ type: 'm5.xlarge' }), topology())).toBe('Insufficient nvidia.com/gpu');
      expect(fitsOn(spec, readyNode({ type: 'g4dn.xlarge' }))).toBe(true);
    });
  });

  describe('node selector and required node affinity', () => {
    it('accepts a node whose labels match the nodeSelector', () => {
      expect(fitsOn(podSpec({ nodeSelector: { [LABEL.arch]: 'amd64' } }), readyNode())).toBe(true);
    });

    it('rejects a node whose labels do not match the nodeSelector', () => {
      expect(rejection(podSpec({ nodeSelector: { [LABEL.arch]: 'arm64' } }), readyNode(), topology())).toBe("node(s) didn't match Pod's node affinity/selector");
    });

    it('rejects a node outside a required In affinity on zone', () => {
      const spec = podSpec({ affinity: [{ key: LABEL.zone, operator: 'In', values: ['us-east-1b'] }] });
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1a' }))).toBe(false);
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1b' }))).toBe(true);
    });

    it('applies Gt on a numeric label such as instance-cpu', () => {
      const spec = podSpec({ affinity: [{ key: LABEL.instanceCpu, operator: 'Gt', values: ['4'] }] });
      expect(fitsOn(spec, readyNode({ type: 'm5.xlarge' }))).toBe(false);
      expect(fitsOn(spec, readyNode({ type: 'm5.2xlarge' }))).toBe(true);
    });
  });

  describe('taints and tolerations', () => {
    const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const };

    it('rejects a pod that does not tolerate a NoSchedule taint', () => {
      expect(rejection(podSpec(), readyNode({ taints: [gpuTaint] }), topology())).toBe('node(s) had untolerated taint {nvidia.com/gpu: true}');
    });

    it('accepts a pod with a matching toleration', () => {
      const spec = podSpec({ tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] });
      expect(fitsOn(spec, readyNode({ taints: [gpuTaint] }))).toBe(true);
    });

    it('ignores PreferNoSchedule taints when filtering', () => {
      expect(fitsOn(podSpec(), readyNode({ taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }))).toBe(true);
    });
  });

  describe('topology spread', () => {
    it('rejects a zone that would exceed maxSkew under DoNotSchedule', () => {
      const spec = podSpec({ spread: [{ topologyKey: LABEL.zone, maxSkew: 1 }] });
      const topo = topology({ 'us-east-1a': 1, 'us-east-1b': 0, 'us-east-1c': 0 });
      expect(rejection(spec, readyNode({ zone: 'us-east-1a' }), topo)).toBe("node(s) didn't match pod topology spread constraints");
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1b' }), topo)).toBe(true);
    });

    it('allows a larger skew when maxSkew says so', () => {
      const spec = podSpec({ spread: [{ topologyKey: LABEL.zone, maxSkew: 2 }] });
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1a' }), topology({ 'us-east-1a': 1 }))).toBe(true);
    });

    it('never rejects under ScheduleAnyway, but scores the crowded zone lower', () => {
      const spec = podSpec({ spread: [{ topologyKey: LABEL.zone, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }] });
      const topo = topology({ 'us-east-1a': 5 });
      const crowded = readyNode({ zone: 'us-east-1a' });
      const empty = readyNode({ zone: 'us-east-1b' });
      expect(fitsOn(spec, crowded, topo)).toBe(true);
      expect(score(spec, crowded, topo)).toBeLessThan(score(spec, empty, topo));
    });

    it('rejects a host already holding maxSkew more pods than the emptiest host', () => {
      const spec = podSpec({ spread: [{ topologyKey: LABEL.hostname, maxSkew: 1 }] });
      expect(fitsOn(spec, readyNode({ workloads: { app: 1 } }), topology({}, 0))).toBe(false);
      expect(fitsOn(spec, readyNode({ workloads: { app: 1 } }), topology({}, 1))).toBe(true);
    });
  });

  describe('required pod anti-affinity', () => {
    it('rejects a host that already runs a pod of the workload', () => {
      const spec = podSpec({ antiAffinity: [LABEL.hostname as 'kubernetes.io/hostname'] });
      expect(rejection(spec, readyNode({ workloads: { app: 1 } }), topology())).toBe("node(s) didn't match pod anti-affinity rules");
      expect(fitsOn(spec, readyNode())).toBe(true);
    });

    it('rejects any node in a zone that already runs a pod of the workload', () => {
      const spec = podSpec({ antiAffinity: [LABEL.zone as 'topology.kubernetes.io/zone'] });
      const topo = topology({ 'us-east-1a': 1 });
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1a' }), topo)).toBe(false);
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1c' }), topo)).toBe(true);
    });
  });

  describe('labelSelectors over other workloads', () => {
    it('rejects a node in a zone that runs no pod its affinity selects', () => {
      const spec = podSpec({ workload: 'web', podAffinity: [{ topologyKey: ZONE, selects: ['db'] }] });
      const topo = byWorkload({ db: { 'us-east-1b': 1 } });
      expect(rejection(spec, readyNode({ zone: 'us-east-1a' }), topo)).toBe("node(s) didn't match pod affinity rules");
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1b' }), topo)).toBe(true);
    });

    it('lets the first pod of a self-selecting affinity go anywhere, and the next only where it went', () => {
      const spec = podSpec({ workload: 'cache', podAffinity: [ZONE] });
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1c' }), byWorkload({}))).toBe(true);
      const topo = byWorkload({ cache: { 'us-east-1a': 1 } });
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1c' }), topo)).toBe(false);
      expect(fitsOn(spec, readyNode({ zone: 'us-east-1a' }), topo)).toBe(true);
    });

    it('counts the pods of every workload a spread selects, and the pod itself only when the selector matches it', () => {
      const topo = byWorkload({ web: { 'us-east-1a': 1 } });
      const notSelf = podSpec({ workload: 'api', spread: [{ topologyKey: ZONE, selects: ['web'] }] });
      const withSelf = podSpec({ workload: 'api', spread: [{ topologyKey: ZONE, selects: ['web', 'api'] }] });
      expect(fitsOn(notSelf, readyNode({ zone: 'us-east-1a' }), topo)).toBe(true);
      expect(fitsOn(withSelf, readyNode({ zone: 'us-east-1a' }), topo)).toBe(false);
    });

    it("rejects a host running a pod of another workload its anti-affinity selects", () => {
      const spec = podSpec({ workload: 'web', antiAffinity: [{ topologyKey: LABEL.hostname as TopologyKey, selects: ['batch'] }] });
      expect(fitsOn(spec, readyNode({ workloads: { batch: 1 } }))).toBe(false);
      expect(fitsOn(spec, readyNode({ workloads: { web: 1 } }))).toBe(true);
    });
  });

  describe('LeastAllocated scoring', () => {
    it('prefers the node with more free room after placement', () => {
      const spec = podSpec({ cpu: '500m' });
      const busy = readyNode({ type: 'm5.xlarge', requested: { cpu: 3000, memory: 8000 } });
      const idle = readyNode({ type: 'm5.xlarge' });
      expect(score(spec, idle, topology())).toBeGreaterThan(score(spec, busy, topology()));
    });
  });
});
