import type { Clock } from '../runtime/clock.js';
import type { Random } from '../runtime/random.js';
import type { Recorder } from '../runtime/recorder.js';
import type { ClusterActions } from '../api/cluster-actions.js';
import type { PodRef, PodSpec } from '../api/pod.js';
import type { Taint } from '../api/taints.js';
import { add, sub, ZERO, type Resources } from '../api/resources.js';
import { InsufficientCapacityError, type CloudProvider, type LaunchRequest } from '../cloudprovider/cloud-provider.js';
import { terminate } from '../cloudprovider/terminate.js';
import { rejection, type CandidateNode, type TopologyCounts } from '../scheduling/predicates.js';
import type { ClusterState } from '../state/cluster-state.js';
import type { StateNode } from '../state/state-node.js';
import type { StatePod } from '../state/state-pod.js';
import { estimate, fitsTemplate } from './estimator.js';
import { expand, type ExpanderName, type ScaleUpOption } from './expander.js';
import { templateLabels, zonePrice, type NodeGroup } from './node-group.js';

export interface ClusterAutoscalerSettings {
  scanIntervalMs: number;
  expander: ExpanderName;
  maxNodesPerScaleUp: number;
  scaleDownUtilizationThreshold: number;
  scaleDownUnneededMs: number;
  scaleDownDelayAfterAddMs: number;
  maxNodeProvisionMs: number;
  /** Put before the sequence number of each node's name: a restarted autoscaler must not reuse its earlier names. */
  nameInfix?: string;
}

/** Cluster Autoscaler's initial backoff for a node group whose scale-up failed. */
const GROUP_BACKOFF_MS = 5 * 60_000;

export interface ClusterAutoscalerDeps {
  clock: Clock;
  random: Random;
  state: ClusterState;
  cloud: CloudProvider;
  recorder: Recorder;
  actions: ClusterActions;
  groups: readonly NodeGroup[];
  overhead: Resources;
  settings: ClusterAutoscalerSettings;
}

/** Empty nodes Cluster Autoscaler deletes at once (--max-empty-bulk-delete). */
const MAX_EMPTY_BULK_DELETE = 10;
/**
 * Counts as on an empty cluster: the estimate packs template nodes and leaves topology to the estimator's own rules,
 * so a self-selecting affinity passes and an affinity to another workload's pods cannot be met on a template.
 */
const NO_TOPOLOGY: TopologyCounts = { zoneCount: () => 0, minCount: () => 0, anyPlaced: () => false };

/**
 * The Cluster-Autoscaler-style baseline. Every scan interval: pods still unschedulable that would not fit on
 * nodes already coming up drive one scale-up: each node group's template is binpacked with them, an expander picks
 * one group, and its ASG's desired size is raised (the ASG then launches after its own lag). Then scale-down: a
 * node whose requests are under the threshold for the unneeded time, outside the delay after a scale-up, whose pods
 * all fit elsewhere, is drained and removed.
 */
export class ClusterAutoscaler {
  private lastScaleUp = -Infinity;
  private readonly unneededSince = new Map<string, number>();
  private readonly reported = new Set<string>();
  private readonly backoffUntil = new Map<string, number>();
  private seq = 0;

  constructor(private readonly deps: ClusterAutoscalerDeps) {}

  start(): void {
    const loop = (): void => {
      this.scan();
      this.deps.clock.setTimer(this.deps.settings.scanIntervalMs, loop);
    };
    this.deps.clock.setTimer(this.deps.settings.scanIntervalMs, loop);
  }

  scan(): void {
    this.removeLongUnregistered();
    this.scaleUp();
    this.scaleDown();
  }

  /**
   * --max-node-provision-time: a node not registered that long after its request is given up on, deleted, and its
   * group backed off, so the next scan picks another group.
   */
  private removeLongUnregistered(): void {
    const now = this.deps.clock.now();
    for (const node of this.deps.state.nodes.values()) {
      if (node.ownerKind !== 'nodegroup' || node.phase !== 'launching' || now - node.launchedAt < this.deps.settings.maxNodeProvisionMs) continue;
      this.backoffUntil.set(node.owner, now + GROUP_BACKOFF_MS);
      terminate(this.deps, node.name, 'max-node-provision-time');
    }
  }

