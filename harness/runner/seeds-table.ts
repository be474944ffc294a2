import { costCaveat, LOWER_BOUND_SHORT } from '../../reports/model/cost-notes.js';
import { spreadOf, type SeedsResults, type Spread } from '../metrics/aggregate.js';
import type { Results } from '../metrics/results.js';
import { ROWS } from './table.js';

/**
 * The single-seed table's cost caveat (reports/model/cost-notes.ts). Its figures are one run's: they are the first
 * seed's, and say so, rather than a mix of medians that no seed ran.
 */
function seedsCostCaveat(perSeed: readonly Results[]): string[] {
  const first = perSeed[0]!;
  const caveat = costCaveat(first).map((sentence) => sentence.replace(/×/g, 'x'));
  if (caveat.length === 0) return first.scenario.target !== 'eks' ? ['Spot prices are modelled on the sim, not AWS market data.'] : [];
  const from = `cost caveat, from seed ${first.scenario.seed} (the first of ${perSeed.length}; the other seeds' figures differ):`;
  return [from, ...caveat.map((sentence) => `  ${sentence}`)];
}

/**
 * The table `burstlab run --seeds` prints: per arm, each metric's median over the seeds and its spread [min–max].
 * '*' marks an arm only when its whole spread is better than every other arm's: overlapping spreads are a tie.
 */
export function seedsTable(perSeed: readonly Results[], agg: SeedsResults): string {
  const arms = agg.autoscalers;
  const n = perSeed.length;
  // A metric some seed has no value for (minutes in SLO violation with no request SLO) has no spread to show.
  const shown = ROWS.filter((row) => perSeed.every((r) => r.autoscalers.every((a) => row.value(a) !== null)));
  const cells = shown.map((row) => {
    const spreads = arms.map((_, i) => spreadOf(perSeed.map((r) => row.value(r.autoscalers[i]!) as number)));
    const better = (a: Spread, b: Spread): boolean => (row.better === 'lower' ? a.max < b.min : a.min > b.max);
    return [
      row.label,
      ...spreads.map((s, i) => {
        const clear = arms.length > 1 && spreads.every((o, j) => j === i || better(s, o));
        return `${row.format(s.median)} [${row.format(s.min)}–${row.format(s.max)}]${clear ? ' *' : '  '}`;
      }),
    ];
  });
  const verdict = [
    `SLOs (median of ${n} seeds)`,
    ...arms.map((a) => {
      if (a.slo.checks.length === 0) return 'none set  ';
      const failing = a.slo.checks.filter((c) => !c.passed).length;
      return `${failing ? `FAIL (${failing})` : 'pass'}, ${a.slo.seedsFailed}/${n} seeds failed  `;
    }),
  ];
  const header = ['', ...arms.map((a) => `${a.name}  `)];
  const table = [header, ...cells, verdict];
  const widths = header.map((_, i) => table.reduce((w, r) => Math.max(w, r[i]!.length), 0));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [`${agg.scenario.name}: ${n} seeds (${agg.scenario.seeds.join(', ')}); median [min–max]`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), line(verdict)];
  for (const a of arms) {
    for (const c of a.slo.checks.filter((x) => !x.passed || x.seedsFailed > 0)) {
      const measured = c.actual === null ? 'has no value on any seed' : `median ${c.actual.median} [${c.actual.min}–${c.actual.max}]`;
      out.push(`  ${a.name}: ${c.metric} ${measured} (needs ${c.op} ${c.threshold}): ${c.passed ? 'passes' : 'FAILS'} on the median; failed on ${c.seedsFailed} of ${n} seeds`);
    }
  }
  out.push(`SLO rule: ${agg.sloRule}.`);
  out.push('* = better on every seed (spreads do not overlap).');
  for (const line of seedsCostCaveat(perSeed)) out.push(line);
  out.push(LOWER_BOUND_SHORT);
  return out.join('\n') + '\n';
}
