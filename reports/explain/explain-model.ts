/**
 * `burstlab explain`: why nodes were disrupted or not, from the event log alone (DESIGN.md principle 4). Each arm's
 * disruption decisions in time order, and each node's blocked rounds folded into spans of the same blocker, so
 * "why was this node not consolidated" reads as a sentence (reports/explain/explain-text.ts).
 */
import type { DisruptionBlocked, DisruptionDecided, DisruptionReason, NodeInterruption, RunEvent } from '../../provisioner/runtime/events.js';

/** A `disruption.decided` event as explain shows it: its facts, timed in seconds. */
export type ExplainedDecision = Omit<DisruptionDecided, 't' | 'autoscaler' | 'type'> & { tS: number };

/** Consecutive rounds in which one node was blocked for the same reason by the same thing. */
export interface BlockSpan {
  reason: DisruptionReason;
  blockedBy: DisruptionBlocked['blockedBy'];
  rounds: number;
  firstS: number;
  lastS: number;
  /** The first round's detail; later rounds may say other things (budgets change with their windows). */
  detail: string;
  otherDetails: number;
}

export interface ExplainedNode {
  node: string;
  instanceType: string | null;
  nodepool: string | null;
  launchedS: number | null;
  terminatedS: number | null;
  spans: BlockSpan[];
  /** Decisions that named this node, in time order. */
  decisions: ExplainedDecision[];
  interruptions: Array<{ tS: number; kind: NodeInterruption['kind']; deadlineS: number | null }>;
  evictionsBlocked: Array<{ tS: number; pod: string; pdb: string }>;
}

export interface ExplainedArm {
  arm: string;
  kind: string;
  decisions: ExplainedDecision[];
  /** Without --node: nodes blocked at least once and never named by a decision. With --node: that node. */
  nodes: ExplainedNode[];
  /** Without --node: nodes blocked for a while and disrupted later (not listed, to keep the answer short). */
  blockedThenDisrupted: number;
  /** True when the arm's log holds any disruption fact at all. */
  anyDisruptionEvent: boolean;
}

export interface Explanation {
  epoch: string;
  arms: ExplainedArm[];
}

export interface ExplainOptions {
  arm?: string;
  node?: string;
}

/** Every node name the log mentions for these arms: launched, blocked or named by a decision. */
export function nodeNames(events: readonly RunEvent[], arms?: readonly string[]): string[] {
  const names = new Set<string>();
  for (const e of events) {
    if (arms && !arms.includes(e.autoscaler)) continue;
    if (e.type === 'node.launched' || e.type === 'disruption.blocked' || e.type === 'node.interruption') names.add(e.node);
    else if (e.type === 'disruption.decided') for (const n of e.nodes) names.add(n);
  }
  return [...names];
}

export function armNames(events: readonly RunEvent[]): Array<{ name: string; kind: string }> {
  return events.flatMap((e) => (e.type === 'run.started' ? [{ name: e.autoscaler, kind: e.kind }] : []));
}

export function explainRun(events: readonly RunEvent[], options: ExplainOptions = {}): Explanation {
  const started = events.find((e) => e.type === 'run.started');
  const arms = armNames(events).filter((a) => options.arm === undefined || a.name === options.arm);
  return {
    epoch: started?.type === 'run.started' ? started.epoch : '',
    arms: arms
      .map((a) => explainArm(events.filter((e) => e.autoscaler === a.name), a.name, a.kind, options.node))
      .filter((a) => options.node === undefined || a.nodes.length > 0),
  };
}

function explainArm(events: readonly RunEvent[], arm: string, kind: string, only: string | undefined): ExplainedArm {
  const nodes = new Map<string, ExplainedNode>();
  const nodeOf = (name: string): ExplainedNode => {
    let n = nodes.get(name);
    if (!n) {
      n = { node: name, instanceType: null, nodepool: null, launchedS: null, terminatedS: null, spans: [], decisions: [], interruptions: [], evictionsBlocked: [] };
      nodes.set(name, n);
    }
    return n;
  };
  const decisions: ExplainedDecision[] = [];
  let anyDisruptionEvent = false;
  for (const e of events) {
    const tS = e.t / 1000;
    switch (e.type) {
      case 'node.launched': {
        const n = nodeOf(e.node);
        n.instanceType = e.instanceType;
        n.nodepool = e.owner;
        n.launchedS = tS;
        break;
      }
      case 'node.terminated':
        if (nodes.has(e.node)) nodeOf(e.node).terminatedS ??= tS;
        break;
      case 'disruption.decided': {
        anyDisruptionEvent = true;
        const d: ExplainedDecision = { tS, method: e.method, reason: e.reason, nodes: e.nodes, replacements: e.replacements, replacementTypes: e.replacementTypes, savingsPerHour: e.savingsPerHour, pods: e.pods, ...(e.driftReason ? { driftReason: e.driftReason } : {}) };
        decisions.push(d);
        for (const name of e.nodes) nodeOf(name).decisions.push(d);
        break;
      }
      case 'disruption.blocked': {
        anyDisruptionEvent = true;
        const n = nodeOf(e.node);
        n.nodepool ??= e.nodepool;
        const last = n.spans[n.spans.length - 1];
        if (last && last.blockedBy === e.blockedBy && last.reason === e.reason) {
          last.rounds++;
          last.lastS = tS;
          if (e.detail !== last.detail) last.otherDetails++;
        } else {
          n.spans.push({ reason: e.reason, blockedBy: e.blockedBy, rounds: 1, firstS: tS, lastS: tS, detail: e.detail, otherDetails: 0 });
        }
        break;
      }
      case 'eviction.blocked':
        anyDisruptionEvent = true;
        nodeOf(e.node).evictionsBlocked.push({ tS, pod: e.pod, pdb: e.pdb });
        break;
      case 'node.interruption':
        anyDisruptionEvent = true;
        nodeOf(e.node).interruptions.push({ tS, kind: e.kind, deadlineS: e.deadlineT === undefined ? null : e.deadlineT / 1000 });
        break;
      case 'pod.deleted':
        if (e.cause !== undefined) anyDisruptionEvent = true;
        break;
      default:
        break;
    }
  }
  if (only !== undefined) {
    const n = nodes.get(only);
    return { arm, kind, decisions: n?.decisions ?? [], nodes: n ? [n] : [], blockedThenDisrupted: 0, anyDisruptionEvent };
  }
  const blocked = [...nodes.values()].filter((n) => n.spans.length > 0);
  return {
    arm,
    kind,
    decisions,
    nodes: blocked.filter((n) => n.decisions.length === 0),
    blockedThenDisrupted: blocked.filter((n) => n.decisions.length > 0).length,
    anyDisruptionEvent,
  };
}
