/** The words of `burstlab explain`: one line per decision, one sentence per node that stayed. */
import type { DisruptionBlocked, DisruptionReason } from '../../provisioner/runtime/events.js';
import { epochOffsetMinutes, formatClock, formatCount, formatOffset, formatUSD } from '../format.js';
import type { BlockSpan, ExplainedArm, ExplainedDecision, ExplainedNode, Explanation } from './explain-model.js';

/** What the blocked method would have done to the node, for "node X was not <verb>". */
const NOT_DONE: Record<DisruptionReason, string> = {
  Underutilized: 'consolidated',
  Empty: 'removed while empty',
  Drifted: 'replaced for drift',
  Expired: 'expired',
  Interrupted: 'replaced before its interruption',
};

export const BLOCKER: Record<DisruptionBlocked['blockedBy'], string> = {
  budget: 'blocked by a disruption budget',
  'do-not-disrupt-pod': 'blocked by a pod with karpenter.sh/do-not-disrupt',
  'do-not-disrupt-node': "blocked by the node's karpenter.sh/do-not-disrupt",
  pdb: 'blocked by a PodDisruptionBudget',
  'pods-do-not-fit': 'blocked because its pods would not fit elsewhere',
  'no-cheaper-replacement': 'blocked because no replacement was cheaper',
  'spot-to-spot': 'blocked by the spot-to-spot rule (too few cheaper Spot types)',
  'balanced-score': "blocked by the Balanced policy (the savings were not worth the disruption)",
  'spot-to-spot-disabled': 'blocked because the SpotToSpotConsolidation feature gate is off (a Spot node is not replaced by Spot)',
  'consolidate-after': 'blocked because it was still within consolidateAfter',
  'validation-failed': 'blocked because the decision failed its re-validation',
};

/** Spans shown per node before the rest are summed up. */
const SPANS_SHOWN = 8;
const TYPES_SHOWN = 3;

export interface TextOptions {
  /** A line to print first (which run, which seed). */
  heading: string;
  node?: string;
}

export function renderExplanation(x: Explanation, o: TextOptions): string {
  const epochMs = Number.isFinite(Date.parse(x.epoch)) ? Date.parse(x.epoch) : 0;
  const offset = epochOffsetMinutes(x.epoch);
  const clock = (tS: number): string => formatClock(epochMs, offset, tS);
  const out = [o.heading, `Times are the scenario's clock (${formatOffset(offset)}).`];
  for (const a of x.arms) {
    out.push('');
    for (const line of o.node === undefined ? armLines(a, clock) : nodeStory(a, a.nodes[0]!, clock)) out.push(line);
  }
  return out.join('\n') + '\n';
}

function armLines(a: ExplainedArm, clock: (tS: number) => string): string[] {
  if (!a.anyDisruptionEvent) return [`${a.arm} (${a.kind}): no disruption events in its log: no decision, block, blocked eviction or interruption was recorded.`];
  const out = [`${a.arm} (${a.kind}): ${plural(a.decisions.length, 'disruption decision')}; ${plural(a.nodes.length, 'node')} blocked and never disrupted`];
  if (a.decisions.length) {
    out.push('  decisions:');
    for (const d of a.decisions) out.push(`    ${clock(d.tS)}  ${decisionLine(d)}`);
  }
  if (a.nodes.length) {
    out.push('  not disrupted:');
    for (const n of a.nodes) out.push(`    ${nodeLabel(n)} was not ${NOT_DONE[n.spans[0]!.reason]}: ${spansText(n.spans, clock)}`);
  }
  if (a.blockedThenDisrupted > 0) out.push(`  ${plural(a.blockedThenDisrupted, 'other node')} ${a.blockedThenDisrupted === 1 ? 'was' : 'were'} blocked for a while and disrupted later (burstlab explain <run-dir> --node NAME tells one's story).`);
  return out;
}

