import type { Clock } from '../runtime/clock.js';
import type { DisruptionMethod, DisruptionReason } from '../runtime/events.js';
import type { Recorder } from '../runtime/recorder.js';
import type { ClusterActions } from '../api/cluster-actions.js';
import type { NodePool } from '../api/nodepool.js';
import type { PlannedClaim } from '../scheduling/solver.js';
import type { ClusterState } from '../state/cluster-state.js';
import type { StateNode } from '../state/state-node.js';
import type { StatePod } from '../state/state-pod.js';
import { BlockedLog, type Blocked } from './blocked-log.js';
import { allowance, DEFAULT_BUDGETS, type BudgetReason } from './budget.js';
import { balancedRejection, poolTotals } from './balanced.js';
import { APPROVE_ALL, byCost, consolidate, disruptionCost, multiNode, type ApproveMove, type Candidate, type Consolidation, type ConsolidationGates, type Simulate } from './consolidation.js';
import { windowCovers } from './cron.js';
import { describeDoNotDisrupt, doNotDisruptActive } from './do-not-disrupt.js';
import { DriftTracker, type Drift, type OfferedTypes } from './drift.js';
import { describePdb, disruptionsAllowed, type PdbView } from './pdb.js';
import type { Terminator } from './termination.js';

/** What disruption asks of the provisioner: the pools as they stand, its solver's what-if, and launches. */
export interface ReplacementPlanner {
  readonly pools: readonly NodePool[];
  simulate: Simulate;
  /** Resolves with the replacement's node name once the cloud accepted it, or null when nothing could launch. */
  launchClaim(claim: PlannedClaim): Promise<string | null>;
}

export interface DisruptionDeps {
  clock: Clock;
  recorder: Recorder;
  state: ClusterState;
  actions: ClusterActions;
  planner: ReplacementPlanner;
  terminator: Terminator;
  pdbs: PdbView;
  /** Upstream's feature gates for consolidation (SpotToSpotConsolidation). */
  gates: ConsolidationGates;
  /** What the cloud offers now: nodes on a withdrawn instance type or offering drift (InstanceTypeNotFound). */
  offered: OfferedTypes;
  /** The wall-clock instant (epoch ms, UTC) of the clock's zero: budget schedules are cron in UTC. */
  epochMs: number;
  /** How often a round runs (Karpenter's disruption controller polls about every 10 s). */
  pollMs?: number;
  /** Karpenter waits this long after deciding and validates the decision again before acting. */
  validateMs?: number;
  /** A node that stays blocked for the same reason is logged again every this many rounds (BlockedLog). */
  blockedRepeatRounds?: number;
}

/** A decided disruption, before validation and execution. */
export interface Command {
  method: DisruptionMethod;
  reason: BudgetReason;
  candidates: Looked[];
  replacements: PlannedClaim[];
  savingsPerHour: number;
  driftReason?: Drift['reason'];
}

/** One round's view of a node that disruption may take. */
export interface Looked extends Candidate {
  pool: NodePool;
  reason: BudgetReason;
  /** Past consolidateAfter since its last pod event (or Ready). */
  consolidatable: boolean;
  lastPodEventAt: number;
  drift: Drift | null;
  /** Why no method may take it at all this round (do-not-disrupt, a PDB). */
  blocker: Omit<Blocked, 'node' | 'nodepool' | 'reason'> | null;
}

/**
 * A node blocked for the same reason is logged again every this many rounds (5 minutes at the 10 s poll): often
 * enough that any window of a run answers "why was this node not disrupted", rarely enough not to flood the log.
 */
export const BLOCKED_REPEAT_ROUNDS = 30;

/**
 * Karpenter's disruption controller for graceful, budgeted disruption. Each round it tries the methods in upstream's
 * order — emptiness, drift, multi-node consolidation, single-node consolidation — and the first that yields a
 * command wins the round. The command is validated again after `validateMs` against the cluster then (candidates
 * still disruptable, budgets still allow, the consolidation still holds); then replacements launch, the candidates
 * are cordoned (the karpenter.sh/disrupted taint), and once every replacement is Ready the candidates are drained
 * through the Terminator. No round runs while a decision waits for validation or for its replacements to be accepted
 * by the cloud, as upstream's controller blocks.
 *
 * Every node a method looked at and did not take gets the reason in a `disruption.blocked` event (BlockedLog).
 * Nodes with pods within consolidateAfter are not looked at, except empty ones, whose wait is logged.
 */
