import { expect, test, type Page } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import { agreeingPeerReport, differingPeerReport, UPSTREAM_ARM } from '../support/peer-run.js';
import { reportFromSim, type ReportRun } from '../support/report-runs.js';

let peers: ReportRun;
let agreeing: ReportRun;
let plain: ReportRun;

test.beforeAll(async ({}, info) => {
  peers = await differingPeerReport(info.outputPath('differing'));
  agreeing = await agreeingPeerReport(info.outputPath('agreeing'));
  plain = await reportFromSim(info.outputPath('plain'), 'scenarios/quickstart.yaml');
});

async function open(page: Page, file: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.documentElement.dataset.charts !== undefined);
  return errors;
}

const pct = (b: number, u: number): string => `${b - u > 0 ? '+' : ''}${(((b - u) / u) * 100).toFixed(1)}%`;

test('the agreement section sets the bundled Karpenter beside the real one, with each goal passed or failed', async ({ page }, info) => {
  info.annotations.push({ type: 'input', description: peers.source });
  const errors = await open(page, peers.html);
  const section = page.locator('#agreement');
  await expect(section).toBeVisible();
  const bundled = peers.results.autoscalers.find((a) => a.kind === 'karpenter')!;
  const upstream = peers.results.autoscalers.find((a) => a.name === UPSTREAM_ARM)!;

  const nodes = section.locator('tr[data-metric="nodes launched"] td');
  await expect(nodes.nth(0)).toHaveText(String(bundled.nodes.launched));
  await expect(nodes.nth(1)).toHaveText(String(upstream.nodes.launched));
  await expect(nodes.nth(2)).toHaveText(pct(bundled.nodes.launched, upstream.nodes.launched));
  const nodesPass = Math.abs(bundled.nodes.launched - upstream.nodes.launched) / upstream.nodes.launched <= 0.1;
  await expect(nodes.nth(3)).toHaveAttribute('data-goal', nodesPass ? 'pass' : 'fail');
  const costPass = Math.abs(bundled.cost.totalUSD - upstream.cost.totalUSD) / upstream.cost.totalUSD <= 0.1;
  await expect(section.locator('tr[data-metric="cost"] td').nth(3)).toHaveAttribute('data-goal', costPass ? 'pass' : 'fail');
  const p99Pass = Math.abs(bundled.podToReady.p99 - upstream.podToReady.p99) / upstream.podToReady.p99 <= 0.15;
  await expect(section.locator('tr[data-metric="pod-to-ready p99"] td').nth(3)).toHaveAttribute('data-goal', p99Pass ? 'pass' : 'fail');
  await expect(section).toHaveAttribute('data-passed', String(nodesPass && costPass && p99Pass));
  await expect(page.locator('#agreement-verdict')).toContainText(nodesPass && costPass && p99Pass ? 'Agrees' : 'Differs');

  // Every type either launched, with each arm's count.
  const types = [...new Set([...Object.keys(bundled.instanceTypes), ...Object.keys(upstream.instanceTypes)])];
  await expect(section.locator('table[data-table="instance-types"] tbody tr')).toHaveCount(types.length);
  for (const t of types) {
    const cells = section.locator(`tr[data-type="${t}"] td`);
    await expect(cells.nth(0)).toHaveText(String(bundled.instanceTypes[t] ?? 0));
    await expect(cells.nth(1)).toHaveText(String(upstream.instanceTypes[t] ?? 0));
  }
  // Where they differ, the batch is named with each arm's choice: here the "upstream" is an m5.4xlarge group.
  await expect(section.locator('#agreement-batches li').first()).toContainText(/^batch 1 \(bundled at \d+ s, upstream at \d+ s\): bundled chose .*; upstream chose \d+ m5\.4xlarge$/);
  expect(nodesPass && costPass && p99Pass).toBe(false);
  await expect(page.locator(`#arm-components tr[data-arm="${UPSTREAM_ARM}"]`)).toContainText('v1.14.3');
  expect(errors).toEqual([]);
  await section.screenshot({ path: info.outputPath('agreement-section.png') });
});

test('arms that chose the same instance types in every batch agree, and the report says so', async ({ page }) => {
  const errors = await open(page, agreeing.html);
  await expect(page.locator('#agreement')).toHaveAttribute('data-passed', 'true');
  await expect(page.locator('#agreement-verdict')).toContainText('Agrees: every goal is met');
  await expect(page.locator('#agreement td[data-goal="fail"]')).toHaveCount(0);
  await expect(page.locator('#agreement-batches')).toHaveText('Every launch batch got the same instance types on both.');
  expect(errors).toEqual([]);
});

test('a run without both Karpenter arms has no agreement section', async ({ page }) => {
  const errors = await open(page, plain.html);
  await expect(page.locator('#agreement')).toHaveCount(0);
  expect(errors).toEqual([]);
});
