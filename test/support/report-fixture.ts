/**
 * A stand-in for a simulator run while reports are developed and tested: a coarse, seeded model of two autoscaler
 * arms answering the same traffic, emitting events that follow provisioner/runtime/events.ts and a Results computed
 * from them. It is not the simulator and makes no claim to its fidelity; it only has to look like a real run.
 */
import { Random } from '../../provisioner/runtime/random.js';
import type { CapacityType, RunEvent } from '../../provisioner/runtime/events.js';
import {
  RESULTS_SCHEMA,
  type AutoscalerResult,
  type PhaseMetrics,
  type Quantiles,
  type Results,
  type SlowPod,
} from '../../harness/metrics/results.js';
import { DEFINITIONS } from '../../harness/metrics/definitions.js';
import { disruptionImpact } from '../../harness/metrics/disruption.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';

export interface FixtureOptions {
  /** Virtual length of the run. */
  durationS: number;
  /** Replicas at the traffic peak (across all workloads). */
  peakPods: number;
  seed?: number;
  /** Names full of markup, quotes and line separators, to prove reports treat them as data. */
  hostileNames?: boolean;
  /**
   * The karpenter arm logs what a disruption-aware provisioner does: emptiness decisions for the nodes it removes,
   * interruption notices and decisions for the Spot nodes the fault takes (their pods deleted with a cause), and an
   * initial node blocked from consolidation after hours (first by its budget, then because its pods would not fit).
   */
  disruption?: boolean;
}

export interface Fixture {
  results: Results;
  events: RunEvent[];
  meta: RunMeta;
}

interface Offering {
  instanceType: string;
  capacityType: CapacityType;
  price: number;
  /** The type's on-demand list price, for cost.atOnDemandUSD. */
  onDemandPrice: number;
  slots: number;
}

interface Arm {
  name: string;
  kind: string;
  decisionS: [number, number];
  bootS: [number, number];
  idleBeforeRemovalS: number;
  offerings: Offering[];
  owner: string;
}

const ARMS: Arm[] = [
  {
    name: 'cluster-autoscaler',
    kind: 'cluster-autoscaler',
    decisionS: [10, 35],
    bootS: [150, 330],
    idleBeforeRemovalS: 600,
    offerings: [{ instanceType: 'm5.2xlarge', capacityType: 'on-demand', price: 0.384, onDemandPrice: 0.384, slots: 7 }],
    owner: 'ng-m5-2xlarge',
  },
  {
    name: 'karpenter',
    kind: 'karpenter',
    decisionS: [1, 10],
    bootS: [40, 75],
    idleBeforeRemovalS: 60,
    offerings: [
      { instanceType: 'c6a.4xlarge', capacityType: 'spot', price: 0.2473, onDemandPrice: 0.612, slots: 15 },
      { instanceType: 'c6i.4xlarge', capacityType: 'spot', price: 0.2786, onDemandPrice: 0.68, slots: 15 },
      { instanceType: 'm6a.2xlarge', capacityType: 'spot', price: 0.1409, onDemandPrice: 0.3456, slots: 7 },
      { instanceType: 'c6i.2xlarge', capacityType: 'on-demand', price: 0.34, onDemandPrice: 0.34, slots: 7 },
    ],
    owner: 'default',
  },
];

/** A trading day squeezed or stretched onto durationS: quiet, an exponential spike at the open, a plateau, the close. */
function phasesFor(durationS: number): Array<{ name: string; startS: number; endS: number }> {
  const at = (f: number): number => Math.round(durationS * f);
  return [
    { name: 'before the open', startS: 0, endS: at(0.396) },
    { name: 'the spike', startS: at(0.396), endS: at(0.417) },
    { name: 'the plateau', startS: at(0.417), endS: at(0.646) },
    { name: 'the close', startS: at(0.646), endS: at(0.667) },
    { name: 'after hours', startS: at(0.667), endS: durationS },
  ];
}