export class DisruptionController {
  private readonly drift: DriftTracker;
  private readonly blocked: BlockedLog;
  /** Per node: its pod-event counter when last seen and when it last changed (Karpenter's last pod event time). */
  private readonly podEvents = new Map<string, { count: number; at: number }>();
  /** Nodes a command holds, from decision until they are handed to the Terminator. */
  private readonly held = new Set<string>();
  private validating = false;
  private rounds = 0;
  /** The inputs of the last round that found nothing, and what it logged: an unchanged cluster is not solved again. */
  private idle: { fingerprint: string; blocked: Blocked[]; watched: Set<string> } | null = null;

  constructor(private readonly deps: DisruptionDeps) {
    this.drift = new DriftTracker(deps.planner.pools, deps.offered);
    this.blocked = new BlockedLog(deps.recorder, deps.blockedRepeatRounds ?? BLOCKED_REPEAT_ROUNDS);
  }

  start(): void {
    const poll = this.deps.pollMs ?? 10_000;
    const loop = (): void => {
      this.round();
      this.deps.clock.setTimer(poll, loop);
    };
    this.deps.clock.setTimer(poll, loop);
  }

  /** A NodePool's spec changed mid-run (the provisioner already has it): nodes that no longer match it drift. */
  poolChanged(pool: NodePool): void {
    this.drift.changed(pool, this.deps.clock.now());
    this.idle = null;
  }

  /** The cloud's offer changed (instance types or offerings withdrawn): a round must look again. */
  offeringsChanged(): void {
    this.idle = null;
  }

  /** One disruption round; returns the command it decided (validation and execution follow on the clock). */
  round(): Command | null {
    if (this.validating) return null;
    this.rounds++;
    const now = this.deps.clock.now();
    const looked = this.look(now);
    const fingerprint = this.fingerprint(looked);
    if (this.idle && this.idle.fingerprint === fingerprint) {
      this.blocked.round(this.rounds, this.idle.blocked, this.idle.watched);
      return null;
    }
    const blocked: Blocked[] = [];
    const command = this.decide(looked, now, blocked);
    const watched = new Set(looked.map((l) => l.node.name));
    this.blocked.round(this.rounds, blocked, watched);
    this.idle = command ? null : { fingerprint, blocked, watched };
    if (!command) return null;
    this.validating = true;
    for (const c of command.candidates) this.held.add(c.node.name);
    // No round runs until the command is validated and its replacements are in the cloud's hands.
    this.deps.clock.setTimer(this.deps.validateMs ?? 15_000, async () => {
      try {
        const valid = this.validate(command);
        if (valid) await this.execute(valid);
        else for (const c of command.candidates) this.held.delete(c.node.name);
      } finally {
        this.validating = false;
      }
    });
    return command;
  }

  /** The pool's nodes disruption may consider this round, with what is known about each. */
  private look(now: number): Looked[] {
    const pools = new Map(this.deps.planner.pools.map((p) => [p.name, p]));
    const out: Looked[] = [];
    for (const node of this.deps.state.nodes.values()) {
      if (node.ownerKind !== 'nodepool') continue;
      const seen = this.podEvents.get(node.name);
      if (!seen || seen.count !== node.podEvents) this.podEvents.set(node.name, { count: node.podEvents, at: seen ? now : (node.readyAt ?? now) });
      const pool = pools.get(node.owner);
      if (!pool || node.phase !== 'ready' || node.cordoned || this.held.has(node.name) || this.deps.terminator.isDraining(node.name)) continue;
      const pods = [...node.pods].filter((p) => p.phase !== 'terminating' && p.phase !== 'gone');
      const drift = this.drift.drift(node, pool, now);
      const lastEvent = Math.max(this.podEvents.get(node.name)!.at, node.readyAt ?? 0);
      const consolidatable = pool.consolidateAfterMs !== null && now - lastEvent >= pool.consolidateAfterMs;
      const reason: BudgetReason = pods.length === 0 ? 'Empty' : drift ? 'Drifted' : 'Underutilized';
      // An empty node is looked at once it has run pods (a new node waiting for its pods is not news).
      const emptied = pods.length === 0 && (consolidatable || node.podEvents > 0);
      const interesting = drift !== null || (pool.consolidateAfterMs !== null && (emptied || (consolidatable && pool.consolidationPolicy !== 'WhenEmpty')));
      if (!interesting) continue;
      out.push({ node, pods, cost: disruptionCost(pods), pool, reason: drift && pods.length > 0 ? 'Drifted' : reason, consolidatable, lastPodEventAt: lastEvent, drift, blocker: this.blockerOf(node, pool, pods, now) });
    }
    for (const name of [...this.podEvents.keys()]) if (!this.deps.state.nodes.has(name)) this.podEvents.delete(name);
    this.drift.forget((name) => this.deps.state.nodes.has(name));
    return out;
  }