  /** Node count per group: alive nodes it owns, in-flight ones included (the ASG's desired capacity). */
  size(group: NodeGroup): number {
    let n = 0;
    for (const node of this.deps.state.nodes.values()) if (node.alive && node.ownerKind === 'nodegroup' && node.owner === group.name) n++;
    return n;
  }

  /** One expander decision for these pods, or null when no group can help. */
  chooseScaleUp(pods: readonly PodRef[], sizes: ReadonlyMap<string, number>): ScaleUpOption | null {
    const options: ScaleUpOption[] = [];
    for (const group of this.deps.groups) {
      if (!group.autoscaled || (this.backoffUntil.get(group.name) ?? -Infinity) > this.deps.clock.now()) continue;
      const room = Math.min(group.max - (sizes.get(group.name) ?? 0), this.deps.settings.maxNodesPerScaleUp);
      if (room <= 0) continue;
      const e = estimate(pods, group, this.deps.overhead, room);
      if (e.nodes > 0) options.push({ group, estimate: e });
    }
    return expand(this.deps.settings.expander, options, this.deps.random);
  }

  /** Launch requests for `count` new nodes of a group, spread over its zones as an ASG balances them. */
  requests(group: NodeGroup, count: number, zoneSizes: Map<string, number>): LaunchRequest[] {
    const out: LaunchRequest[] = [];
    for (let i = 0; i < count; i++) {
      const zone = [...group.zones].sort((a, b) => (zoneSizes.get(a) ?? 0) - (zoneSizes.get(b) ?? 0) || (a < b ? -1 : 1))[0]!;
      zoneSizes.set(zone, (zoneSizes.get(zone) ?? 0) + 1);
      out.push({
        name: `${group.name}-${this.deps.settings.nameInfix ?? ''}${(++this.seq).toString().padStart(4, '0')}`,
        type: group.type,
        zone,
        capacityType: group.capacityType,
        pricePerHour: zonePrice(group, zone),
        owner: group.name,
        ownerKind: 'nodegroup',
        labels: templateLabels(group),
        taints: group.taints,
        path: 'asg',
      });
    }
    return out;
  }

  zoneSizes(group: NodeGroup): Map<string, number> {
    const m = new Map<string, number>();
    for (const n of this.deps.state.nodes.values()) if (n.alive && n.owner === group.name) m.set(n.zone, (m.get(n.zone) ?? 0) + 1);
    return m;
  }

  private scaleUp(): void {
    const { state } = this.deps;
    const pending = state.pendingPods().filter((p) => p.provisionable);
    if (pending.length === 0) return;
    const waiting = this.notCoveredByUpcoming(pending);
    if (waiting.length === 0) return;
    this.reportUnhelpable(waiting);
    const sizes = new Map(this.deps.groups.map((g) => [g.name, this.size(g)]));
    const choice = this.chooseScaleUp(waiting, sizes);
    if (!choice) return;
    const from = sizes.get(choice.group.name) ?? 0;
    const to = from + choice.estimate.nodes;
    this.deps.recorder.emit({ type: 'nodegroup.scaled', group: choice.group.name, from, to, expander: this.deps.settings.expander });
    for (const request of this.requests(choice.group, choice.estimate.nodes, this.zoneSizes(choice.group))) this.launch(request);
    this.lastScaleUp = this.deps.clock.now();
  }

