import type { FaultSloThreshold } from '../metrics/fault-impact.js';
import { computeResults } from '../metrics/compute.js';
import { LowerBound } from '../metrics/lower-bound.js';
import type { AutoscalerResult, Results } from '../metrics/results.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import type { Violation } from './violation.js';

/**
 * results.json against its own log: every arm's cost (as results.json states it and as the log's nodes add up) is
 * at least its lower bound, and every metric the log
 * determines is what harness/metrics computes from the log again (the same code, so verify agrees with whatever
 * the metrics define: pod-to-ready and its split, per-phase quantiles, pod counts, cost, node counts, requests, SLO
 * checks). The lower bound itself needs the instance catalog, which the log does not carry: it is held to the cost,
 * and its fields, and what is derived from them, are left out of the comparison.
 */
// The lower bound needs the whole instance catalog and the on-demand cost the catalog's list prices for Spot
// types; the log carries neither, so these are taken from results.json as written.
const NOT_FROM_THE_LOG = new Set(['cost.lowerBoundUSD', 'cost.ratioToLowerBound', 'cost.atOnDemandUSD']);

export interface ResultsCounts {
  /** Values compared between results.json and the recomputation, over all arms. */
  valuesCompared: number;
}

export function checkResults(events: readonly RunEvent[], saved: Results, report: (v: Violation) => void): ResultsCounts {
  const counts: ResultsCounts = { valuesCompared: 0 };
  const ends = new Map<string, number>();
  for (const e of events) if (e.type === 'run.finished' || !ends.has(e.autoscaler)) ends.set(e.autoscaler, e.t);

  for (const arm of saved.autoscalers) {
    const t = ends.get(arm.name) ?? 0;
    if (arm.cost.totalUSD < arm.cost.lowerBoundUSD) {
      report({ t, arm: arm.name, subject: 'results.json', rule: 'cost >= lower bound', detail: `cost $${arm.cost.totalUSD} < lower bound $${arm.cost.lowerBoundUSD}` });
    }
  }

  const recomputed = computeResults(events, {
    scenario: saved.scenario,
    phases: saved.phases,
    slo: (saved.autoscalers[0]?.slo.checks ?? []).filter((c) => !NOT_FROM_THE_LOG.has(c.metric)).map((c) => ({ metric: c.metric, op: c.op, threshold: c.threshold })),
    lowerBounds: Object.fromEntries(saved.autoscalers.map((a) => [a.name, new LowerBound([])])),
    pricing: saved.pricing,
    onDemandPrice: () => undefined,
    warnings: saved.warnings,
    faultSlo: faultSloOf(saved),
  });
  const names = new Set([...saved.autoscalers.map((a) => a.name), ...recomputed.autoscalers.map((a) => a.name)]);
  for (const name of names) {
    const a = saved.autoscalers.find((x) => x.name === name);
    const b = recomputed.autoscalers.find((x) => x.name === name);
    const t = ends.get(name) ?? 0;
    if (!a || !b) {
      report({ t, arm: name, subject: 'results.json', rule: 'results match the events', detail: a ? 'the log has no run.started for this arm' : 'the log has this arm but results.json does not' });
      continue;
    }
    // A log whose nodes cost less than the bound is caught even when results.json was written to match it.
    if (b.cost.totalUSD !== a.cost.totalUSD && b.cost.totalUSD < a.cost.lowerBoundUSD) {
      report({ t, arm: name, subject: 'events.jsonl', rule: 'cost >= lower bound', detail: `the log's nodes cost $${b.cost.totalUSD} < lower bound $${a.cost.lowerBoundUSD}` });
    }
    for (const d of differences(comparable(a), comparable(b), '', counts)) {
      report({ t, arm: name, subject: 'results.json', rule: 'results match the events', detail: d });
    }
  }
  return counts;
}

/** Each fault's own SLOs as results.json states them, by the fault's index in the scenario. */
function faultSloOf(saved: Results): Record<number, FaultSloThreshold[]> {
  const out: Record<number, FaultSloThreshold[]> = {};
  for (const f of saved.autoscalers[0]?.faults ?? []) {
    const index = Number(/^faults\[(\d+)\]/.exec(f.id)?.[1]);
    if (f.slo && Number.isInteger(index)) out[index] = f.slo.checks.map((c) => ({ metric: c.metric, op: '<=', threshold: c.threshold }));
  }
  return out;
}

/** An arm's results without what depends on the lower bound. */
function comparable(a: AutoscalerResult): unknown {
  return {
    ...a,
    cost: Object.fromEntries(Object.entries(a.cost).filter(([k]) => !NOT_FROM_THE_LOG.has(`cost.${k}`))),
    slo: { checks: a.slo.checks.filter((c) => !NOT_FROM_THE_LOG.has(c.metric)) },
  };
}

function differences(saved: unknown, fresh: unknown, path: string, counts: ResultsCounts): string[] {
  if (typeof saved === 'object' && saved !== null && typeof fresh === 'object' && fresh !== null) {
    if (Array.isArray(saved) !== Array.isArray(fresh)) return [`${path}: results.json and the events disagree on its shape`];
    const keys = new Set([...Object.keys(saved), ...Object.keys(fresh)]);
    const out: string[] = [];
    for (const k of keys) {
      const sub = Array.isArray(saved) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      for (const d of differences((saved as Record<string, unknown>)[k], (fresh as Record<string, unknown>)[k], sub, counts)) out.push(d);
    }
    return out;
  }
  counts.valuesCompared++;
  if (saved === fresh) return [];
  return [`${path}: results.json says ${JSON.stringify(saved) ?? 'nothing'}, the events give ${JSON.stringify(fresh) ?? 'nothing'}`];
}
