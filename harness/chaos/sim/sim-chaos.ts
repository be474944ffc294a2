import type { StateNode } from '../../../provisioner/state/state-node.js';
import { Random } from '../../../provisioner/runtime/random.js';
import type { NodeSelectorSpec } from '../../../scenarios/schema/fault-schema.js';
import type { PodLifecycle } from '../../sim/pod-lifecycle.js';
import type { SimCloudProvider } from '../../sim/sim-cloud-provider.js';
import type { World } from '../../sim/world.js';
import type { PlannedFault } from '../plan.js';
import type { ArmProcess } from './arm-process.js';
import type { ChaosCloud } from './chaos-cloud.js';
import { NodeOutages } from './node-outage.js';

/** The interruption notice comes two minutes before the reclaim, as on EC2; FIS sends the rebalance recommendation at once. */
const SPOT_NOTICE_MS = 120_000;

export interface SimChaosDeps {
  world: World;
  cloud: SimCloudProvider;
  chaosCloud: ChaosCloud;
  pods: PodLifecycle;
  arm: ArmProcess;
  /** The arm's name: what an autoscaler crash hits. */
  armName: string;
}

/** Whether a node matches a fault's selector (every field given). */
export function matches(node: Pick<StateNode, 'owner' | 'ownerKind' | 'zone' | 'capacityType' | 'instanceType' | 'labels'>, s: NodeSelectorSpec): boolean {
  return (
    (s.nodePool === undefined || (node.ownerKind === 'nodepool' && node.owner === s.nodePool)) &&
    (s.nodeGroup === undefined || (node.ownerKind === 'nodegroup' && node.owner === s.nodeGroup)) &&
    (s.zone === undefined || node.zone === s.zone) &&
    (s.capacityType === undefined || node.capacityType === s.capacityType) &&
    (s.instanceType === undefined || node.instanceType === s.instanceType) &&
    Object.entries(s.labels ?? {}).every(([k, v]) => node.labels[k] === v)
  );
}

/**
 * `nodes` of the candidates, or `percent` of them rounded up (a wave over any node hits at least one), chosen by the
 * injection's own stream over the candidates in name order, so the choice replays with the seed.
 */
export function chooseNodes<N extends { name: string }>(candidates: readonly N[], how: { nodes?: number; percent?: number }, random: Random): N[] {
  const pool = [...candidates].sort((a, b) => (a.name < b.name ? -1 : 1));
  const want = Math.min(pool.length, how.nodes ?? Math.ceil(((how.percent ?? 0) * pool.length) / 100));
  for (let i = 0; i < want; i++) {
    const j = i + random.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, want).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * The sim back end: plays a fault plan on one arm's world, through the sim's own paths. Spot interruptions are the
 * cloud's notices (the Karpenter arm's interruption controller hears them; Cluster Autoscaler has none and loses the
 * node at the reclaim); a terminated node is an instance state change; NotReady nodes go through NodeOutages;
 * capacity shortages and throttling through ChaosCloud; a crash through the arm's ArmProcess. Every injection is
 * logged (chaos.planned at the start, chaos.injected with the nodes and pods it hit, chaos.recovered when it ends).
 */
export class SimChaos {
  private readonly outages: NodeOutages;

  constructor(private readonly deps: SimChaosDeps) {
    this.outages = new NodeOutages(deps.world, deps.pods);
  }

  install(plan: readonly PlannedFault[]): void {
    const { clock, recorder } = this.deps.world;
    for (const p of plan) {
      recorder.emit({ type: 'chaos.planned', id: p.id, fault: p.fault.type, atT: p.atMs, ...(p.untilMs === undefined ? {} : { untilT: p.untilMs }), detail: p.detail });
    }
    for (const p of plan) clock.setTimer(p.atMs - clock.now(), () => this.inject(p));
  }

