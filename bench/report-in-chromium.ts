import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';

/** Chromium from Debian, with the flags that keep it from dialling out (see playwright.config.ts). */
const CHROMIUM = {
  executablePath: process.env.BURSTLAB_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** Times to the report's first chart and to all its charts (ms), over `loads` fresh page loads of a report.html. */
export async function chartTimesInChromium(file: string, loads: number): Promise<{ firstChartMs: number[]; allChartsMs: number[] }> {
  const firstChartMs: number[] = [];
  const allChartsMs: number[] = [];
  const browser = await chromium.launch(CHROMIUM);
  try {
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => document.documentElement.dataset.charts !== undefined);
      const [first, all] = await page.evaluate(() => ['burstlab:first-chart', 'burstlab:all-charts'].map((m) => performance.getEntriesByName(m)[0]?.startTime ?? NaN));
      firstChartMs.push(first!);
      allChartsMs.push(all!);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { firstChartMs, allChartsMs };
}
