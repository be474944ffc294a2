import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import type { Results } from '../../harness/metrics/results.js';
import { executeScenario, type Execution } from '../../harness/runner/execute.js';
import { formatViolation } from '../../harness/verify/violation.js';
import { verifyEvents } from '../../harness/verify/verify.js';
import { loadScenario } from '../../scenarios/load.js';
import { disruptionScenario, steppedWorkload } from '../support/disruption.js';
import { arm, eventsOf, run, simulatedShippedScenarios } from '../support/scenarios.js';

/** Each shipped scenario is simulated once per test file, however many tests read it. */
const shippedRuns = new Map<string, Promise<Execution>>();
function shipped(file: string): Promise<Execution> {
  let r = shippedRuns.get(file);
  if (!r) shippedRuns.set(file, (r = loadScenario(file).then((s) => executeScenario(s))));
  return r;
}
const SHIPPED = simulatedShippedScenarios();

describe('every shipped scenario', () => {
  it.each(SHIPPED)('%s passes burstlab verify in every arm', async (file) => {
    const { events, results } = await shipped(file);
    const report = verifyEvents(events, results);
    expect(report.violations.map(formatViolation)).toEqual([]);
    expect(report.arms.map((a) => a.arm)).toEqual(results.autoscalers.map((a) => a.name));
    for (const a of report.arms) expect(a.placement.resourceChecks, a.arm).toBe(a.placement.binds);
  }, 180_000);
});

describe('a run that uses every placement rule', () => {
  it('passes burstlab verify with each rule checked at the binds it governs, in both arms', async () => {
    const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };
    const { events, results } = await run({
      duration: '40m',
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
        nodeGroups: [
          { name: 'general', instanceType: 'm5.xlarge', min: 2, max: 30 },
          { name: 'gpu', instanceType: 'g4dn.xlarge', min: 0, max: 4, labels: { workload: 'gpu' }, taints: [gpuTaint] },
        ],
        nodePools: [
          { name: 'default', requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }], limits: { cpu: 64 } },
          { name: 'gpu', requirements: [{ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g4dn'] }], labels: { workload: 'gpu' }, taints: [gpuTaint], limits: { cpu: 16 } },
        ],
      },
      workloads: [
        { name: 'web', replicas: 3, resources: { cpu: '500m', memory: '512Mi' }, topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }], schedule: [{ at: '00:02', replicas: 40 }, { at: '00:20', replicas: 10 }] },
        { name: 'db', replicas: 1, resources: { cpu: '1', memory: '2Gi' }, podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname' }], schedule: [{ at: '00:03', replicas: 8 }] },
        { name: 'train', replicas: 0, resources: { cpu: '2', memory: '4Gi', gpu: 1 }, nodeSelector: { workload: 'gpu' }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], schedule: [{ at: '00:04', replicas: 4 }] },
        { name: 'amd', replicas: 0, resources: { cpu: '250m', memory: '256Mi' }, nodeAffinity: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }], schedule: [{ at: '00:05', replicas: 30 }] },
      ],
    });
    const report = verifyEvents(events, results);
    expect(report.violations.map(formatViolation)).toEqual([]);
    for (const a of report.arms) {
      const p = a.placement;
      expect([p.selectorChecks, p.taintChecks, p.spreadChecks, p.antiAffinityChecks, a.capacity.launchChecks].every((n) => n > 0), a.arm).toBe(true);
    }
  }, 60_000);
});

