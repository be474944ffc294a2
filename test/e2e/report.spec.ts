import { expect, test, type Page } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { writeComparison } from '../../reports/compare/index.js';
import { reportFromFixture, reportFromSim, simRun, type ReportRun } from '../support/report-runs.js';
import { saveRunDir } from '../support/report-run-dir.js';

let run: ReportRun;

test.beforeAll(async ({}, info) => {
  run = await reportFromSim(info.outputPath('quickstart-run'), 'scenarios/quickstart.yaml');
});

interface Watch {
  errors: string[];
  requests: string[];
}

/** Opens the report from file:// and records console errors, page errors and every non-file request. */
async function open(page: Page, file: string): Promise<Watch> {
  const watch: Watch = { errors: [], requests: [] };
  page.on('console', (m) => m.type() === 'error' && watch.errors.push(m.text()));
  page.on('pageerror', (e) => watch.errors.push(e.message));
  page.on('request', (r) => !r.url().startsWith('file:') && watch.requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.documentElement.dataset.charts !== undefined);
  return watch;
}

test('every chart renders with data', async ({ page }, info) => {
  info.annotations.push({ type: 'input', description: run.source });
  await open(page, run.html);
  const figures = page.locator('figure[data-chart]');
  const ids = await figures.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.chart!));
  expect(ids).toEqual(expect.arrayContaining(['traffic', 'replicas', 'pending', 'nodes-capacity-0', 'nodes-type-1', 'cost-rate', 'cost-total', 'pod-to-ready-cdf', 'pod-to-ready-histogram', 'node-launch-cdf']));
  for (const id of ids) {
    const fig = page.locator(`figure[data-chart="${id}"]`);
    await expect(fig, `chart ${id}`).toHaveAttribute('data-rendered', 'true');
    expect(Number(await fig.getAttribute('data-points')), `points in ${id}`).toBeGreaterThan(0);
    const inked = await fig.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
      return n;
    });
    expect(inked, `drawn pixels in ${id}`).toBeGreaterThan(500);
  }
  await page.screenshot({ path: info.outputPath('report-full.png'), fullPage: true });
  await page.screenshot({ path: info.outputPath('report-top.png') });
});

test('the verdict matches results.json', async ({ page }) => {
  await open(page, run.html);
  for (const a of run.results.autoscalers) {
    const card = page.locator(`.arm-card[data-arm="${a.name}"]`);
    await expect(card).toHaveAttribute('data-slo', a.slo.passed ? 'pass' : 'fail');
    await expect(card.locator('.badge')).toHaveText(a.slo.passed ? 'SLOs met' : 'SLOs missed');
    await expect(card.locator('.checks li.fail')).toHaveCount(a.slo.checks.filter((c) => !c.passed).length);
    await expect(card.locator('.checks li.pass')).toHaveCount(a.slo.checks.filter((c) => c.passed).length);
  }
  const passed = run.results.autoscalers.filter((a) => a.slo.passed);
  if (passed.length === 1) await expect(page.locator('#verdict')).toHaveAttribute('data-winner', passed[0]!.name);
});

test("the pod-to-ready CDF ends on each autoscaler's slowest pod from results.json", async ({ page }) => {
  await open(page, run.html);
  const data = JSON.parse((await page.locator('#burstlab-data').textContent())!) as { charts: Array<{ id: string; x: number[]; series: Array<{ values: Array<number | null> }> }> };
  const chart = data.charts.find((c) => c.id === 'pod-to-ready-cdf')!;
  run.results.autoscalers.forEach((a, i) => {
    const values = chart.series[i]!.values;
    const last = values.findLastIndex((v) => v !== null);
    expect(chart.x[last], a.name).toBeCloseTo(a.podToReady.max, 1);
    expect(values[last]).toBe(1);
  });
});

test('the report makes no network requests and logs no errors', async ({ page }) => {
  const watch = await open(page, run.html);
  await page.locator('figure[data-chart="traffic"] .u-over').hover();
  expect(watch.requests).toEqual([]);
  expect(watch.errors).toEqual([]);
});

test('hovering one time chart moves the cursor on all of them', async ({ page }) => {
  await open(page, run.html);
  await page.locator('figure[data-chart="pending"] .u-over').hover({ position: { x: 300, y: 50 } });
  const left = (id: string): Promise<string> => page.locator(`figure[data-chart="${id}"] .u-cursor-x`).evaluate((e) => (e as HTMLElement).style.transform);
  expect(await left('replicas')).toBe(await left('pending'));
  expect(await left('traffic')).toBe(await left('pending'));
});

test('names holding markup are shown as text and run nothing', async ({ page }, info) => {
  const hostile = await reportFromFixture(info.outputPath('hostile-run'), { durationS: 1_800, peakPods: 60, hostileNames: true });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const watch = await open(page, hostile.html);
  await expect(page.locator('#scenario-name')).toHaveText(hostile.results.scenario.name);
  await expect(page.locator('table.slow code').filter({ hasText: '<script>alert("pod")</script>' }).first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-charts', 'ready');
  expect(await page.locator('script').count()).toBe(3);
  expect(dialogs).toEqual([]);
  expect(watch.errors).toEqual([]);
  await page.screenshot({ path: info.outputPath('hostile-names.png') });
});

test('the comparison of two runs renders its charts with no errors and no requests', async ({ page }, info) => {
  const [a, b] = await Promise.all(
    [7, 8].map(async (seed) => {
      const run = await simRun('scenarios/quickstart.yaml', seed);
      return { dir: saveRunDir(info.outputPath(`night-${seed}`), run), ...run };
    }),
  );
  const out = info.outputPath('compare');
  await writeComparison(a!, b!, { a: 'night-7', b: 'night-8' }, out);
  const watch = await open(page, join(out, 'compare.html'));
  await expect(page.locator('html')).toHaveAttribute('data-charts', 'ready');
  for (const id of ['compare-pending', 'compare-cost', 'compare-cdf']) {
    expect(Number(await page.locator(`figure[data-chart="${id}"]`).getAttribute('data-points')), id).toBeGreaterThan(0);
  }
  await expect(page.locator('section.arm-changes')).toHaveCount(2);
  expect(watch.errors).toEqual([]);
  expect(watch.requests).toEqual([]);
  await page.screenshot({ path: info.outputPath('compare.png'), fullPage: true });
});

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const visibleTexts = (page: Page, selector: string): Promise<string[]> =>
  page.locator(selector).evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => e.textContent ?? ''));