function load(tS: number, durationS: number): number {
  const f = tS / durationS;
  if (f < 0.396) return 0.06;
  if (f < 0.417) return 0.06 + 0.94 * (1 - Math.exp(-((f - 0.396) / 0.021) * 4));
  if (f < 0.646) return 0.75 + 0.1 * Math.sin((f - 0.417) * 40);
  if (f < 0.667) return 0.9 + 0.1 * Math.sin(((f - 0.646) / 0.021) * Math.PI);
  return 0.06;
}

interface SimPod {
  name: string;
  workload: string;
  createdS: number;
  node: SimNode;
  scheduledS: number;
  readyS: number;
  deletedS: number | null;
}

interface SimNode {
  name: string;
  offering: Offering;
  launchedS: number;
  readyS: number;
  terminatedS: number | null;
  pods: Set<SimPod>;
  emptySinceS: number;
  initial: boolean;
  decisionS: number;
}

const RPS_PER_POD = 40;

export function makeReportFixture(options: FixtureOptions): Fixture {
  const seed = options.seed ?? 7;
  const hostile = options.hostileNames ?? false;
  const durationS = options.durationS;
  const stepS = Math.max(15, Math.round(durationS / 1440));
  const scenarioName = hostile ? `market "open" </script><script>alert('scenario')</script>\u2028end` : 'market-open';
  const workloads = hostile ? ['orders', `quotes<img src=x onerror="alert('w')">`] : ['orders', 'quotes'];
  const epoch = '2026-11-20T00:00:00-05:00';
  const phases = phasesFor(durationS);
  const events: RunEvent[] = [];
  const arms: AutoscalerResult[] = [];

  for (const arm of ARMS) {
    const rnd = new Random(seed).fork(arm.name);
    const between = ([lo, hi]: [number, number]): number => lo + rnd.next() * (hi - lo);
    const emit = (e: RunEvent): void => void events.push({ ...e, t: Math.round(e.t) } as RunEvent);
    const base = { autoscaler: arm.name };
    emit({ ...base, t: 0, type: 'run.started', target: 'sim', scenario: scenarioName, seed, epoch, kind: arm.kind });

    const nodes: SimNode[] = [];
    const pods: SimPod[] = [];
    const alive = new Map<string, SimPod[]>(workloads.map((w) => [w, []]));
    const desired = new Map<string, number>(workloads.map((w) => [w, 0]));
    let podSeq = 0;
    let nodeSeq = 0;

    const launch = (atS: number, initial: boolean, decisionS = 0): SimNode => {
      const offering = arm.offerings[rnd.int(arm.offerings.length)]!;
      nodeSeq++;
      const name = hostile && nodeSeq === 3 ? `ip-10-0-"3"-<b>${arm.name}</b>` : `ip-10-${arm === ARMS[0] ? 1 : 2}-${nodeSeq >> 8}-${nodeSeq & 255}.ec2.internal`;
      const node: SimNode = { name, offering, launchedS: atS, readyS: initial ? atS : atS + between(arm.bootS), terminatedS: null, pods: new Set(), emptySinceS: atS, initial, decisionS };
      nodes.push(node);
      emit({ ...base, t: atS * 1000, type: 'node.launched', node: name, instanceType: offering.instanceType, zone: `us-east-1${'abc'[nodeSeq % 3]}`, capacityType: offering.capacityType, pricePerHour: offering.price, cpuMilli: (offering.slots + 1) * 1000, memoryMiB: (offering.slots + 1) * 2048, owner: arm.owner, initial });
      emit({ ...base, t: (node.readyS - (initial ? 0 : 8)) * 1000, type: 'node.registered', node: name });
      emit({ ...base, t: node.readyS * 1000, type: 'node.ready', node: name });
      return node;
    };

    const createPod = (workload: string, atS: number): void => {
      podSeq++;
      const name = hostile && podSeq % 5 === 0 ? `<script>alert("pod")</script>-${podSeq}` : `${workload.slice(0, 12)}-7f9c${(podSeq * 2654435761) % 99991}-${podSeq}`;
      emit({ ...base, t: atS * 1000, type: 'pod.created', pod: name, workload, cpuMilli: 1000, memoryMiB: 2048, gpu: 0, priority: 0 });
      let node = nodes.find((n) => n.terminatedS === null && n.readyS <= atS && n.pods.size < n.offering.slots);
      node ??= nodes.find((n) => n.terminatedS === null && n.pods.size < n.offering.slots);
      if (!node) {
        emit({ ...base, t: atS * 1000 + 200, type: 'pod.unschedulable', pod: name, reason: '0/12 nodes are available: 12 Insufficient cpu.' });
        const decisionS = between(arm.decisionS);
        node = launch(atS + decisionS, false, decisionS);
        if (arm.kind === 'karpenter') {
          emit({ ...base, t: node.launchedS * 1000 - 5, type: 'claim.created', claim: `default-${nodeSeq}`, nodepool: 'default', instanceTypes: arm.offerings.map((o) => o.instanceType), pods: node.offering.slots });
          emit({ ...base, t: node.launchedS * 1000 + 1, type: 'pod.nominated', pod: name, node: node.name });
        } else {
          const live = nodes.filter((n) => n.terminatedS === null).length;
          emit({ ...base, t: node.launchedS * 1000 - 5, type: 'nodegroup.scaled', group: arm.owner, from: live - 1, to: live, expander: 'least-waste' });
        }
      } else if (node.readyS > atS) {
        emit({ ...base, t: atS * 1000 + 200, type: 'pod.unschedulable', pod: name, reason: '0/12 nodes are available: 12 Insufficient cpu.' });
      }
      const scheduledS = Math.max(atS + 0.3, node.readyS + 0.5 + rnd.next() * 2);
      const pod: SimPod = { name, workload, createdS: atS, node, scheduledS, readyS: scheduledS + 2 + rnd.next() * 6, deletedS: null };
      node.pods.add(pod);
      pods.push(pod);
      alive.get(workload)!.push(pod);
      emit({ ...base, t: scheduledS * 1000, type: 'pod.scheduled', pod: name, node: node.name });
      emit({ ...base, t: pod.readyS * 1000, type: 'pod.ready', pod: name });
    };

    const disrupting = (options.disruption ?? false) && arm.kind === 'karpenter';
    const deletePod = (pod: SimPod, atS: number, reason: 'scale-down' | 'node-terminated' | 'run-end', cause?: 'Interrupted'): void => {
      pod.deletedS = atS;
      pod.node.pods.delete(pod);
      if (pod.node.pods.size === 0) pod.node.emptySinceS = atS;
      const list = alive.get(pod.workload)!;
      list.splice(list.indexOf(pod), 1);
      emit({ ...base, t: atS * 1000, type: 'pod.deleted', pod: pod.name, reason, ...(cause ? { cause } : {}) });
    };

    const terminate = (node: SimNode, atS: number, reason: string): void => {
      node.terminatedS = atS;
      emit({ ...base, t: atS * 1000, type: 'node.terminated', node: node.name, reason });
    };

    for (let i = 0; i < 3; i++) launch(0, true);
    const chaosAtS = Math.round(durationS * 0.43);
    const chaosFault = arm.kind === 'karpenter' ? 'spot-interruption' : 'node-failure';

    for (let t = 0; t < durationS; t += stepS) {
      const level = load(t, durationS);
      for (const [wi, w] of workloads.entries()) {
        const share = wi === 0 ? 0.6 : 0.4;
        const rps = level * options.peakPods * share * RPS_PER_POD * (0.97 + rnd.next() * 0.06);
        const want = Math.max(2, Math.ceil((rps * 1.15) / RPS_PER_POD));
        const prev = desired.get(w)!;
        if (want !== prev) {
          emit({ ...base, t: t * 1000 + 500, type: 'workload.scaled', workload: w, from: prev, to: want, reason: t === 0 ? 'initial' : 'hpa' });
          desired.set(w, want);
        }
        const list = alive.get(w)!;
        for (let k = list.length; k < want; k++) createPod(w, t + 1 + rnd.next() * (stepS / 3));
        while (list.length > want) deletePod(list[list.length - 1]!, t + 1, 'scale-down');
        const ready = list.filter((p) => p.readyS <= t).length;
        const served = Math.min(rps, ready * RPS_PER_POD);
        emit({ ...base, t: t * 1000, type: 'traffic.sample', workload: w, rps, servedRps: served, latencyMs: served < rps ? 900 : 120 + 60 * level, windowMs: stepS * 1000 });
      }
      if (t <= chaosAtS && chaosAtS < t + stepS) {
        const victims = nodes.filter((n) => n.terminatedS === null && !n.initial && n.readyS < t).slice(0, 6);
        emit({ ...base, t: chaosAtS * 1000, type: 'chaos.injected', fault: chaosFault, targets: victims.map((n) => n.name), detail: hostile ? `kill "<all>" & more` : `${victims.length} nodes, 2-minute warning` });
        for (const n of victims) {
          if (disrupting) {
            emit({ ...base, t: chaosAtS * 1000 + 5, type: 'node.interruption', node: n.name, kind: 'spot-interruption', deadlineT: chaosAtS * 1000 + 120_000 });
            emit({ ...base, t: chaosAtS * 1000 + 6, type: 'disruption.decided', method: 'interruption', reason: 'Interrupted', nodes: [n.name], replacements: [], replacementTypes: [], savingsPerHour: 0, pods: n.pods.size });
          }
          emit({ ...base, t: chaosAtS * 1000 + 10, type: 'node.cordoned', node: n.name, reason: chaosFault });
          const displaced = [...n.pods];
          for (const p of displaced) deletePod(p, chaosAtS + 30, 'node-terminated', disrupting ? 'Interrupted' : undefined);
          terminate(n, chaosAtS + 31, chaosFault);
          for (const p of displaced) createPod(p.workload, chaosAtS + 32);
        }
      }
      for (const n of nodes) {
        if (n.terminatedS === null && !n.initial && n.pods.size === 0 && t - n.emptySinceS >= arm.idleBeforeRemovalS) {
          if (disrupting) emit({ ...base, t: t * 1000 + 50, type: 'disruption.decided', method: 'emptiness', reason: 'Empty', nodes: [n.name], replacements: [], replacementTypes: [], savingsPerHour: n.offering.price, pods: 0 });
          emit({ ...base, t: t * 1000 + 100, type: 'node.cordoned', node: n.name, reason: 'empty' });
          terminate(n, t + 30, 'empty');
        }
      }
      const afterHours = phases[phases.length - 1]!;
      if (disrupting && t >= afterHours.startS) {
        const held = nodes[0]!;
        const byBudget = t < (afterHours.startS + durationS) / 2;
        emit({
          ...base, t: t * 1000 + 60, type: 'disruption.blocked', node: held.name, nodepool: arm.owner, reason: 'Underutilized',
          blockedBy: byBudget ? 'budget' : 'pods-do-not-fit',
          detail: byBudget ? 'nodes: 10% = 0 of 3 nodes' : `${held.pods.size} pods need 3 vCPU more than the other nodes have free`,
        });
      }
    }
    for (const w of workloads) for (const p of [...alive.get(w)!]) deletePod(p, durationS, 'run-end');
    for (const n of nodes) if (n.terminatedS === null) terminate(n, durationS, 'run-end');
    emit({ ...base, t: durationS * 1000, type: 'run.finished' });
    arms.push(summarise(arm, pods, nodes, phases, events.filter((e) => e.autoscaler === arm.name), durationS));
  }

  events.sort((a, b) => a.t - b.t);
  const results: Results = {
    schema: RESULTS_SCHEMA,
    scenario: { name: scenarioName, description: 'A trading day: quiet night, exponential spike at the open, surge at the close.', durationS, seed, target: 'sim' },
    phases,
    pricing: { onDemand: 'AWS us-east-1 on-demand list prices (snapshot 2026-10)', spot: 'modelled: deterministic per type and zone, 30-40% of on-demand' },
    definitions: DEFINITIONS,
    warnings: [],
    autoscalers: arms,
    comparison: { metrics: compare(arms) },
  };
  const meta: RunMeta = {
    schema: 'burstlab/run/v1',
    startedAt: '2026-11-21T02:00:00.000Z',
    finishedAt: '2026-11-21T02:00:09.000Z',
    burstlabVersion: '0.1.0',
    nodeVersion: 'v20.19.0',
    target: 'sim',
    scenarioFile: hostile ? 'scenarios/<evil>.yaml' : 'scenarios/market-open.yaml',
    argv: ['run', 'scenarios/market-open.yaml'],
    components: {},
  };
  return { results, events, meta };
}

