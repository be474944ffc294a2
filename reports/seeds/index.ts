/**
 * Reports of a multi-seed run: report.html and summary.md open with the medians and spreads across the seeds and
 * the median SLO verdict, then show the first seed in full (charts and slowest pods belong to one run);
 * junit.xml judges every SLO on the median.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SeedsResults } from '../../harness/metrics/aggregate.js';
import type { Results } from '../../harness/metrics/results.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import type { RunMeta } from '../../harness/runner/run-meta.js';
import { renderHtmlReport } from '../html/page.js';
import { REPORT_FILES } from '../index.js';
import { renderMarkdown } from '../markdown.js';
import { buildReportModel } from '../model/report-model.js';
import { seedsSection } from './seeds-html.js';
import { renderSeedsJunit } from './seeds-junit.js';
import { renderSeedsMarkdown } from './seeds-markdown.js';
import { buildSeedsModel } from './seeds-model.js';

export async function writeSeedsReports(dir: string, agg: SeedsResults, perSeed: readonly Results[], firstEvents: readonly RunEvent[], meta: RunMeta): Promise<{ files: string[] }> {
  const seeds = buildSeedsModel(agg, perSeed);
  const model = buildReportModel(perSeed[0]!, firstEvents, meta);
  const md = renderMarkdown(model);
  const [title, ...rest] = md.split('\n\n');
  const files = [
    [REPORT_FILES.html, renderHtmlReport(model, seedsSection(seeds))],
    [REPORT_FILES.junit, renderSeedsJunit(agg)],
    [REPORT_FILES.markdown, [title, renderSeedsMarkdown(seeds), `### Seed ${seeds.representative}`, ...rest].join('\n\n')],
  ] as const;
  await mkdir(dir, { recursive: true });
  await Promise.all(files.map(([name, text]) => writeFile(join(dir, name), text)));
  return { files: files.map(([name]) => join(dir, name)) };
}
