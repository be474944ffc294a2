import { expect, test, type Page } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import { reportFromFixture, type ReportRun } from '../support/report-runs.js';

let disrupted: ReportRun;
let plain: ReportRun;

test.beforeAll(async ({}, info) => {
  disrupted = await reportFromFixture(info.outputPath('disrupted'), { durationS: 7_200, peakPods: 60, disruption: true });
  plain = await reportFromFixture(info.outputPath('plain'), { durationS: 7_200, peakPods: 60 });
});

async function open(page: Page, file: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.documentElement.dataset.charts !== undefined);
  return errors;
}

/** Pixels of the disruption markers' purple (#7048e8) on a chart's canvas, antialiased edges included. */
async function purplePixels(page: Page, chart: string): Promise<number> {
  return page.locator(`figure[data-chart="${chart}"] canvas`).evaluate((c: HTMLCanvasElement) => {
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i + 3]! > 0 && Math.abs(px[i]! - 0x70) < 12 && Math.abs(px[i + 1]! - 0x48) < 12 && Math.abs(px[i + 2]! - 0xe8) < 12) n++;
    return n;
  });
}

test('the disruption section draws nodes removed per reason for the arm that decided', async ({ page }, info) => {
  info.annotations.push({ type: 'input', description: disrupted.source });
  const errors = await open(page, disrupted.html);
  await expect(page.locator('#disruption')).toBeVisible();
  const fig = page.locator('figure[data-chart="disruption-nodes-1"]');
  await expect(fig).toHaveAttribute('data-rendered', 'true');
  expect(Number(await fig.getAttribute('data-points'))).toBeGreaterThan(0);
  await expect(fig.locator('.u-legend')).toContainText('Empty · removed');
  await expect(fig.locator('.u-legend')).toContainText('Interrupted · removed');
  await expect(page.locator('#disruption .no-decisions[data-arm="cluster-autoscaler"]')).toBeVisible();
  await expect(page.locator('#disruption table[data-table="blocked"]')).toContainText('blocked by a disruption budget');
  await expect(page.locator('#disruption table[data-table="pods"]')).toContainText('Interrupted');
  expect(errors).toEqual([]);
  await page.locator('#disruption').screenshot({ path: info.outputPath('disruption-section.png') });
});

test('disruption decisions are marked on the time charts', async ({ page }) => {
  await open(page, disrupted.html);
  expect(await purplePixels(page, 'pending')).toBeGreaterThan(50);
  await open(page, plain.html);
  expect(await purplePixels(page, 'pending')).toBe(0);
});

test('a run without disruption events has no disruption section', async ({ page }) => {
  const errors = await open(page, plain.html);
  await expect(page.locator('#disruption')).toHaveCount(0);
  await expect(page.locator('figure[data-chart^="disruption-nodes-"]')).toHaveCount(0);
  expect(errors).toEqual([]);
});
