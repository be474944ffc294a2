import { describe, expect, it } from 'vitest';
import { executeScenario } from '../../harness/runner/execute.js';
import { loadScenario } from '../../scenarios/load.js';
import { blocked, decisions, disruptionRun, launchTimes, steppedWorkload } from '../support/disruption.js';
import { eventsOf, run } from '../support/scenarios.js';

const ALL_AT_ONCE = { disruption: { budgets: [{ nodes: '100%' }] } };
const MIN = 60_000;

describe('Karpenter-style disruption on the sim', () => {
  it('removes an empty node with the emptiness method once consolidateAfter has passed', async () => {
    const events = await disruptionRun({ workloads: [steppedWorkload('batch', '2', 0, [['00:01', 6], ['00:06', 0]])] });
    const first = decisions(events)[0]!;
    expect(first).toMatchObject({ method: 'emptiness', reason: 'Empty', replacements: [], pods: 0 });
    expect(first.t).toBeGreaterThanOrEqual(6 * MIN + MIN);
    expect(eventsOf(events, 'karpenter', 'node.terminated').map((e) => e.reason)).toContain('Empty');
  });

  it('tries emptiness before consolidating under-used nodes', async () => {
    const events = await disruptionRun({
      pool: ALL_AT_ONCE,
      workloads: [steppedWorkload('a', '2', 0, [['00:01', 3], ['00:08', 0]]), steppedWorkload('b', '2', 0, [['00:03', 3], ['00:08', 1]])],
    });
    const methods = decisions(events).map((d) => d.method);
    expect(methods[0]).toBe('emptiness');
    expect(methods.slice(1)).toContainEqual(expect.stringMatching(/consolidation/));
  });

  it('consolidates several under-used nodes at once with multi-node consolidation, before trying them one by one', async () => {
    const events = await disruptionRun({
      pool: ALL_AT_ONCE,
      workloads: [
        steppedWorkload('a', '1', 0, [['00:01', 3], ['00:08', 1]]),
        steppedWorkload('b', '1', 0, [['00:03', 3], ['00:08', 1]]),
        steppedWorkload('c', '1', 0, [['00:05', 3], ['00:08', 1]]),
      ],
    });
    const multi = decisions(events).find((d) => d.method === 'multi-node-consolidation');
    expect(multi, 'a multi-node decision').toBeDefined();
    // Tried before single-node consolidation: no node went alone while they could go together.
    expect(decisions(events).find((d) => d.method.endsWith('consolidation'))).toBe(multi);
    expect(multi!.nodes.length).toBeGreaterThanOrEqual(2);
    expect(multi!.savingsPerHour).toBeGreaterThan(0);
  });

  it('replaces a lone under-used node with one cheaper node by single-node consolidation, Ready before the old node is drained', async () => {
    const events = await disruptionRun({ workloads: [steppedWorkload('a', '1', 0, [['00:01', 12], ['00:06', 1]])] });
    const single = decisions(events).find((d) => d.method === 'single-node-consolidation' && d.replacements.length === 1)!;
    expect(single).toBeDefined();
    const replacementReady = eventsOf(events, 'karpenter', 'node.ready').find((e) => e.node === single.replacements[0])!;
    const firstEviction = eventsOf(events, 'karpenter', 'pod.deleted').find((e) => e.reason === 'evicted' && e.cause === 'Underutilized' && e.t >= single.t)!;
    expect(replacementReady.t).toBeLessThanOrEqual(firstEviction.t);
    const cordoned = eventsOf(events, 'karpenter', 'node.cordoned').find((e) => e.node === single.nodes[0])!;
    expect(cordoned.t).toBe(single.t);
  });

  it('holds disruption while a budget of zero nodes has its schedule window open, and resumes after', async () => {
    const events = await disruptionRun({
      pool: { disruption: { budgets: [{ nodes: '0', schedule: '0 0 * * *', duration: '15m' }, { nodes: '100%' }] } },
      workloads: [steppedWorkload('batch', '2', 0, [['00:01', 6], ['00:04', 0]])],
    });
    const decided = decisions(events);
    expect(decided.length).toBeGreaterThan(0);
    for (const d of decided) expect(d.t).toBeGreaterThanOrEqual(15 * MIN);
    const budgetBlock = blocked(events).find((b) => b.blockedBy === 'budget')!;
    expect(budgetBlock.t).toBeLessThan(15 * MIN);
    expect(budgetBlock.detail).toMatch(/nodes: 0 during '0 0 \* \* \*' windows/);
  });

  it('never disrupts a node running a do-not-disrupt pod, and says so', async () => {
    const events = await disruptionRun({
      workloads: [steppedWorkload('a', '1', 0, [['00:01', 12], ['00:06', 1]], { doNotDisrupt: true })],
    });
    expect(decisions(events)).toEqual([]);
    expect(blocked(events).map((b) => b.blockedBy)).toContain('do-not-disrupt-pod');
  });

  it('protects a node while its do-not-disrupt-for-a-while pod is young, and consolidates it after', async () => {
    const events = await disruptionRun({
      workloads: [steppedWorkload('a', '1', 0, [['00:01', 12], ['00:06', 1]], { doNotDisrupt: '15m' })],
    });
    const firstStarted = eventsOf(events, 'karpenter', 'pod.scheduled')[0]!;
    const decided = decisions(events);
    expect(decided.length).toBeGreaterThan(0);
    for (const d of decided) expect(d.t).toBeGreaterThanOrEqual(firstStarted.t + 15 * MIN);
    expect(blocked(events).find((b) => b.blockedBy === 'do-not-disrupt-pod')?.detail).toMatch(/do-not-disrupt for 900 s after it started, until \d+ s into the run/);
  });

  it('holds drift of a node whose pod has a do-not-disrupt duration until that long after the pod started', async () => {
    const events = await disruptionRun({
      duration: '40m',
      pool: ALL_AT_ONCE,
      workloads: [steppedWorkload('a', '1', 2, [], { doNotDisrupt: '20m' })],
      changes: [{ at: '5m', nodePool: 'default', set: { labels: { team: 'payments' } } }],
    });
    const drift = decisions(events).filter((d) => d.method === 'drift');
    expect(drift.length).toBeGreaterThan(0);
    for (const d of drift) expect(d.t).toBeGreaterThanOrEqual(20 * MIN);
    const held = blocked(events).filter((b) => b.reason === 'Drifted' && b.blockedBy === 'do-not-disrupt-pod');
    expect(held[0]!.t).toBeLessThan(20 * MIN);
    expect(held[0]!.detail).toMatch(/karpenter.sh\/do-not-disrupt for 1200 s after it started, until 1200 s into the run/);
  });

  it("never disrupts the nodes of a NodePool whose template carries karpenter.sh/do-not-disrupt", async () => {
    const events = await disruptionRun({
      pool: { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } },
      workloads: [steppedWorkload('a', '1', 0, [['00:01', 12], ['00:06', 0]])],
    });
    expect(decisions(events)).toEqual([]);
    expect(blocked(events).map((b) => b.blockedBy)).toContain('do-not-disrupt-node');
  });

  it('drains pod by pod as the PDB allows: a refused eviction waits for a replacement pod to be Ready', async () => {
    const events = await disruptionRun({
      workloads: [
        steppedWorkload('web', '500m', 2, [], { pdb: { minAvailable: 1 } }),
        steppedWorkload('filler', '1', 0, [['00:01', 12], ['00:06', 1]]),
      ],
    });
    const refused = eventsOf(events, 'karpenter', 'eviction.blocked');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.pdb).toMatch(/web \(minAvailable: 1\)/);
    const laterEviction = eventsOf(events, 'karpenter', 'pod.deleted').find((e) => e.pod === refused[0]!.pod)!;
    const webReadyBetween = eventsOf(events, 'karpenter', 'pod.ready').filter((e) => e.pod.startsWith('web-') && e.t > refused[0]!.t && e.t <= laterEviction.t);
    expect(laterEviction.cause).toBeDefined();
    expect(webReadyBetween.length).toBeGreaterThan(0);
  });

  it('keeps a Spot node whose replacement would have fewer than 15 cheaper instance types to choose from', async () => {
    const events = await disruptionRun({
      featureGates: { spotToSpotConsolidation: true },
      pool: {
        requirements: [
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
          { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['c5'] },
        ],
      },
      workloads: [steppedWorkload('a', '1', 0, [['00:01', 12], ['00:06', 1]])],
    });
    expect(decisions(events).filter((d) => d.replacements.length > 0)).toEqual([]);
    expect(blocked(events).find((b) => b.blockedBy === 'spot-to-spot')?.detail).toMatch(/needs 15 instance types cheaper/);
  });

  it('replaces a Spot node with a cheaper Spot node when the pool offers many cheaper types and SpotToSpotConsolidation is on', async () => {
    const events = await disruptionRun({
      featureGates: { spotToSpotConsolidation: true },
      pool: { requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }] },
      workloads: [steppedWorkload('a', '1', 0, [['00:01', 12], ['00:06', 1]])],
    });
    const replaced = decisions(events).find((d) => d.replacements.length > 0)!;
    expect(replaced.method).toBe('single-node-consolidation');
    const launched = eventsOf(events, 'karpenter', 'node.launched').find((e) => e.node === replaced.replacements[0])!;
    expect(launched.capacityType).toBe('spot');
  });

  it('never replaces a Spot node by Spot with SpotToSpotConsolidation off, as upstream by default, and names the gate', async () => {
    const events = await disruptionRun({
      pool: { requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }] },
      workloads: [steppedWorkload('a', '1', 0, [['00:01', 12], ['00:06', 1]])],
    });
    expect(decisions(events).filter((d) => d.replacements.length > 0)).toEqual([]);
    const gated = blocked(events).filter((b) => b.blockedBy === 'spot-to-spot-disabled');
    expect(gated.length).toBeGreaterThan(0);
    expect(gated[0]!.detail).toMatch(/the SpotToSpotConsolidation feature gate is off/);
  });

  it('under Balanced, keeps the node whose move would save too little for the disruption of its critical pod, and consolidates one that is worth it', async () => {
    const run = (policy: string) =>
      disruptionRun({
        priorityClasses: [{ name: 'critical', value: 1_000_000_000 }],
        pool: {
          requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large', 'm5.xlarge'] }],
          disruption: { consolidationPolicy: policy, budgets: [{ nodes: '100%' }] },
        },
        workloads: [steppedWorkload('base', '1', 6, []), steppedWorkload('vip', '1', 3, [['00:06', 1]], { priorityClass: 'critical' })],
      });
    const [plain, balanced] = await Promise.all([run('WhenEmptyOrUnderutilized'), run('Balanced')]);
    const vipNode = (events: Awaited<ReturnType<typeof run>>) => eventsOf(events, 'karpenter', 'pod.scheduled').find((e) => e.pod === 'vip-1')!.node;
    expect(decisions(plain).some((d) => d.nodes.includes(vipNode(plain)))).toBe(true);
    expect(decisions(balanced).filter((d) => d.nodes.includes(vipNode(balanced)))).toEqual([]);
    expect(decisions(balanced).filter((d) => d.method.endsWith('consolidation')).length).toBeGreaterThan(0);
    const scored = blocked(balanced).find((b) => b.node === vipNode(balanced) && b.blockedBy === 'balanced-score')!;
    expect(scored.detail).toMatch(/NodePool default is Balanced: the move saves 33\.3% of the pool's cost for 68\.4% of its disruption cost, score 0\.49 < 0\.50 \(k = 2\)/);
  });

  it('replaces the nodes a mid-run NodePool change leaves behind, as Drifted, ahead of consolidation', async () => {
    const events = await disruptionRun({
      duration: '40m',
      pool: ALL_AT_ONCE,
      workloads: [steppedWorkload('a', '1', 4, [])],
      changes: [{ at: '10m', nodePool: 'default', set: { labels: { team: 'payments' } } }],
    });
    const drift = decisions(events).filter((d) => d.method === 'drift');
    expect(drift.length).toBeGreaterThan(0);
    expect(drift[0]!).toMatchObject({ reason: 'Drifted' });
    expect(drift[0]!.t).toBeGreaterThanOrEqual(10 * MIN);
    expect(decisions(events).find((d) => d.t >= 10 * MIN)!.method).toBe('drift');
    const relaunched = eventsOf(events, 'karpenter', 'node.launched').filter((e) => e.t >= 10 * MIN);
    expect(relaunched.length).toBeGreaterThan(0);
    for (const n of relaunched) expect(n.labels?.team).toBe('payments');
    const evictedForDrift = eventsOf(events, 'karpenter', 'pod.deleted').filter((e) => e.cause === 'Drifted');
    expect(evictedForDrift.length).toBe(4);
  });

  it('drifts the nodes on an instance type the cloud withdraws, as InstanceTypeNotFound once they are an hour old, and never launches it again', async () => {
    const events = await disruptionRun({
      duration: '2h',
      pool: { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c5.xlarge', 'm5.xlarge'] }] },
      workloads: [steppedWorkload('a', '1', 4, [])],
      changes: [{ at: '20m', withdraw: { instanceTypes: ['c5.xlarge'] } }],
    });
    const launched = eventsOf(events, 'karpenter', 'node.launched');
    const before = launched.filter((n) => n.t < 20 * MIN);
    expect(before.length).toBeGreaterThan(0);
    for (const n of before) expect(n.instanceType).toBe('c5.xlarge');
    const after = launched.filter((n) => n.t >= 20 * MIN);
    expect(after.length).toBeGreaterThan(0);
    for (const n of after) expect(n.instanceType).toBe('m5.xlarge');
    const drift = decisions(events).filter((d) => d.method === 'drift');
    expect(drift.map((d) => d.nodes[0]).sort()).toEqual(before.map((n) => n.node).sort());
    for (const d of drift) {
      expect(d.driftReason).toBe('InstanceTypeNotFound');
      expect(d.t - before.find((n) => n.node === d.nodes[0])!.t).toBeGreaterThan(60 * MIN);
    }
    expect(eventsOf(events, 'karpenter', 'chaos.injected')).toMatchObject([{ fault: 'offerings-withdrawn', targets: ['c5.xlarge/us-east-1a/spot', 'c5.xlarge/us-east-1a/on-demand'] }]);
  });

  it("marks a withdrawal on every arm's time line, and leaves the Cluster Autoscaler arm's group shape launching", async () => {
    const { events } = await run({ changes: [{ at: '1m', withdraw: { instanceTypes: ['m5.large'] } }] });
    for (const a of ['cluster-autoscaler', 'karpenter']) expect(eventsOf(events, a, 'chaos.injected').map((e) => [e.t, e.fault])).toEqual([[MIN, 'offerings-withdrawn']]);
    expect(eventsOf(events, 'karpenter', 'node.launched').filter((n) => n.t >= MIN && n.instanceType === 'm5.large')).toEqual([]);
    expect(eventsOf(events, 'cluster-autoscaler', 'node.launched').every((n) => n.instanceType === 'm5.large')).toBe(true);
  });

  it('drifts only the nodes on a withdrawn offering: a Spot withdrawal leaves on-demand nodes of the same type alone', async () => {
    const events = await disruptionRun({
      duration: '2h',
      pool: { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c5.xlarge', 'm5.xlarge'] }] },
      workloads: [steppedWorkload('a', '1', 4, [])],
      changes: [{ at: '20m', withdraw: { offerings: [{ instanceType: 'c5.xlarge', capacityType: 'spot' }] } }],
    });
    expect(eventsOf(events, 'karpenter', 'node.launched').every((n) => n.instanceType === 'c5.xlarge' && n.capacityType === 'on-demand')).toBe(true);
    expect(decisions(events).filter((d) => d.method === 'drift')).toEqual([]);
  });

  it('takes an empty node by emptiness before drifted nodes by drift when both become possible in the same round', async () => {
    const events = await disruptionRun({
      pool: { disruption: { budgets: [{ nodes: '0', schedule: '0 0 * * *', duration: '10m' }, { nodes: '100%' }] } },
      workloads: [steppedWorkload('a', '1', 4, []), steppedWorkload('b', '2', 0, [['00:01', 3], ['00:03', 0]])],
      changes: [{ at: '5m', nodePool: 'default', set: { labels: { team: 'payments' } } }],
    });
    const decided = decisions(events);
    expect(decided.map((d) => d.method).slice(0, 2)).toEqual(['emptiness', 'drift']);
    // Decided in the first round after the window closes; logged once validated, 15 s later.
    expect(decided[0]!.t).toBe(10 * MIN + 15_000);
    expect(decided[1]!.t).toBeGreaterThan(decided[0]!.t);
  });

  it('logs a node that stays blocked for the same reason again only every 30 rounds, with the specifics', async () => {
    const events = await disruptionRun({ duration: '40m', workloads: [steppedWorkload('a', '1', 3, [])] });
    const byNode = blocked(events).filter((b) => b.blockedBy === 'no-cheaper-replacement');
    expect(byNode.length).toBeGreaterThanOrEqual(3);
    expect(byNode[0]!.detail).toMatch(/the cheapest replacement, .* at \$[0-9.]+\/h, is not cheaper than \$[0-9.]+\/h/);
    for (let i = 1; i < byNode.length; i++) expect(byNode[i]!.t - byNode[i - 1]!.t).toBe(30 * 10_000);
  });

  it('never launches a node and consolidates it away again within consolidateAfter, under flapping load', async () => {
    const flaps: Array<[string, number]> = [];
    for (let m = 2; m < 30; m += 4) flaps.push([`00:${String(m).padStart(2, '0')}`, 2], [`00:${String(m + 2).padStart(2, '0')}`, 10]);
    flaps.push(['00:30', 2]);
    const events = await disruptionRun({ duration: '1h', pool: { disruption: { consolidateAfter: '5m', budgets: [{ nodes: '100%' }] } }, workloads: [steppedWorkload('a', '1', 2, flaps)] });
    const launched = launchTimes(events);
    expect(launched.size).toBeGreaterThan(1);
    expect(decisions(events).length).toBeGreaterThan(0);
    for (const d of decisions(events)) {
      for (const node of d.nodes) expect(d.t - launched.get(node)!, node).toBeGreaterThanOrEqual(5 * MIN);
    }
  });
});

describe('the shipped nodepool-rollout scenario', () => {
  it('rolls the NodePool change out by drift one node at a time, holds it through the 01:00-01:30 freeze, and drains through the PDB', async () => {
    const { events } = await executeScenario(await loadScenario('scenarios/nodepool-rollout.yaml'));
    const drift = decisions(events).filter((d) => d.method === 'drift');
    expect(drift.length).toBeGreaterThanOrEqual(2);
    for (const d of drift) {
      expect(d.nodes).toHaveLength(1);
      expect(d.t < 60 * MIN || d.t >= 90 * MIN, `drift at ${d.t / 1000} s`).toBe(true);
    }
    const frozen = blocked(events).filter((b) => b.reason === 'Drifted' && b.blockedBy === 'budget' && b.t >= 60 * MIN && b.t < 90 * MIN);
    expect(frozen.length).toBeGreaterThan(0);
    expect(frozen[0]!.detail).toMatch(/nodes: 0 for Drifted during '0 1 \* \* \*' windows/);
    expect(eventsOf(events, 'karpenter', 'eviction.blocked').length).toBeGreaterThan(0);
    expect(eventsOf(events, 'cluster-autoscaler', 'disruption.decided')).toEqual([]);
  }, 60_000);
});