test('a legend names the series until the cursor is on a chart, then shows every value at that instant', async ({ page }) => {
  await open(page, run.html);
  const legend = (id: string): string => `figure[data-chart="${id}"] .u-legend`;
  expect(await visibleTexts(page, `${legend('pending')} .u-value`)).toEqual([]);
  expect((await page.locator(legend('pending')).innerText()).trim()).not.toMatch(/Time|–/);
  expect(await visibleTexts(page, `${legend('pending')} th`)).toEqual(run.results.autoscalers.map((a) => a.name));

  await page.locator('figure[data-chart="pending"] .u-over').hover({ position: { x: 300, y: 50 } });
  for (const id of ['pending', 'replicas', 'cost-total']) {
    const values = await visibleTexts(page, `${legend(id)} .u-value`);
    expect(values[0], `time in the ${id} legend`).toMatch(/^\d\d:\d\d:\d\d UTC/);
    expect(values.slice(1).length, `values in the ${id} legend`).toBeGreaterThan(0);
    for (const v of values.slice(1)) expect(v, `a value in the ${id} legend`).toMatch(/\d/);
  }

  await page.locator('#scenario-name').hover();
  expect(await visibleTexts(page, `${legend('pending')} .u-value`)).toEqual([]);
});

test("a CDF's legend reads every arm's share at the hovered latency, also where only one arm has a point", async ({ page }) => {
  await open(page, run.html);
  const over = page.locator('figure[data-chart="pod-to-ready-cdf"] .u-over');
  const box = (await over.boundingBox())!;
  for (const f of [0.2, 0.5, 0.8, 0.95]) {
    await over.hover({ position: { x: box.width * f, y: box.height / 2 } });
    const values = await visibleTexts(page, 'figure[data-chart="pod-to-ready-cdf"] .u-legend .u-value');
    expect(values[0], 'the hovered latency').toMatch(/\d (s|min|h)$/);
    expect(values.slice(1)).toHaveLength(run.results.autoscalers.length);
    for (const v of values.slice(1)) expect(v).toMatch(/^\d+(\.\d)?%$/);
  }
});

test('phase names sit in a band above the plot area, clear of every curve, also when zoomed', async ({ page }, info) => {
  test.setTimeout(180_000);
  const market = await reportFromSim(info.outputPath('market-open-run'), 'scenarios/market-open.yaml');
  await open(page, market.html);
  const check = async (): Promise<string[]> => {
    const charts = await page.locator('figure[data-chart]').evaluateAll((figs) =>
      figs
        .filter((f) => f.querySelector('.phase-band'))
        .map((f) => {
          const rect = (e: Element): Box => {
            const r = e.getBoundingClientRect();
            return { x: r.x, y: r.y, width: r.width, height: r.height };
          };
          return { id: (f as HTMLElement).dataset.chart!, over: rect(f.querySelector('.u-over')!), labels: [...f.querySelectorAll('.phase-label')].map((l) => ({ text: l.textContent!, box: rect(l) })) };
        }),
    );
    expect(charts.length, 'time charts with a phase band').toBeGreaterThanOrEqual(10);
    for (const c of charts) {
      expect(c.labels.length, `phase labels on ${c.id}`).toBeGreaterThan(0);
      c.labels.forEach((l, i) => {
        expect(l.box.y + l.box.height, `"${l.text}" on ${c.id} ends above the plot area`).toBeLessThanOrEqual(c.over.y + 0.5);
        expect(l.box.y, `"${l.text}" on ${c.id} is on the chart`).toBeGreaterThan(c.over.y - 30);
        expect(l.box.x, `"${l.text}" on ${c.id} starts within the plot's width`).toBeGreaterThanOrEqual(c.over.x - 0.5);
        expect(l.box.x + l.box.width, `"${l.text}" on ${c.id} ends within the plot's width`).toBeLessThanOrEqual(c.over.x + c.over.width + 0.5);
        const next = c.labels[i + 1];
        if (next) expect(l.box.x + l.box.width, `"${l.text}" and "${next.text}" on ${c.id}`).toBeLessThanOrEqual(next.box.x);
      });
    }
    return charts.find((c) => c.id === 'traffic')!.labels.map((l) => l.text);
  };
  const phases = market.results.phases.map((p) => p.name);
  const whole = await check();
  expect(phases).toEqual(expect.arrayContaining(whole));
  await page.locator('figure[data-chart="traffic"]').screenshot({ path: info.outputPath('phases-whole-run.png') });

  await page.locator('button[data-zoom-start]', { hasText: 'the spike' }).click();
  expect(await check()).toContain('the spike');
  await page.locator('figure[data-chart="traffic"]').screenshot({ path: info.outputPath('phases-the-spike.png') });
});