  /** What keeps a node from any graceful disruption: the do-not-disrupt annotations, a PDB that allows none. */
  private blockerOf(node: StateNode, pool: NodePool, pods: readonly StatePod[], now: number): Looked['blocker'] {
    if (pool.doNotDisrupt) return { blockedBy: 'do-not-disrupt-node', detail: `NodePool ${pool.name}'s template sets karpenter.sh/do-not-disrupt` };
    const protectedPod = pods.find((p) => p.spec.doNotDisrupt) ?? pods.find((p) => doNotDisruptActive(p, now));
    if (protectedPod) return { blockedBy: 'do-not-disrupt-pod', detail: describeDoNotDisrupt(protectedPod) };
    const checked = new Set<string>();
    for (const p of pods) {
      if (checked.has(p.spec.workload)) continue;
      checked.add(p.spec.workload);
      const pdb = this.deps.pdbs.budgetOf(p.spec.workload);
      if (!pdb) continue;
      const { healthy, expected } = this.deps.pdbs.health(p.spec.workload);
      if (disruptionsAllowed(pdb, healthy, expected) === 0) {
        return { blockedBy: 'pdb', detail: `PDB ${describePdb(pdb)} allows no disruption now (${healthy} healthy of ${expected}); pod ${p.name} is on ${node.name}` };
      }
    }
    return null;
  }

  /** The budget left per pool and reason this round, counting the nodes already being disrupted. */
  private budgets(now: number): (pool: NodePool, reason: BudgetReason) => { left: number; budget: string | null; take(): void } {
    const counts = new Map<string, { total: number; disrupting: number }>();
    for (const node of this.deps.state.nodes.values()) {
      if (node.ownerKind !== 'nodepool' || node.phase === 'terminated') continue;
      const c = counts.get(node.owner) ?? { total: 0, disrupting: 0 };
      c.total++;
      if (node.phase === 'terminating' || node.cordoned || this.held.has(node.name) || this.deps.terminator.isDraining(node.name)) c.disrupting++;
      counts.set(node.owner, c);
    }
    const taken = new Map<string, number>();
    return (pool, reason) => {
      const c = counts.get(pool.name) ?? { total: 0, disrupting: 0 };
      const a = allowance(pool.budgets ?? DEFAULT_BUDGETS, reason, c.total, c.disrupting, this.deps.epochMs + now);
      const key = `${pool.name}/${reason}`;
      return {
        left: a.allowed - (taken.get(key) ?? 0),
        budget: a.budget,
        take: () => void taken.set(key, (taken.get(key) ?? 0) + 1),
      };
    };
  }