  /**
   * Raises the ASG by one instance without waiting for it, as CA sets an ASG's desired capacity and moves on: the
   * node shows up in the cluster state when the cloud has it. A launch the cloud rejects (no capacity, an API error)
   * is a failed scale-up: logged as cloud.error, and the group backed off so the next scan picks another. A zone
   * without capacity is first retried in the group's other zones, as the ASG does.
   */
  private launch(request: LaunchRequest, tried: readonly string[] = [request.zone]): void {
    this.deps.cloud.create(request).catch((err: unknown) => {
      // The ASG, not CA, tries its other zones when one has no capacity; the scale-up fails once none has any.
      const group = this.deps.groups.find((g) => g.name === request.owner);
      const next = err instanceof InsufficientCapacityError ? group?.zones.find((z) => !tried.includes(z)) : undefined;
      this.deps.recorder.emit({ type: 'cloud.error', operation: 'create', node: request.name, error: err instanceof Error ? err.message : String(err), ...(next ? { retryInMs: 0 } : {}) });
      if (group && next) {
        this.launch({ ...request, zone: next, pricePerHour: zonePrice(group, next) }, [...tried, next]);
        return;
      }
      this.backoffUntil.set(request.owner, this.deps.clock.now() + GROUP_BACKOFF_MS);
    });
  }

  /** Cluster Autoscaler's NotTriggerScaleUp: pods no group's template can ever hold, reported once each. */
  private reportUnhelpable(pods: readonly StatePod[]): void {
    const autoscaled = this.deps.groups.filter((g) => g.autoscaled);
    for (const pod of pods) {
      if (this.reported.has(pod.name) || autoscaled.some((g) => fitsTemplate(pod, g, this.deps.overhead))) continue;
      this.reported.add(pod.name);
      const requested = add(this.deps.overhead, pod.spec.requests);
      this.deps.recorder.emit({
        type: 'pod.unsatisfiable',
        pod: pod.name,
        reason: `pod didn't trigger scale-up: no node group's template fits it (needs ${requested.cpu}m cpu and ${requested.memory}Mi with daemonsets; taints, affinity and zones checked against ${autoscaled.map((g) => `${g.name} (${g.type.name})`).join(', ') || 'no autoscaled group'})`,
      });
    }
  }

  /**
   * Pods that would still be pending on the nodes there are and the nodes already requested: Cluster Autoscaler's
   * FilterOutSchedulable, which drops pods that fit a Ready node (kube-scheduler has not retried them yet, as on a
   * busy control plane) before counting upcoming nodes as capacity. Each pod takes the first node that passes the
   * filters, Ready nodes first. Without topology counts, only pods with no spread or pod (anti-)affinity are fitted
   * onto Ready nodes, where other pods' placement decides; every pod may take an upcoming node, as before. A node
   * that rejects a spec keeps rejecting it as it fills, so pods of one spec resume where the previous one found room.
   */
  private notCoveredByUpcoming(pending: readonly StatePod[]): StatePod[] {
    const ready: PlannedRoom[] = [];
    const upcoming: PlannedRoom[] = [];
    for (const n of this.deps.state.nodes.values()) {
      if (n.schedulable) ready.push(new PlannedRoom(n));
      else if (n.phase === 'launching' || n.phase === 'registered') upcoming.push(new PlannedRoom(n));
    }
    if (upcoming.length === 0 && ready.length === 0) return [...pending];
    const out: StatePod[] = [];
    const onReady = new Map<PodSpec, number>();
    const onUpcoming = new Map<PodSpec, number>();
    for (const pod of [...pending].sort((a, b) => b.spec.requests.cpu - a.spec.requests.cpu)) {
      const { spec } = pod;
      if (!hasTopology(spec)) {
        const at = firstAccepting(spec, ready, onReady.get(spec) ?? 0);
        onReady.set(spec, at);
        if (at < ready.length) {
          ready[at]!.take(spec);
          continue;
        }
      }
      const at = firstAccepting(spec, upcoming, onUpcoming.get(spec) ?? 0);
      onUpcoming.set(spec, at);
      if (at === upcoming.length) {
        out.push(pod);
        continue;
      }
      upcoming[at]!.take(spec);
    }
    return out;
  }

