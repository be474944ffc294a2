import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AutoscalerResult, Results } from '../../../harness/metrics/results.js';
import { spotInterruptionsNote } from '../../../harness/runner/execute.js';
import { comparisonTable } from '../../../harness/runner/table.js';
import { escapeHtml } from '../../../reports/html/escape.js';
import { renderReports } from '../../../reports/index.js';
import { costCaveat, LOWER_BOUND_NOTE } from '../../../reports/model/cost-notes.js';
import { readRunDir } from '../../../reports/run-dir.js';
import { makeReportFixture, type Fixture } from '../../support/report-fixture.js';
import { saveRunDir } from '../../support/report-run-dir.js';
import { scenario } from '../../support/scenarios.js';

/** The fixture's two arms: cluster-autoscaler on on-demand node groups, karpenter mostly on Spot. */
function run(): Fixture {
  return makeReportFixture({ durationS: 1_800, peakPods: 120 });
}

function armOf(results: Results, name: string): AutoscalerResult {
  return results.autoscalers.find((a) => a.name === name)!;
}

/** Sets an arm's paid cost, its cost at on-demand prices and where its node-hours ran. */
function costs(a: AutoscalerResult, paid: number, atOnDemand: number | null, nodeHours: Record<string, number>): void {
  a.cost.totalUSD = paid;
  a.cost.atOnDemandUSD = atOnDemand;
  a.nodeHours = nodeHours;
  a.cost.byCapacityType = Object.fromEntries(Object.keys(nodeHours).map((t) => [t, paid * (nodeHours[t]! / Object.values(nodeHours).reduce((s, h) => s + h, 0))]));
}

/** cluster-autoscaler all on-demand at $10; karpenter all Spot at $1, which would have been `karpenterOnDemand`. */
function spotAgainstOnDemand(karpenterOnDemand: number | null): Fixture {
  const r = run();
  costs(armOf(r.results, 'cluster-autoscaler'), 10, 10, { 'on-demand': 20 });
  costs(armOf(r.results, 'karpenter'), 1, karpenterOnDemand, { spot: 8 });
  return r;
}