  private decide(looked: readonly Looked[], now: number, blocked: Blocked[]): Command | null {
    const budget = this.budgets(now);
    const block = (l: Looked, b: Omit<Blocked, 'node' | 'nodepool' | 'reason'>, reason: DisruptionReason = l.reason): void =>
      void blocked.push({ node: l.node.name, nodepool: l.pool.name, reason, ...b });
    const budgetBlock = (l: Looked, reason: BudgetReason): void => {
      const b = budget(l.pool, reason);
      block(l, { blockedBy: 'budget', detail: `NodePool ${l.pool.name}'s budget for ${reason} is used up${b.budget ? ` (${b.budget})` : ''}` }, reason);
    };
    const free: Looked[] = [];
    for (const l of looked) {
      if (l.blocker) block(l, l.blocker);
      else free.push(l);
    }
    const sorted = [...free].sort(byCost);

    // Emptiness: every empty node past consolidateAfter, as many as the Empty budgets allow.
    const empty: Looked[] = [];
    for (const l of sorted) {
      if (l.pods.length > 0) continue;
      if (!l.consolidatable && !l.drift) {
        const ago = Math.round((now - l.lastPodEventAt) / 1000);
        block(l, { blockedBy: 'consolidate-after', detail: `empty, but its last pod event was ${ago} s ago, within consolidateAfter (${l.pool.consolidateAfterMs! / 1000} s)` });
        continue;
      }
      if (!l.consolidatable) continue;
      const b = budget(l.pool, 'Empty');
      if (b.left <= 0) {
        budgetBlock(l, 'Empty');
        continue;
      }
      b.take();
      empty.push(l);
    }
    if (empty.length > 0) return { method: 'emptiness', reason: 'Empty', candidates: empty, replacements: [], savingsPerHour: sum(empty) };

    // Drift: drifted nodes one at a time, cheapest to disrupt first, replaced by whatever their pods need.
    for (const l of sorted) {
      if (!l.drift) continue;
      const b = budget(l.pool, 'Drifted');
      const why = `drifted (${l.drift.reason}: ${l.drift.detail})`;
      if (b.left <= 0) {
        block(l, { blockedBy: 'budget', detail: `${why}, but NodePool ${l.pool.name}'s budget for Drifted is used up${b.budget ? ` (${b.budget})` : ''}` }, 'Drifted');
        continue;
      }
      const plan = this.deps.planner.simulate(l.pods, new Set([l.node.name]));
      if (plan.unsatisfiable.length > 0) {
        block(l, { blockedBy: 'pods-do-not-fit', detail: `${why}, but ${plan.unsatisfiable.length} pod(s) would not fit elsewhere: ${plan.unsatisfiable[0]!.reason}` }, 'Drifted');
        continue;
      }
      const price = plan.claims.reduce((s, c) => s + c.launch.pricePerHour, 0);
      return { method: 'drift', reason: 'Drifted', candidates: [l], replacements: plan.claims, savingsPerHour: l.node.pricePerHour - price, driftReason: l.drift.reason };
    }

    // Consolidation of under-used nodes, within the Underutilized budgets (upstream filters candidates by budget first).
    const under: Looked[] = [];
    for (const l of sorted) {
      if (l.pods.length === 0 || l.drift || !l.consolidatable || l.pool.consolidationPolicy === 'WhenEmpty') continue;
      const b = budget(l.pool, 'Underutilized');
      if (b.left <= 0) {
        budgetBlock(l, 'Underutilized');
        continue;
      }
      b.take();
      under.push(l);
    }
    const simulate: Simulate = (pods, leaving) => this.deps.planner.simulate(pods, leaving);
    const approve = this.approval();
    const multi = multiNode(under, simulate, this.deps.gates, approve);
    if (multi) return { method: 'multi-node-consolidation', reason: 'Underutilized', candidates: multi.nodes, ...pick(multi.result) };
    for (const l of under) {
      // Upstream's CanPassThreshold: deleting the node is the best any move on it can do; if that fails, nothing is tried.
      const best = approve([l], l.node.pricePerHour);
      if (best !== null) {
        block(l, { blockedBy: 'balanced-score', detail: `even deleting it would not pass: ${best}` });
        continue;
      }
      const result = consolidate([l], simulate, this.deps.gates, approve);
      if (result.ok) return { method: 'single-node-consolidation', reason: 'Underutilized', candidates: [l], ...pick(result) };
      block(l, { blockedBy: result.blockedBy, detail: result.detail });
    }
    return null;
  }

  /** Upstream's validation after the wait: the same nodes, still disruptable, within budget, and the plan still holds. */
  private validate(command: Command): Command | null {
    const now = this.deps.clock.now();
    for (const c of command.candidates) this.held.delete(c.node.name);
    const looked = new Map(this.look(now).map((l) => [l.node.name, l]));
    const fresh: Looked[] = [];
    const fail = (detail: string): null => {
      for (const c of command.candidates) {
        this.deps.recorder.emit({ type: 'disruption.blocked', node: c.node.name, nodepool: c.pool.name, reason: command.reason, blockedBy: 'validation-failed', detail });
      }
      this.idle = null;
      return null;
    };
    for (const c of command.candidates) {
      const l = looked.get(c.node.name);
      if (!l) return fail(`${c.node.name} is no longer a disruption candidate after ${(this.deps.validateMs ?? 15_000) / 1000} s`);
      if (l.blocker) return fail(`${c.node.name}: ${l.blocker.detail}`);
      if (command.reason === 'Empty' && l.pods.length > 0) return fail(`${c.node.name} is no longer empty`);
      if (command.reason === 'Underutilized' && !l.consolidatable) return fail(`${c.node.name} had a pod event within consolidateAfter`);
      fresh.push(l);
    }
    const budget = this.budgets(now);
    for (const l of fresh) {
      const b = budget(l.pool, command.reason);
      if (b.left <= 0) return fail(`NodePool ${l.pool.name}'s budget for ${command.reason} no longer allows it${b.budget ? ` (${b.budget})` : ''}`);
      b.take();
    }
    if (command.reason === 'Empty') return { ...command, candidates: fresh };
    if (command.reason === 'Drifted') {
      const plan = this.deps.planner.simulate(fresh[0]!.pods, new Set([fresh[0]!.node.name]));
      if (plan.unsatisfiable.length > 0) return fail(`its pods no longer fit: ${plan.unsatisfiable[0]!.reason}`);
      return { ...command, candidates: fresh, replacements: plan.claims };
    }
    const result = consolidate(fresh, (pods, leaving) => this.deps.planner.simulate(pods, leaving), this.deps.gates, this.approval());
    if (!result.ok) return fail(result.detail);
    if ((result.replacements.length === 0) !== (command.replacements.length === 0)) return fail('the consolidation changed between delete and replace');
    return { ...command, candidates: fresh, ...pick(result) };
  }

