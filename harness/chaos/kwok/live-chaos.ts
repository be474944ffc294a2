import type { Catalog } from '../../../provisioner/catalog/catalog.js';
import type { Clock, Timer } from '../../../provisioner/runtime/clock.js';
import type { NodeInterruption } from '../../../provisioner/runtime/events.js';
import { Random } from '../../../provisioner/runtime/random.js';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import type { StateNode } from '../../../provisioner/state/state-node.js';
import type { NodeSelectorSpec } from '../../../scenarios/schema/fault-schema.js';
import type { PlannedFault } from '../plan.js';
import { chooseNodes, matches } from '../sim/sim-chaos.js';

/** The interruption notice comes two minutes before the reclaim, as on EC2; FIS sends the rebalance recommendation at once. */
const SPOT_NOTICE_MS = 120_000;

/** A node of the live cluster as a fault selects it: what the selectors read, and the pods on it (`namespace/name`). */
export type LiveFaultNode = Pick<StateNode, 'name' | 'zone' | 'capacityType' | 'instanceType' | 'owner' | 'ownerKind' | 'labels'> & {
  pods: string[];
  /** Cordoned: an autoscaler is taking it away, so a fault picks it no more than the sim picks a terminating node. */
  cordoned: boolean;
};

/** What a fault does to the cluster itself, whatever the autoscaler under test (chaos/kwok/kwok-fault-cluster.ts). */
export interface LiveFaultCluster {
  /** The nodes alive now (not being deleted), in any order. */
  nodes(): LiveFaultNode[];
  /** Stops (true) or restarts (false) the node's kubelet: it turns NotReady, and Ready again. */
  setNotReady(node: string, on: boolean): Promise<void>;
  /** The cloud takes the instances away under their pods: the pods die with them, and their Nodes go. */
  reclaim(nodes: readonly string[]): Promise<void>;
}

/**
 * What the autoscaler under test offers a fault (autoscaler.ts for the bundled arms). A part it lacks makes the
 * fault a validation error before the run (backend.ts), except `notice`: an autoscaler with no interruption handling
 * hears no notice, as Cluster Autoscaler does not.
 */
export interface ArmFaultHooks {
  /** Tells its interruption handling of a cloud notice; resolves once it has acted. */
  notice?(node: string, kind: NodeInterruption['kind']): Promise<void>;
  /** The cloud reclaimed the instance: its own record of it goes (a NodeClaim with it). */
  reclaimed?(node: string): Promise<void>;
  /** A zone goes down (true) or comes back: instances booting there come up only once it is back. */
  zoneDown?(zone: string, down: boolean): void;
  /** Opens or closes a shortage of the offerings `type/zone/capacityType`. */
  refuse?(offerings: readonly string[], on: boolean): void;
  /** Opens or closes an api-throttling window on its launch calls. */
  throttle?(on: boolean): void;
  /** Kills the controller: its loops and watches stop, and what it held in memory is lost. */
  crash?(): Promise<void>;
  /** Starts a fresh controller that rebuilds its state from the cluster. */
  restart?(): Promise<void>;
}

export interface LiveChaosDeps {
  /** Scenario time. */
  clock: Clock;
  recorder: Recorder;
  cluster: LiveFaultCluster;
  arm: ArmFaultHooks;
  catalog: Catalog;
  armName: string;
  /** An injection that failed (an API call that did not go through) fails the arm: a fault never half-happens silently. */
  fail(err: unknown): void;
}

/**
 * The kwok back end: plays a fault plan on one live arm, as the sim back end (sim-chaos.ts) plays it on the sim's
 * world, with the same choice of nodes (the injection's own stream over the candidates in name order) and the same
 * events. Spot interruptions and terminations are the cloud's notices to the arm's interruption handling (none for
 * Cluster Autoscaler) and the instance reclaimed at the deadline; NotReady nodes are kwok's node-not-ready stage, the
 * real node lifecycle controller tainting them and evicting their pods; shortages and throttling go through the arm's
 * cloud wrapper (FaultyCloud); a crash stops the controller and a fresh one starts at the end of the window.
 */
export class LiveChaos {
  private readonly timers = new Set<Timer>();
  private stopped = false;

  constructor(private readonly deps: LiveChaosDeps) {}

  install(plan: readonly PlannedFault[]): void {
    const { recorder } = this.deps;
    for (const p of plan) {
      recorder.emit({ type: 'chaos.planned', id: p.id, fault: p.fault.type, atT: p.atMs, ...(p.untilMs === undefined ? {} : { untilT: p.untilMs }), detail: p.detail });
    }
    for (const p of plan) this.at(p.atMs, () => this.inject(p));
  }