function quantiles(values: number[]): Quantiles {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number): number => (s.length ? s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! : 0);
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return { count: s.length, p50: r(q(0.5)), p90: r(q(0.9)), p99: r(q(0.99)), max: r(s[s.length - 1] ?? 0), mean: r(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

function summarise(arm: Arm, pods: SimPod[], nodes: SimNode[], phases: Results['phases'], events: RunEvent[], durationS: number): AutoscalerResult {
  const inOrder = [...events].sort((a, b) => a.t - b.t);
  const latency = (p: SimPod): number => p.readyS - p.createdS;
  const readyPods = pods.filter((p) => p.deletedS === null || p.readyS <= p.deletedS);
  const waitNode = readyPods.map((p) => Math.max(0, p.node.readyS - p.createdS));
  const costOf = (n: SimNode): number => (((n.terminatedS ?? durationS) - n.launchedS) / 3600) * n.offering.price;
  const totalUSD = nodes.reduce((a, n) => a + costOf(n), 0);
  const atOnDemandUSD = nodes.reduce((a, n) => a + (((n.terminatedS ?? durationS) - n.launchedS) / 3600) * n.offering.onDemandPrice, 0);
  const byCapacityType: Record<string, number> = {};
  const nodeHours: Record<string, number> = {};
  const instanceTypes: Record<string, number> = {};
  for (const n of nodes) {
    const ct = n.offering.capacityType;
    byCapacityType[ct] = (byCapacityType[ct] ?? 0) + costOf(n);
    nodeHours[ct] = (nodeHours[ct] ?? 0) + ((n.terminatedS ?? durationS) - n.launchedS) / 3600;
    instanceTypes[n.offering.instanceType] = (instanceTypes[n.offering.instanceType] ?? 0) + 1;
  }
  const samples = events.filter((e) => e.type === 'traffic.sample');
  const total = samples.reduce((a, e) => a + e.rps * (e.windowMs / 1000), 0);
  const served = samples.reduce((a, e) => a + e.servedRps * (e.windowMs / 1000), 0);
  const liveAt = (t: number): number => nodes.filter((n) => n.launchedS <= t && (n.terminatedS ?? Infinity) > t).length;
  const pendingAt = (t: number): number => pods.filter((p) => p.createdS <= t && p.readyS > t && (p.deletedS ?? Infinity) > t).length;
  const phaseMetrics: PhaseMetrics[] = phases.map((ph) => {
    const inPhase = readyPods.filter((p) => p.createdS >= ph.startS && p.createdS < ph.endS);
    const ss = samples.filter((e) => e.t / 1000 >= ph.startS && e.t / 1000 < ph.endS);
    const tot = ss.reduce((a, e) => a + e.rps * (e.windowMs / 1000), 0);
    const ok = ss.reduce((a, e) => a + e.servedRps * (e.windowMs / 1000), 0);
    const probes = Array.from({ length: 40 }, (_, i) => ph.startS + ((ph.endS - ph.startS) * i) / 40);
    const created = pods.filter((p) => p.createdS >= ph.startS && p.createdS < ph.endS).length;
    return {
      ...ph,
      pods: { created, ready: inPhase.length, neverReady: 0, abandoned: created - inPhase.length },
      podToReady: quantiles(inPhase.map(latency)),
      requests: { total: Math.round(tot), failed: Math.round(tot - ok), successRate: tot ? ok / tot : 1 },
      peakPendingPods: Math.max(...probes.map(pendingAt)),
      peakNodes: Math.max(...probes.map(liveAt)),
    };
  });
  const slowest: SlowPod[] = [...readyPods]
    .sort((a, b) => latency(b) - latency(a))
    .slice(0, 10)
    .map((p) => ({ pod: p.name, workload: p.workload, createdS: p.createdS, readyS: p.readyS, podToReadyS: latency(p), dominantPhase: p.node.readyS - p.createdS > (p.readyS - p.createdS) / 2 ? 'waited for a node' : 'start-up', node: p.node.name, nodeLaunchedS: p.node.launchedS, nodeReadyS: p.node.readyS, instanceType: p.node.offering.instanceType }));
  const p2r = quantiles(readyPods.map(latency));
  const successRate = total ? served / total : 1;
  const checks = [
    { metric: 'podToReady.p99', op: '<=' as const, threshold: 120, actual: p2r.p99, passed: p2r.p99 <= 120 },
    { metric: 'requests.successRate', op: '>=' as const, threshold: 0.99, actual: successRate, passed: successRate >= 0.99 },
  ];
  const launched = nodes.filter((n) => !n.initial);
  return {
    name: arm.name,
    kind: arm.kind,
    podToReady: { ...p2r, split: { waitingForNode: quantiles(waitNode), scheduling: quantiles(readyPods.map((p) => p.scheduledS - Math.max(p.createdS, p.node.readyS))), startup: quantiles(readyPods.map((p) => p.readyS - p.scheduledS)) } },
    decisionLatency: quantiles(launched.map((n) => n.decisionS)),
    nodeLaunchLatency: quantiles(launched.map((n) => n.readyS - n.launchedS)),
    nodes: { peak: Math.max(...phaseMetrics.map((p) => p.peakNodes)), average: nodes.reduce((a, n) => a + ((n.terminatedS ?? durationS) - n.launchedS), 0) / durationS, launched: launched.length, terminated: nodes.filter((n) => n.terminatedS !== null && n.terminatedS < durationS).length },
    nodeHours,
    instanceTypes,
    cost: { totalUSD, byCapacityType, atOnDemandUSD, lowerBoundUSD: totalUSD * 0.55, ratioToLowerBound: 1 / 0.55, per1kRequestsUSD: total ? (totalUSD / total) * 1000 : 0, idleShare: arm.kind === 'karpenter' ? 0.14 : 0.27 },
    podMinutesPending: readyPods.reduce((a, p) => a + latency(p), 0) / 60,
    pods: { created: pods.length, ready: readyPods.length, neverReady: 0, abandoned: pods.length - readyPods.length },
    requests: { total: Math.round(total), failed: Math.round(total - served), successRate, latencyP95Ms: 180 },
    sloMinutesInViolation: Math.round((total - served) / Math.max(1, total) * durationS / 60),
    phases: phaseMetrics,
    slowestPods: slowest,
    unsatisfiable: [],
    disruption: disruptionImpact(inOrder, durationS * 1000),
    slo: { passed: checks.every((c) => c.passed), checks },
  };
}

function compare(arms: AutoscalerResult[]): Results['comparison']['metrics'] {
  const rows: Array<[string, 'lower' | 'higher', (a: AutoscalerResult) => number]> = [
    ['podToReady.p99', 'lower', (a) => a.podToReady.p99],
    ['cost.totalUSD', 'lower', (a) => a.cost.totalUSD],
    ['requests.successRate', 'higher', (a) => a.requests.successRate],
  ];
  return rows.map(([metric, better, get]) => {
    const values = Object.fromEntries(arms.map((a) => [a.name, get(a)]));
    const sorted = [...arms].sort((a, b) => (better === 'lower' ? get(a) - get(b) : get(b) - get(a)));
    return { metric, better, values, winner: sorted.length > 1 && get(sorted[0]!) !== get(sorted[1]!) ? sorted[0]!.name : null };
  });
}