  /**
   * Launches the replacements one after the other, cordons the candidates, drains them once every replacement is
   * Ready. The candidates stay held while the launches are in the cloud's hands, so no round takes them meanwhile.
   */
  private async execute(command: Command): Promise<void> {
    const replacements: string[] = [];
    for (const claim of command.replacements) {
      const name = await this.deps.planner.launchClaim(claim);
      if (name === null) {
        for (const c of command.candidates) {
          this.deps.recorder.emit({
            type: 'disruption.blocked', node: c.node.name, nodepool: c.pool.name, reason: command.reason, blockedBy: 'validation-failed',
            detail: `the replacement ${claim.launch.type.name} could not launch (limits or capacity)`,
          });
        }
        this.idle = null;
        return;
      }
      replacements.push(name);
    }
    this.deps.recorder.emit({
      type: 'disruption.decided',
      method: command.method,
      reason: command.reason,
      nodes: command.candidates.map((c) => c.node.name),
      replacements,
      replacementTypes: command.replacements.flatMap((c) => c.instanceTypes.slice(0, 10).map((t) => t.name)),
      savingsPerHour: Math.round(command.savingsPerHour * 10_000) / 10_000,
      pods: command.candidates.reduce((s, c) => s + c.pods.length, 0),
      ...(command.driftReason ? { driftReason: command.driftReason } : {}),
    });
    // The replacements are held too: empty until the drain moves pods onto them, they must not look consolidatable.
    for (const r of replacements) this.held.add(r);
    let left = command.candidates.length;
    const drained = (node: string): void => {
      this.held.delete(node);
      if (--left === 0) for (const r of replacements) this.held.delete(r);
    };
    for (const c of command.candidates) {
      this.held.add(c.node.name);
      this.deps.actions.cordon(c.node, `karpenter.sh/disrupted: ${command.reason}`);
    }
    const drainWhenReady = (): void => {
      const waiting = replacements.some((r) => {
        const n = this.deps.state.nodes.get(r);
        return n !== undefined && n.phase !== 'ready' && n.alive;
      });
      if (waiting) {
        this.deps.clock.setTimer(1_000, drainWhenReady);
        return;
      }
      for (const c of command.candidates) {
        this.deps.terminator.drain(c.node, command.reason, { done: () => drained(c.node.name) });
      }
    };
    drainWhenReady();
  }

  /**
   * The consolidation policies' verdict on a move: Balanced pools score it against their totals, snapshotted now as
   * upstream does once per round; other policies approve any move with savings.
   */
  private approval(): ApproveMove {
    const balanced = new Set(this.deps.planner.pools.filter((p) => p.consolidationPolicy === 'Balanced').map((p) => p.name));
    if (balanced.size === 0) return APPROVE_ALL;
    const totals = poolTotals(this.deps.state.nodes.values());
    return (candidates, savings) => balancedRejection(candidates, savings, balanced, totals);
  }

  /** What decides whether this round can differ from the last idle one. */
  private fingerprint(looked: readonly Looked[]): string {
    const parts: string[] = [];
    for (const n of this.deps.state.nodes.values()) parts.push(`${n.name}:${n.phase}:${n.cordoned ? 1 : 0}:${n.podEvents}`);
    for (const l of looked) parts.push(`${l.node.name}:${l.consolidatable ? 1 : 0}:${l.blocker?.blockedBy ?? ''}:${l.drift?.reason ?? ''}`);
    const now = this.deps.clock.now();
    for (const p of this.deps.planner.pools) {
      for (const b of p.budgets ?? []) if (b.schedule) parts.push(windowCovers(b.schedule.cron, b.schedule.durationMs, this.deps.epochMs + now) ? 'open' : 'shut');
    }
    return parts.join('|');
  }
}

function sum(list: readonly Candidate[]): number {
  return list.reduce((s, c) => s + c.node.pricePerHour, 0);
}

function pick(result: Extract<Consolidation, { ok: true }>): { replacements: PlannedClaim[]; savingsPerHour: number } {
  return { replacements: result.replacements, savingsPerHour: result.savingsPerHour };
}