  private inject(p: PlannedFault): Promise<void> | void {
    const f = p.fault;
    const random = new Random(p.seed);
    switch (f.type) {
      case 'spot-interruption':
        return this.spotInterruption(p, this.pick({ ...f.select, capacityType: 'spot' }, f, random), f.durationBeforeInterruption);
      case 'node-failure': {
        const nodes = this.pick(f.select, f, random);
        if (f.mode === 'terminate') return this.terminate(p, nodes);
        return this.notReady(p, nodes, f.evictionTimeout, f.duration);
      }
      case 'zone-outage': {
        const nodes = this.deps.world.state.aliveNodes().filter((n) => n.zone === f.zone);
        const offerings = this.deps.world.catalog.types.flatMap((t) => t.offerings.filter((o) => o.zone === f.zone).map((o) => `${t.name}/${o.zone}/${o.capacityType}`));
        this.deps.chaosCloud.refuse(offerings, true);
        this.notReady(p, nodes, f.evictionTimeout, f.duration, () => this.deps.chaosCloud.refuse(offerings, false));
        return;
      }
      case 'insufficient-capacity':
        this.deps.chaosCloud.refuse(p.offerings, true);
        this.injected(p, p.offerings, []);
        return this.after(p, () => this.deps.chaosCloud.refuse(p.offerings, false), `the ${p.offerings.length} offering(s) launch again`);
      case 'autoscaler-crash':
        this.deps.arm.crash();
        this.injected(p, [this.deps.armName], []);
        return this.after(p, () => this.deps.arm.restart(), 'the autoscaler restarted and rebuilt its state from the cluster');
      case 'api-throttling':
        this.deps.chaosCloud.throttle(true);
        this.injected(p, ['ec2:RunInstances', 'ec2:CreateFleet'], []);
        return this.after(p, () => this.deps.chaosCloud.throttle(false), 'launch calls are answered again');
    }
  }

  private pick(select: NodeSelectorSpec, how: { nodes?: number; percent?: number }, random: Random): StateNode[] {
    const candidates = this.deps.world.state.aliveNodes().filter((n) => n.phase !== 'terminating' && matches(n, select));
    return chooseNodes(candidates, how, random);
  }

  private injected(p: PlannedFault, targets: string[], pods: string[]): void {
    this.deps.world.recorder.emit({ type: 'chaos.injected', fault: p.fault.type, targets, detail: p.detail, id: p.id, pods });
  }

  private recovered(p: PlannedFault, detail: string): void {
    this.deps.world.recorder.emit({ type: 'chaos.recovered', id: p.id, fault: p.fault.type, detail });
  }

  private after(p: PlannedFault, end: () => void, detail: string): void {
    if (p.untilMs === undefined) return;
    this.deps.world.clock.setTimer(p.untilMs - this.deps.world.clock.now(), () => {
      end();
      this.recovered(p, detail);
    });
  }

  private async spotInterruption(p: PlannedFault, nodes: StateNode[], durationMs: number): Promise<void> {
    const { cloud, world } = this.deps;
    this.injected(p, nodes.map((n) => n.name), nodes.flatMap((n) => [...n.pods].map((pod) => pod.name)));
    for (const node of nodes) await cloud.notify(node.name, 'rebalance-recommendation');
    const notice = async (): Promise<void> => {
      for (const node of nodes) {
        if (node.phase === 'terminated') continue;
        await cloud.notify(node.name, 'spot-interruption', Math.min(durationMs, SPOT_NOTICE_MS));
      }
    };
    if (durationMs > SPOT_NOTICE_MS) world.clock.setTimer(durationMs - SPOT_NOTICE_MS, notice);
    else await notice();
    world.clock.setTimer(durationMs, () => this.recovered(p, `${nodes.length} Spot instance(s) reclaimed`));
  }

  private async terminate(p: PlannedFault, nodes: StateNode[]): Promise<void> {
    this.injected(p, nodes.map((n) => n.name), nodes.flatMap((n) => [...n.pods].map((pod) => pod.name)));
    // EC2 tells whoever listens that the instance is shutting down (a state change), and it is gone at once.
    for (const node of nodes) await this.deps.cloud.notify(node.name, 'state-change', 0);
    this.deps.world.clock.setTimer(0, () => this.recovered(p, `${nodes.length} instance(s) terminated`));
  }

  private notReady(p: PlannedFault, nodes: StateNode[], evictionTimeoutMs: number, durationMs?: number, end?: () => void): void {
    const pods = nodes.flatMap((n) => this.outages.fail(n, evictionTimeoutMs));
    this.injected(p, nodes.map((n) => n.name), pods);
    if (durationMs === undefined) return;
    this.deps.world.clock.setTimer(durationMs, () => {
      for (const node of nodes) if (node.phase !== 'terminated') this.outages.recover(node);
      end?.();
      this.recovered(p, `${nodes.length} node(s) report Ready again${end ? ' and the zone has capacity again' : ''}`);
    });
  }
}