  private scaleDown(): void {
    const { clock, state, settings } = this.deps;
    const now = clock.now();
    const groups = new Map(this.deps.groups.map((g) => [g.name, g]));
    const candidates: StateNode[] = [];
    for (const node of state.nodes.values()) {
      const group = node.ownerKind === 'nodegroup' ? groups.get(node.owner) : undefined;
      if (!group?.autoscaled || !node.schedulable || node.utilization() >= settings.scaleDownUtilizationThreshold) {
        this.unneededSince.delete(node.name);
        continue;
      }
      const since = this.unneededSince.get(node.name) ?? now;
      this.unneededSince.set(node.name, since);
      if (now - since >= settings.scaleDownUnneededMs) candidates.push(node);
    }
    if (now - this.lastScaleUp < settings.scaleDownDelayAfterAddMs || candidates.length === 0) return;
    const sizes = new Map(this.deps.groups.map((g) => [g.name, this.size(g)]));
    const canShrink = (n: StateNode): boolean => (sizes.get(n.owner) ?? 0) > groups.get(n.owner)!.min;
    candidates.sort((a, b) => a.utilization() - b.utilization() || (a.name < b.name ? -1 : 1));

    let emptyDeleted = 0;
    for (const node of candidates) {
      if (node.pods.size > 0 || emptyDeleted >= MAX_EMPTY_BULK_DELETE || !canShrink(node)) continue;
      this.remove(node, sizes);
      emptyDeleted++;
    }
    if (emptyDeleted > 0) return;
    const drainable = candidates.find((n) => n.pods.size > 0 && canShrink(n) && this.podsFitElsewhere(n));
    if (drainable) this.remove(drainable, sizes);
  }

  /**
   * Cluster Autoscaler's drain simulation: every pod of the node finds room on another Ready node, one by one, on the
   * first that passes the filters (pods of one spec resume where the previous one found room, as above).
   */
  private podsFitElsewhere(node: StateNode): boolean {
    const others: PlannedRoom[] = [];
    for (const n of this.deps.state.nodes.values()) if (n !== node && n.schedulable) others.push(new PlannedRoom(n));
    const cursor = new Map<PodSpec, number>();
    for (const pod of node.pods) {
      if (pod.spec.doNotDisrupt) return false;
      const at = firstAccepting(pod.spec, others, cursor.get(pod.spec) ?? 0);
      if (at === others.length) return false;
      cursor.set(pod.spec, at);
      others[at]!.take(pod.spec);
    }
    return true;
  }

  private remove(node: StateNode, sizes: Map<string, number>): void {
    const from = sizes.get(node.owner) ?? 0;
    sizes.set(node.owner, from - 1);
    this.unneededSince.delete(node.name);
    this.deps.recorder.emit({ type: 'nodegroup.scaled', group: node.owner, from, to: from - 1, expander: 'scale-down' });
    this.deps.actions.cordon(node, 'underutilized');
    for (const pod of [...node.pods]) this.deps.actions.evict(pod);
    terminate(this.deps, node.name, 'underutilized');
  }
}

/** A node as CA's simulations see it: its own pods plus the pods the simulation has put there. */
class PlannedRoom implements CandidateNode {
  private extra: Resources = ZERO;
  private counts: Map<string, number> | null = null;
  constructor(readonly node: StateNode) {}
  get labels(): Readonly<Record<string, string>> {
    return this.node.labels;
  }
  get taints(): readonly Taint[] {
    return this.node.taints;
  }
  free(): Resources {
    return sub(this.node.free(), this.extra);
  }
  countOf(workload: string): number {
    return this.node.countOf(workload) + (this.counts?.get(workload) ?? 0);
  }
  take(spec: PodSpec): void {
    this.extra = add(this.extra, spec.requests);
    this.counts ??= new Map();
    this.counts.set(spec.workload, (this.counts.get(spec.workload) ?? 0) + 1);
  }
}

/** Whether where the spec's pods may go depends on where other pods are: spread, pod affinity or anti-affinity. */
function hasTopology(spec: PodSpec): boolean {
  return spec.topologySpread.length > 0 || spec.affinity.length > 0 || spec.antiAffinity.length > 0;
}

/** The first node at or after `from` whose filters pass for the spec, or the list's length. */
function firstAccepting(spec: PodSpec, nodes: readonly PlannedRoom[], from: number): number {
  for (let i = from; i < nodes.length; i++) if (rejection(spec, nodes[i]!, NO_TOPOLOGY) === null) return i;
  return nodes.length;
}
