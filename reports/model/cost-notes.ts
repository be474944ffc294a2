/**
 * What a cost number needs said beside it. An arm on Spot against one on on-demand node groups wins on cost mostly
 * through the Spot discount, which on the sim is modelled and comes without the interruptions real Spot brings; and
 * the lower bound is a bound no real cluster reaches. Every output that states a cost winner prints these, so a
 * "2.9× cheaper" never stands alone.
 */
import type { AutoscalerResult, Results } from '../../harness/metrics/results.js';
import { formatPercent, formatUSD } from '../format.js';
import { relative } from './verdict.js';

/** Worded as harness/metrics/definitions.ts defines the bound: only pods the arm ran, only offerings it may launch. */
export const LOWER_BOUND_NOTE =
  "Cost ÷ lower bound: what the arm paid, divided by the cheapest fractional cover of the CPU and memory its running pods " +
  'requested, bought from the offerings the arm may launch (its allowed types, zones and capacity types), over time. ' +
  'Fractional means capacity bought by the slice: no whole nodes, no daemonsets, no boot time, no headroom. ' +
  'A ratio of 1.00× is unattainable perfection; lower is closer to it.';

/** One line for the terminal table. */
export const LOWER_BOUND_SHORT =
  'cost / lower bound: against the cheapest fractional cover of the CPU and memory its running pods requested, from ' +
  'the offerings the arm may launch, over time; 1.00x is unattainable.';

/** Differences in node-hour shares smaller than this are rounding, not a different capacity strategy. */
const MIX_TOLERANCE = 0.05;

const CAPACITY_NAMES: Record<string, string> = { spot: 'Spot nodes', 'on-demand': 'on-demand nodes', reserved: 'reserved nodes' };
const capacityName = (type: string): string => CAPACITY_NAMES[type] ?? type;

/** Each capacity type's share of an arm's node-hours, largest first. */
function mixOf(a: AutoscalerResult): Array<[string, number]> {
  const total = Object.values(a.nodeHours).reduce((s, h) => s + h, 0);
  if (total <= 0) return [];
  return Object.entries(a.nodeHours)
    .map(([type, hours]): [string, number] => [type, hours / total])
    .filter(([, share]) => share > 0)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
}

function describeMix(a: AutoscalerResult): string {
  const mix = mixOf(a);
  if (mix.length === 0) return `${a.name} ran no nodes`;
  if (mix.length === 1) return `${a.name} ran all its node-hours on ${capacityName(mix[0]![0])}`;
  const parts = mix.map(([type, share], i) => `${formatPercent(share, 0)}${i === 0 ? ' of its node-hours' : ''} on ${capacityName(type)}`);
  return `${a.name} ran ${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
}

function mixesDiffer(arms: readonly AutoscalerResult[]): boolean {
  const mixes = arms.map((a) => new Map(mixOf(a)));
  const types = new Set(mixes.flatMap((m) => [...m.keys()]));
  return [...types].some((t) => {
    const shares = mixes.map((m) => m.get(t) ?? 0);
    return shares.reduce((a, b) => Math.max(a, b), -Infinity) - shares.reduce((a, b) => Math.min(a, b), Infinity) > MIX_TOLERANCE;
  });
}

const usesDiscount = (a: AutoscalerResult): boolean => mixOf(a).some(([type]) => type !== 'on-demand');

/** An arm that ran on-demand only paid on-demand prices, also in a run recorded before atOnDemandUSD existed. */
const atOnDemand = (a: AutoscalerResult): number | null => a.cost.atOnDemandUSD ?? (usesDiscount(a) ? null : a.cost.totalUSD);

/**
 * `a` against `b` with both priced on-demand ("2.3× cheaper"), or null when that says nothing new (the arms ran
 * the same capacity types) or results.json lacks the on-demand equivalent.
 */
export function onDemandRelative(a: AutoscalerResult, b: AutoscalerResult): string | null {
  const [x, y] = [atOnDemand(a), atOnDemand(b)];
  if (!mixesDiffer([a, b]) || x === null || y === null) return null;
  return relative(x, y, 'cheaper', 'more expensive');
}

/** How much of the cheapest arm's lead over the next cheapest is the Spot discount. */
function splitOfGap(cheap: AutoscalerResult, rival: AutoscalerResult): string {
  const paid = relative(cheap.cost.totalUSD, rival.cost.totalUSD, 'cheaper', 'more expensive');
  const [a, b] = [atOnDemand(cheap), atOnDemand(rival)];
  if (a === null || b === null) {
    const missing = [cheap, rival].filter((x) => atOnDemand(x) === null).map((x) => x.name);
    return `results.json has no on-demand equivalent for ${missing.join(' and ')}, so how much of its lead (${paid}) is the Spot discount cannot be told; runs by this burstlab version record it.`;
  }
  const asIf = `At on-demand prices for the same node-hours ${cheap.name} would have cost ${formatUSD(a)} against ${rival.name}'s ${formatUSD(b)}`;
  if (a >= b) {
    return `${asIf} (${relative(a, b, 'cheaper', 'more expensive')}), so its whole lead (${paid}) is the Spot discount.`;
  }
  // Shares of the gap on a log scale, so "6.8× = 2.3× from what was launched × 3× from Spot" splits consistently.
  const spotShare = 1 - Math.log(b / a) / Math.log(rival.cost.totalUSD / cheap.cost.totalUSD);
  const onDemand = relative(a, b, 'cheaper', 'more expensive');
  if (spotShare <= 0) return `${asIf}: ${onDemand}, so none of its lead (${paid}) is the Spot discount.`;
  return `${asIf}: ${onDemand} rather than ${paid}, so ${spotShare >= 0.85 ? 'almost all' : spotShare >= 0.5 ? 'most' : 'less than half'} of the difference is the Spot discount and the rest is what each arm launched and for how long.`;
}

/**
 * Sentences to print wherever a cost winner is stated; none when the arms ran the same capacity types and no
 * modelled Spot price is involved.
 */
export function costCaveat(results: Results): string[] {
  const arms = results.autoscalers;
  if (arms.length < 2) return [];
  const differ = mixesDiffer(arms);
  const modelledSpot = results.scenario.target !== 'eks' && arms.some(usesDiscount);
  if (!differ && !modelledSpot) return [];
  const out: string[] = [];
  if (differ) {
    out.push(`${arms.map(describeMix).join('; ')}.`);
    const [cheap, rival] = [...arms].sort((x, y) => x.cost.totalUSD - y.cost.totalUSD);
    if (cheap!.cost.totalUSD > 0 && cheap!.cost.totalUSD < rival!.cost.totalUSD) out.push(splitOfGap(cheap!, rival!));
  }
  if (modelledSpot) {
    out.push(`Spot prices are modelled, not observed: ${results.pricing.spot.replace(/^modelled:\s*/i, '').replace(/\.$/, '')}.`);
    const reclaims = results.pricing.spotInterruptions ?? 'not modelled in this run: no Spot node was reclaimed, so a Spot arm paid nothing for replacement nodes or rescheduled pods';
    out.push(`Spot interruptions: ${reclaims}.`);
  }
  return out;
}