  /** No injection or recovery starts after this; the run's teardown takes the cluster down as it is. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private at(t: number, fn: () => Promise<void> | void): void {
    const { clock } = this.deps;
    const timer = clock.setTimer(Math.max(0, t - clock.now()), () => {
      this.timers.delete(timer);
      if (this.stopped) return undefined;
      return Promise.resolve()
        .then(fn)
        .catch((err: unknown) => (this.stopped ? undefined : this.deps.fail(err)));
    });
    this.timers.add(timer);
  }

  private async inject(p: PlannedFault): Promise<void> {
    const f = p.fault;
    const random = new Random(p.seed);
    const { arm } = this.deps;
    switch (f.type) {
      case 'spot-interruption':
        return this.spotInterruption(p, this.pick({ ...f.select, capacityType: 'spot' }, f, random), f.durationBeforeInterruption);
      case 'node-failure': {
        const nodes = this.pick(f.select, f, random);
        if (f.mode === 'terminate') return this.terminate(p, nodes);
        return this.notReady(p, nodes, f.duration);
      }
      case 'zone-outage': {
        const nodes = this.deps.cluster.nodes().filter((n) => n.zone === f.zone);
        const offerings = this.deps.catalog.types.flatMap((t) => t.offerings.filter((o) => o.zone === f.zone).map((o) => `${t.name}/${o.zone}/${o.capacityType}`));
        need(arm.refuse, 'refuse launches')(offerings, true);
        arm.zoneDown?.(f.zone, true);
        return this.notReady(p, nodes, f.duration, () => {
          arm.refuse!(offerings, false);
          arm.zoneDown?.(f.zone, false);
        });
      }
      case 'insufficient-capacity':
        need(arm.refuse, 'refuse launches')(p.offerings, true);
        this.injected(p, p.offerings, []);
        return this.after(p, () => arm.refuse!(p.offerings, false), `the ${p.offerings.length} offering(s) launch again`);
      case 'autoscaler-crash':
        await need(arm.crash, 'crash')();
        this.injected(p, [this.deps.armName], []);
        return this.after(p, () => arm.restart!(), 'the autoscaler restarted and rebuilt its state from the cluster');
      case 'api-throttling':
        need(arm.throttle, 'throttle launch calls')(true);
        this.injected(p, ['ec2:RunInstances', 'ec2:CreateFleet'], []);
        return this.after(p, () => arm.throttle!(false), 'launch calls are answered again');
    }
  }

  private pick(select: NodeSelectorSpec, how: { nodes?: number; percent?: number }, random: Random): LiveFaultNode[] {
    return chooseNodes(this.deps.cluster.nodes().filter((n) => !n.cordoned && matches(n, select)), how, random);
  }

  private injected(p: PlannedFault, targets: string[], pods: string[]): void {
    this.deps.recorder.emit({ type: 'chaos.injected', fault: p.fault.type, targets, detail: p.detail, id: p.id, pods });
  }

  private recovered(p: PlannedFault, detail: string): void {
    this.deps.recorder.emit({ type: 'chaos.recovered', id: p.id, fault: p.fault.type, detail });
  }

  private after(p: PlannedFault, end: () => Promise<void> | void, detail: string): void {
    if (p.untilMs === undefined) return;
    this.at(p.untilMs, async () => {
      await end();
      this.recovered(p, detail);
    });
  }

  /** The cloud's notice, to whoever listens (the arm's interruption handling, if it has one). */
  private async notify(node: string, kind: NodeInterruption['kind'], deadlineMs?: number): Promise<void> {
    this.deps.recorder.emit({ type: 'node.interruption', node, kind, ...(deadlineMs === undefined ? {} : { deadlineT: this.deps.clock.now() + deadlineMs }) });
    await this.deps.arm.notice?.(node, kind);
  }

  private async reclaim(nodes: readonly string[]): Promise<void> {
    if (nodes.length === 0) return;
    await this.deps.cluster.reclaim(nodes);
    for (const node of nodes) await this.deps.arm.reclaimed?.(node);
  }

  private alive(): Set<string> {
    return new Set(this.deps.cluster.nodes().map((n) => n.name));
  }

  private async spotInterruption(p: PlannedFault, nodes: LiveFaultNode[], durationMs: number): Promise<void> {
    this.injected(p, nodes.map((n) => n.name), nodes.flatMap((n) => n.pods));
    for (const node of nodes) await this.notify(node.name, 'rebalance-recommendation');
    const warningMs = Math.min(durationMs, SPOT_NOTICE_MS);
    const notice = async (): Promise<void> => {
      const alive = this.alive();
      for (const node of nodes) if (alive.has(node.name)) await this.notify(node.name, 'spot-interruption', warningMs);
    };
    const reclaimAt = p.atMs + durationMs;
    if (durationMs > SPOT_NOTICE_MS) this.at(reclaimAt - SPOT_NOTICE_MS, notice);
    else await notice();
    this.at(reclaimAt, async () => {
      const alive = this.alive();
      await this.reclaim(nodes.map((n) => n.name).filter((n) => alive.has(n)));
      this.recovered(p, `${nodes.length} Spot instance(s) reclaimed`);
    });
  }

  private async terminate(p: PlannedFault, nodes: LiveFaultNode[]): Promise<void> {
    this.injected(p, nodes.map((n) => n.name), nodes.flatMap((n) => n.pods));
    // EC2 tells whoever listens that the instance is shutting down (a state change), and it is gone at once.
    for (const node of nodes) await this.notify(node.name, 'state-change', 0);
    await this.reclaim(nodes.map((n) => n.name));
    this.recovered(p, `${nodes.length} instance(s) terminated`);
  }

  private async notReady(p: PlannedFault, nodes: LiveFaultNode[], durationMs?: number, end?: () => void): Promise<void> {
    this.injected(p, nodes.map((n) => n.name), nodes.flatMap((n) => n.pods));
    for (const node of nodes) await this.deps.cluster.setNotReady(node.name, true);
    if (durationMs === undefined) return;
    this.at(p.atMs + durationMs, async () => {
      const alive = this.alive();
      for (const node of nodes) if (alive.has(node.name)) await this.deps.cluster.setNotReady(node.name, false);
      end?.();
      this.recovered(p, `${nodes.length} node(s) report Ready again${end ? ' and the zone has capacity again' : ''}`);
    });
  }
}

/** A hook the arm must have: backend.ts refuses the fault before the run for an arm without it, so its absence here is a bug. */
function need<T>(hook: T | undefined, what: string): T {
  if (hook === undefined) throw new Error(`the autoscaler under test cannot ${what}; the fault should have been refused before the run`);
  return hook;
}