describe('a run of the market-open scenario', () => {
  let results: Results;
  let events: RunEvent[];

  beforeAll(async () => {
    ({ results, events } = await shipped('scenarios/market-open.yaml'));
  }, 180_000);

  it('reaches at least 5,000 pods at the peak of the open', () => {
    let live = 0;
    let peak = 0;
    for (const e of events) {
      if (e.autoscaler !== 'karpenter') continue;
      if (e.type === 'pod.created') live++;
      else if (e.type === 'pod.deleted') live--;
      peak = Math.max(peak, live);
    }
    expect(peak).toBeGreaterThanOrEqual(5_000);
  });

  it('gets pods ready sooner with Karpenter-style scale-up than with the Cluster-Autoscaler baseline', () => {
    const ca = arm(results, 'cluster-autoscaler');
    const k = arm(results, 'karpenter');
    expect(k.podToReady.p50).toBeLessThan(ca.podToReady.p50);
    expect(k.podToReady.p99).toBeLessThan(ca.podToReady.p99);
  });

  it('shows why in the events: the baseline waits for a scan and an ASG, Karpenter launches at the end of a batch', () => {
    const ca = arm(results, 'cluster-autoscaler');
    const k = arm(results, 'karpenter');
    expect(ca.decisionLatency.p50).toBeGreaterThan(k.decisionLatency.p50);
    expect(k.decisionLatency.p50).toBeLessThanOrEqual(11);
    expect(ca.nodeLaunchLatency.p50).toBeGreaterThan(k.nodeLaunchLatency.p50);
    expect(eventsOf(events, 'cluster-autoscaler', 'nodegroup.scaled').length).toBeGreaterThan(0);
    expect(eventsOf(events, 'karpenter', 'claim.created').length).toBeGreaterThan(0);
  });

  it('right-sizes Karpenter nodes from the whole catalog while the baseline is held to its groups\' shapes', () => {
    const caTypes = new Set(eventsOf(events, 'cluster-autoscaler', 'node.launched').map((e) => e.instanceType));
    const kTypes = new Set(eventsOf(events, 'karpenter', 'node.launched').map((e) => e.instanceType));
    expect([...caTypes].every((t) => ['m5.2xlarge', 'c5.4xlarge'].includes(t))).toBe(true);
    expect([...kTypes].some((t) => !['m5.2xlarge', 'c5.4xlarge'].includes(t))).toBe(true);
  });

  it('never packs more requests onto a node than it can hold, in either arm', () => {
    const report = verifyEvents(events);
    expect(report.violations.filter((v) => v.rule === 'over-commit').map(formatViolation)).toEqual([]);
    for (const a of report.arms) expect(a.placement.resourceChecks, a.arm).toBeGreaterThan(5_000);
  });

  it('consolidates the Karpenter arm after the spike: cost within 2x of the lower bound, at most 30% idle CPU, pod-to-ready p99 within 1.1x of the 89.4 s it had with emptiness only', () => {
    const k = arm(results, 'karpenter');
    expect(k.cost.ratioToLowerBound).toBeLessThanOrEqual(2.0);
    expect(k.cost.idleShare).toBeLessThanOrEqual(0.3);
    expect(k.podToReady.p99).toBeLessThanOrEqual(89.4 * 1.1);
    const methods = new Set(eventsOf(events, 'karpenter', 'disruption.decided').map((d) => d.method));
    expect(methods).toContain('multi-node-consolidation');
    expect(methods).toContain('single-node-consolidation');
  });

  it('drops a consolidation decision that no longer holds when it is validated again 15 s later, and says so', () => {
    const failed = eventsOf(events, 'karpenter', 'disruption.blocked').filter((b) => b.blockedBy === 'validation-failed');
    expect(failed.length).toBeGreaterThan(0);
    const decidedAt = new Map<string, number[]>();
    for (const d of eventsOf(events, 'karpenter', 'disruption.decided')) for (const n of d.nodes) decidedAt.set(n, [...(decidedAt.get(n) ?? []), d.t]);
    for (const b of failed) {
      expect(b.detail.length, b.node).toBeGreaterThan(0);
      // The dropped decision is not carried out at that validation: any later decision on the node is a new one.
      expect(decidedAt.get(b.node) ?? [], b.node).not.toContain(b.t);
    }
  });

  it('reports per-phase metrics for the open, the plateau and the close', () => {
    const phases = arm(results, 'karpenter').phases.map((p) => p.name);
    expect(phases).toEqual(['before the open', 'the spike', 'the plateau', 'the close', 'after hours']);
    expect(arm(results, 'karpenter').phases[1]!.peakPendingPods).toBeGreaterThan(0);
  });
});