describe('the cost caveat', () => {
  it("says where each arm's node-hours ran when the arms ran different capacity types", () => {
    const caveat = costCaveat(spotAgainstOnDemand(4).results);
    expect(caveat[0]).toBe('cluster-autoscaler ran all its node-hours on on-demand nodes; karpenter ran all its node-hours on Spot nodes.');
  });

  it('gives the share of each capacity type for an arm that mixed them', () => {
    const r = spotAgainstOnDemand(4);
    armOf(r.results, 'karpenter').nodeHours = { spot: 6, 'on-demand': 2 };
    expect(costCaveat(r.results)[0]).toContain('karpenter ran 75% of its node-hours on Spot nodes and 25% on on-demand nodes');
  });

  it('says what the cheaper arm would have cost at on-demand prices, and that most of its lead is the Spot discount', () => {
    expect(costCaveat(spotAgainstOnDemand(4).results)[1]).toBe(
      "At on-demand prices for the same node-hours karpenter would have cost $4.00 against cluster-autoscaler's $10.00: 2.5× cheaper rather than 10.0× cheaper, so most of the difference is the Spot discount and the rest is what each arm launched and for how long.",
    );
  });

  it('says less than half of the lead is the Spot discount when on-demand prices barely shrink it', () => {
    expect(costCaveat(spotAgainstOnDemand(1.5).results)[1]).toContain('6.7× cheaper rather than 10.0× cheaper, so less than half of the difference is the Spot discount');
  });

  it('says the whole lead is the Spot discount when the cheaper arm would have cost more at on-demand prices', () => {
    expect(costCaveat(spotAgainstOnDemand(18).results)[1]).toBe(
      "At on-demand prices for the same node-hours karpenter would have cost $18.00 against cluster-autoscaler's $10.00 (80% more expensive), so its whole lead (10.0× cheaper) is the Spot discount.",
    );
  });

  it("says Spot prices are modelled, in the run's own words, and that a run saved without an interruption note reclaimed nothing", () => {
    const r = spotAgainstOnDemand(4);
    r.results.pricing.spot = 'modelled: a fixed 70% discount.';
    delete r.results.pricing.spotInterruptions;
    const caveat = costCaveat(r.results);
    expect(caveat).toContain('Spot prices are modelled, not observed: a fixed 70% discount.');
    expect(caveat.at(-1)).toMatch(/^Spot interruptions: not modelled in this run: no Spot node was reclaimed/);
  });

  it('says how Spot interruptions were modelled, in the run\'s own words', () => {
    const r = spotAgainstOnDemand(4);
    r.results.pricing.spotInterruptions = spotInterruptionsNote(scenario({ cloud: { spotInterruptions: { ratePerHour: 0.05 } } }));
    expect(costCaveat(r.results).at(-1)).toBe('Spot interruptions: modelled at 0.05 per Spot instance-hour, each with a 120 s warning (cloud.spotInterruptions).');
    r.results.pricing.spotInterruptions = spotInterruptionsNote(scenario());
    expect(costCaveat(r.results).at(-1)).toMatch(/^Spot interruptions: none in this run \(cloud\.spotInterruptions is not set\)/);
  });

  it('says nothing when every arm ran on on-demand nodes only', () => {
    const r = spotAgainstOnDemand(4);
    costs(armOf(r.results, 'karpenter'), 1, 1, { 'on-demand': 8 });
    expect(costCaveat(r.results)).toEqual([]);
  });

  it('still says how much is the Spot discount on EKS, but not that prices or interruptions are modelled', () => {
    const r = spotAgainstOnDemand(4);
    r.results.scenario.target = 'eks';
    const caveat = costCaveat(r.results);
    expect(caveat).toHaveLength(2);
    expect(caveat.join(' ')).not.toContain('modelled');
  });

  it('says the split cannot be told for a run recorded without the cost at on-demand prices', () => {
    expect(costCaveat(spotAgainstOnDemand(null).results)[1]).toBe(
      'results.json has no on-demand equivalent for karpenter, so how much of its lead (10.0× cheaper) is the Spot discount cannot be told; runs by this burstlab version record it.',
    );
  });
});

describe('the cost caveat in every output that names a cost winner', () => {
  const r = spotAgainstOnDemand(18);
  const { html, markdown } = renderReports(r.results, r.events, r.meta);
  const sentences = costCaveat(r.results);

  it("report.html gives the verdict's cost figure its on-demand counterpart and a link to the caveat", () => {
    expect(html).toContain('<div class="kpi-note">at on-demand prices: <strong>80% more expensive</strong> · <a href="#cost-caveat">cost caveat</a></div>');
  });

  it('report.html states the caveat in the verdict', () => {
    expect(html).toContain(`<p class="cost-caveat" id="cost-caveat"><strong>Cost caveat.</strong> ${escapeHtml(sentences.join(' '))}</p>`);
  });

  it('report.html marks total cost in the key metrics and repeats the caveat under the table', () => {
    const row = /<tr data-metric="cost\.totalUSD"><th>Total cost<a class="note-ref" href="#cost-caveat-metrics"[^>]*>†<\/a>/;
    expect(html).toMatch(row);
    expect(html).toContain(`<p id="cost-caveat-metrics"><span class="mark">†</span> <strong>Cost caveat.</strong> ${escapeHtml(sentences.join(' '))}</p>`);
  });

  it('report.html lists the cost at on-demand prices beside the cost paid', () => {
    expect(html).toMatch(/<tr data-metric="cost\.atOnDemandUSD"><th>Cost at on-demand prices<\/th><td class="">\$10\.00<span class="star-space"><\/span><\/td><td class="">\$18\.00/);
  });

  it("summary.md states the caveat right under the verdict's margins", () => {
    const margins = markdown.indexOf('- total cost:');
    const caveat = markdown.indexOf('> **Cost caveat:** cluster-autoscaler ran all its node-hours on on-demand nodes;');
    expect(margins).toBeGreaterThan(0);
    expect(caveat).toBeGreaterThan(margins);
    expect(markdown.slice(margins, caveat)).not.toContain('###');
  });

  it('summary.md marks total cost in the key metrics and points to the caveat', () => {
    expect(markdown).toMatch(/\| Total cost † \|/);
    expect(markdown).toContain('† See the cost caveat above.');
  });

  it("the terminal table ends with the caveat, in ASCII", () => {
    const table = comparisonTable(r.results);
    expect(table).toContain('cost caveat: cluster-autoscaler ran all its node-hours on on-demand nodes; karpenter ran all its node-hours on Spot nodes.\n');
    expect(table).toContain('  At on-demand prices for the same node-hours karpenter would have cost $18.00 against');
    expect(table).toContain('(10.0x cheaper)');
    expect(table).not.toContain('×');
  });

  it('no output carries a caveat when every arm ran on on-demand nodes', () => {
    const plain = spotAgainstOnDemand(4);
    costs(armOf(plain.results, 'karpenter'), 1, 1, { 'on-demand': 8 });
    const out = renderReports(plain.results, plain.events, plain.meta);
    expect(out.html).not.toContain('Cost caveat');
    expect(out.html).not.toContain('class="kpi-note"');
    expect(out.markdown).not.toContain('Cost caveat');
    expect(out.markdown).not.toContain('†');
    expect(comparisonTable(plain.results)).not.toContain('cost caveat');
  });
});

