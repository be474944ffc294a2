import { expect, test, type Page } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import { reportFromSim, type ReportRun } from '../support/report-runs.js';

let run: ReportRun;

test.beforeAll(async ({}, info) => {
  run = await reportFromSim(info.outputPath('spot-interruption'), 'scenarios/spot-interruption.yaml');
});

async function open(page: Page, file: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => document.documentElement.dataset.charts !== undefined);
  return errors;
}

/** Pixels of the impact windows' band (the fault red at 8% on the transparent canvas): the opaque red line is not counted. */
async function shadedPixels(page: Page): Promise<number> {
  return page.locator('figure[data-chart] canvas').first().evaluate((c: HTMLCanvasElement) => {
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i + 3]! >= 10 && px[i + 3]! <= 40 && px[i]! - px[i + 1]! > 100) n++;
    return n;
  });
}

test('the fault table gives each arm its displaced pods, recovery and failed requests for the Spot wave', async ({ page }, info) => {
  info.annotations.push({ type: 'input', description: run.source });
  const errors = await open(page, run.html);
  const row = page.locator('table.fault-impact tr[data-fault="faults[0]"]');
  await expect(row).toBeVisible();
  await expect(row).toContainText('spot-interruption');
  for (const a of run.results.autoscalers) {
    const f = a.faults![0]!;
    await expect(row).toContainText(String(f.pods.displaced));
    await expect(row).toContainText(f.requests.failed.toLocaleString('en-US'));
  }
  await expect(page.locator('table.fault-impact thead')).toContainText('cluster-autoscaler');
  await expect(page.locator('table.fault-impact thead')).toContainText('karpenter');
  await expect(page.locator('#verdict')).toContainText('Worst fault for karpenter: the spot-interruption');
  expect(await shadedPixels(page)).toBeGreaterThan(2000);
  expect(errors).toEqual([]);
});