describe('determinism', () => {
  it('gives byte-identical results for the same scenario and seed', async () => {
    const a = await run({ workloads: [{ name: 'web', replicas: 40, resources: { cpu: '500m', memory: '512Mi' } }] });
    const b = await run({ workloads: [{ name: 'web', replicas: 40, resources: { cpu: '500m', memory: '512Mi' } }] });
    expect(JSON.stringify(b.results)).toBe(JSON.stringify(a.results));
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });

  it('gives byte-identical events for a run that consolidates, drifts and drains under a PDB', async () => {
    const scenario = disruptionScenario({
      pool: { disruption: { budgets: [{ nodes: '100%' }] } },
      workloads: [
        steppedWorkload('web', '500m', 3, [['00:01', 12], ['00:08', 2]], { pdb: { maxUnavailable: 1 } }),
        steppedWorkload('batch', '1', 0, [['00:03', 6], ['00:08', 1]]),
      ],
      changes: [{ at: '20m', nodePool: 'default', set: { taints: [{ key: 'dedicated', value: 'web', effect: 'PreferNoSchedule' }] } }],
    });
    const a = await run(scenario);
    const b = await run(scenario);
    expect(eventsOf(a.events, 'karpenter', 'disruption.decided').length).toBeGreaterThan(0);
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });

  it('gives different results for another seed', async () => {
    const spike = {
      workloads: [{ name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' }, hpa: { minReplicas: 2, maxReplicas: 100, targetRpsPerPod: 50 } }],
      traffic: [{ workload: 'web', profile: 'step', from: 50, to: 3000, at: '2m' }],
    };
    const a = await run({ ...spike, seed: 1 });
    const b = await run({ ...spike, seed: 2 });
    expect(JSON.stringify(b.results)).not.toBe(JSON.stringify(a.results));
  });
});

describe('the Cluster-Autoscaler baseline', () => {
  it('wins when its node group is already warm and the pods are tiny', async () => {
    const { results } = await run({
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
        nodeGroups: [{ name: 'warm', instanceType: 'm5.xlarge', min: 2, initial: 12, max: 20 }],
        nodePools: [{ name: 'default' }],
      },
      workloads: [{ name: 'tiny', replicas: 2, resources: { cpu: '50m', memory: '64Mi' }, schedule: [{ at: '00:05', replicas: 300 }] }],
    });
    const ca = arm(results, 'cluster-autoscaler');
    const k = arm(results, 'karpenter');
    expect(ca.podToReady.p99).toBeLessThan(k.podToReady.p99);
    expect(ca.nodes.launched).toBe(0);
    expect(k.nodes.launched).toBeGreaterThan(0);
  });

  it('scales a node group down after its nodes sit under half utilised for ten minutes', async () => {
    const { events } = await run({
      duration: '40m',
      workloads: [{ name: 'web', replicas: 2, resources: { cpu: '1500m', memory: '512Mi' }, schedule: [{ at: '00:01', replicas: 8 }, { at: '00:08', replicas: 2 }] }],
    });
    const down = eventsOf(events, 'cluster-autoscaler', 'nodegroup.scaled').filter((e) => e.to < e.from);
    expect(down.length).toBeGreaterThan(0);
    expect(down[0]!.t).toBeGreaterThanOrEqual(8 * 60_000 + 10 * 60_000);
  });

  it('gives up on a node that has not registered within max-node-provision-time and backs its group off', async () => {
    const { events } = await run({
      duration: '40m',
      cloud: { profile: 'aws', launchToRegistered: '30m' },
      workloads: [{ name: 'web', replicas: 1, resources: { cpu: '1500m', memory: '512Mi' }, schedule: [{ at: '00:01', replicas: 3 }] }],
    });
    const givenUp = eventsOf(events, 'cluster-autoscaler', 'node.terminated').filter((e) => e.reason === 'max-node-provision-time');
    expect(givenUp.length).toBeGreaterThan(0);
    const firstScaleUp = eventsOf(events, 'cluster-autoscaler', 'nodegroup.scaled')[0]!;
    expect(givenUp[0]!.t - firstScaleUp.t).toBeGreaterThanOrEqual(15 * 60_000);
  });
});

describe('Karpenter-style emptiness', () => {
  it('removes a node once it has been empty for consolidateAfter', async () => {
    const { events } = await run({
      duration: '30m',
      workloads: [{ name: 'batch', replicas: 0, resources: { cpu: '2', memory: '2Gi' }, schedule: [{ at: '00:01', replicas: 6 }, { at: '00:06', replicas: 0 }] }],
    });
    const terminated = eventsOf(events, 'karpenter', 'node.terminated').filter((e) => e.reason === 'Empty');
    expect(terminated.length).toBeGreaterThan(0);
    expect(terminated[0]!.t).toBeGreaterThanOrEqual(6 * 60_000 + 30_000);
  });
});

describe('NodePool limits', () => {
  it('are never exceeded, and the pods past them are reported unsatisfiable', async () => {
    const { events } = await run({
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
        nodeGroups: [{ name: 'ng', instanceType: 'm5.large', min: 0, max: 5 }],
        nodePools: [{ name: 'capped', limits: { cpu: 24 } }],
      },
      workloads: [{ name: 'web', replicas: 1, resources: { cpu: '1', memory: '1Gi' }, podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname' }], schedule: [{ at: '00:01', replicas: 30 }] }],
    });
    const report = verifyEvents(events);
    expect(report.violations.filter((v) => v.rule === 'nodepool limits').map(formatViolation)).toEqual([]);
    expect(report.arms.find((a) => a.arm === 'karpenter')!.capacity.launchChecks).toBeGreaterThan(0);
    const unsatisfiable = eventsOf(events, 'karpenter', 'pod.unsatisfiable');
    expect(unsatisfiable.length).toBeGreaterThan(0);
    expect(unsatisfiable[0]!.reason).toMatch(/limits/);
  });
});

describe('impossible pods', () => {
  it('are reported with a reason by both autoscalers while the rest of the run goes on', async () => {
    const { results, events } = await run({
      workloads: [
        { name: 'huge', replicas: 0, resources: { cpu: '900', memory: '1Gi' }, schedule: [{ at: '00:01', replicas: 1 }] },
        { name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' }, schedule: [{ at: '00:01', replicas: 20 }] },
      ],
    });
    for (const name of ['cluster-autoscaler', 'karpenter']) {
      const u = eventsOf(events, name, 'pod.unsatisfiable').filter((e) => e.pod.startsWith('huge-'));
      expect(u, name).toHaveLength(1);
      expect(u[0]!.reason.length).toBeGreaterThan(20);
      expect(arm(results, name).pods.ready, name).toBeGreaterThanOrEqual(18);
    }
  });
});

describe('the overprovisioning pattern', () => {
  it('launches for the displaced placeholder only, not for the pod that preempted it', async () => {
    const { events } = await run({
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        priorityClasses: [{ name: 'placeholder', value: -10 }],
        nodeGroups: [{ name: 'system', instanceType: 'm5.large', min: 1, max: 1, autoscaled: false }],
        nodePools: [{ name: 'default' }],
      },
      workloads: [
        { name: 'pause', replicas: 1, priorityClass: 'placeholder', resources: { cpu: '1', memory: '1Gi' } },
        { name: 'web', replicas: 0, resources: { cpu: '1', memory: '1Gi' }, schedule: [{ at: '00:01', replicas: 1 }] },
      ],
      autoscalers: [{ name: 'karpenter', kind: 'karpenter' }],
    });
    expect(eventsOf(events, 'karpenter', 'claim.created')).toHaveLength(1);
    const web = eventsOf(events, 'karpenter', 'pod.scheduled').find((e) => e.pod.startsWith('web-'))!;
    expect(web.node).toBe('system-init-1');
  });

  it('lets a high-priority pod preempt a low-priority placeholder and start without waiting for a node', async () => {
    const { events } = await run({
      cluster: {
        zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        priorityClasses: [{ name: 'placeholder', value: -10 }],
        nodeGroups: [{ name: 'ng', instanceType: 'm5.xlarge', min: 1, max: 10 }],
        nodePools: [{ name: 'default' }],
      },
      workloads: [
        { name: 'pause', replicas: 3, priorityClass: 'placeholder', resources: { cpu: '1', memory: '1Gi' }, terminationGracePeriod: '0s' },
        { name: 'web', replicas: 0, resources: { cpu: '1', memory: '1Gi' }, schedule: [{ at: '00:02', replicas: 2 }] },
      ],
    });
    const preempted = eventsOf(events, 'cluster-autoscaler', 'pod.deleted').filter((e) => e.reason === 'preempted');
    expect(preempted.length).toBeGreaterThan(0);
    const webReady = eventsOf(events, 'cluster-autoscaler', 'pod.ready').filter((e) => e.pod.startsWith('web-'));
    expect(webReady).toHaveLength(2);
    expect(Math.max(...webReady.map((e) => e.t)) - 120_000).toBeLessThan(30_000);
  });
});