describe('the lower bound, explained where its ratio is shown', () => {
  const r = run();
  const { html, markdown } = renderReports(r.results, r.events, r.meta);

  it('defines the bound over the pods the arm ran and the offerings it may launch, and calls 1.0 unattainable', () => {
    expect(LOWER_BOUND_NOTE).toContain('the cheapest fractional cover of the CPU and memory its running pods requested, bought from the offerings the arm may launch');
    expect(LOWER_BOUND_NOTE).toContain('over time');
    expect(LOWER_BOUND_NOTE).toContain('1.00× is unattainable perfection');
  });

  it('report.html explains it in a tooltip on its row and in a note under the key metrics', () => {
    expect(html).toContain(`<tr data-metric="cost.ratioToLowerBound"><th>Cost ÷ lower bound<a class="note-ref" href="#lower-bound-note" title="${escapeHtml(LOWER_BOUND_NOTE)}">‡</a>`);
    expect(html).toContain(`<p id="lower-bound-note"><span class="mark">‡</span> ${escapeHtml(LOWER_BOUND_NOTE)}</p>`);
  });

  it('summary.md explains it under the key metrics', () => {
    expect(markdown).toMatch(/\| Cost ÷ lower bound ‡ \|/);
    expect(markdown).toContain(`‡ ${LOWER_BOUND_NOTE}`);
  });

  it('the terminal table explains it', () => {
    expect(comparisonTable(r.results)).toContain('cost / lower bound: against the cheapest fractional cover of the CPU and memory its running pods requested, from the offerings the arm may launch, over time; 1.00x is unattainable.');
  });
});

describe('a run saved before cost.atOnDemandUSD existed', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('still reads, with the cost at on-demand prices unknown rather than zero for the arm on Spot', async () => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-old-run-'));
    saveRunDir(dir, spotAgainstOnDemand(4));
    const file = join(dir, 'results.json');
    const old = JSON.parse(readFileSync(file, 'utf8')) as { autoscalers: Array<{ cost: Record<string, unknown> }> };
    for (const a of old.autoscalers) delete a.cost['atOnDemandUSD'];
    writeFileSync(file, JSON.stringify(old));
    const saved = await readRunDir(dir);
    expect(saved.results.autoscalers.map((a) => a.cost.atOnDemandUSD)).toEqual([null, null]);
    expect(costCaveat(saved.results)[1]).toMatch(/^results\.json has no on-demand equivalent for karpenter,/);
  });
});