function nodeStory(a: ExplainedArm, n: ExplainedNode, clock: (tS: number) => string): string[] {
  const out = [`${a.arm} (${a.kind}): ${nodeLabel(n)}`];
  const lines: Array<{ tS: number; text: string }> = [];
  if (n.launchedS !== null) lines.push({ tS: n.launchedS, text: 'launched' });
  for (const s of n.spans) lines.push({ tS: s.firstS, text: `not ${NOT_DONE[s.reason]}: ${spanText(s, clock)}` });
  for (const d of n.decisions) lines.push({ tS: d.tS, text: decisionLine(d) });
  for (const i of n.interruptions) lines.push({ tS: i.tS, text: `${i.kind} notice${i.deadlineS === null ? '' : `, gone by ${clock(i.deadlineS)}`}` });
  const pdbs = new Map<string, { first: number; last: number; count: number }>();
  for (const b of n.evictionsBlocked) {
    const p = pdbs.get(b.pdb);
    if (p) {
      p.last = b.tS;
      p.count++;
    } else pdbs.set(b.pdb, { first: b.tS, last: b.tS, count: 1 });
  }
  for (const [pdb, p] of pdbs) lines.push({ tS: p.first, text: `${plural(p.count, 'eviction')} refused by PodDisruptionBudget ${pdb}${p.count > 1 ? ` until ${clock(p.last)}` : ''}` });
  if (n.terminatedS !== null) lines.push({ tS: n.terminatedS, text: 'terminated' });
  // Stable: at one instant, the order above (launched, blocked, decided, notices, evictions, terminated).
  lines.sort((p, q) => p.tS - q.tS);
  for (const l of lines) out.push(`  ${clock(l.tS)}  ${l.text}`);
  if (n.spans.length === 0 && n.decisions.length === 0) out.push('  no disruption method ever blocked or chose this node');
  return out;
}

function nodeLabel(n: ExplainedNode): string {
  const facts = [n.instanceType, n.nodepool === null ? null : `pool ${n.nodepool}`].filter((f): f is string => f !== null);
  return `node ${n.node}${facts.length ? ` (${facts.join(', ')})` : ''}`;
}

function decisionLine(d: ExplainedDecision): string {
  const nodes = d.nodes.join(', ');
  const types = d.replacementTypes.slice(0, TYPES_SHOWN).join(' | ') + (d.replacementTypes.length > TYPES_SHOWN ? ' | …' : '');
  const what = d.replacements.length
    ? `${nodes} → replaced by ${plural(d.replacements.length, 'node')}${types ? ` (${types})` : ''}`
    : `${nodes} deleted`;
  const parts = [`${d.method} (${d.reason}${d.driftReason ? `: ${d.driftReason}` : ''}): ${what}`];
  if (d.savingsPerHour !== 0) parts.push(`saves ${formatUSD(d.savingsPerHour)}/h`);
  parts.push(`${plural(d.pods, 'pod')} evicted`);
  return parts.join('; ');
}

function spansText(spans: readonly BlockSpan[], clock: (tS: number) => string): string {
  const shown = spans.slice(0, SPANS_SHOWN).map((s) => spanText(s, clock));
  const rest = spans.slice(SPANS_SHOWN);
  if (rest.length) {
    const by = new Map<string, number>();
    for (const s of rest) by.set(s.blockedBy, (by.get(s.blockedBy) ?? 0) + s.rounds);
    shown.push(`${plural(rest.reduce((n, s) => n + s.rounds, 0), 'more round')} until ${clock(rest[rest.length - 1]!.lastS)} (${[...by].map(([k, v]) => `${k} ${formatCount(v)}`).join(', ')})`);
  }
  return shown.join(', then ');
}

function spanText(s: BlockSpan, clock: (tS: number) => string): string {
  const detail = s.detail ? ` (${s.detail}${s.otherDetails ? `; ${plural(s.otherDetails, 'later round')} said otherwise` : ''})` : '';
  const when = s.rounds === 1 ? `at ${clock(s.firstS)}` : `from ${clock(s.firstS)} to ${clock(s.lastS)}`;
  return `${plural(s.rounds, 'round')} ${BLOCKER[s.blockedBy]}${detail} ${when}`;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
