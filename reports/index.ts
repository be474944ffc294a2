/**
 * Reports for one run: report.html (self-contained), junit.xml and summary.md, all rendered from one model.
 * `burstlab run` calls writeReports after saving the run; `burstlab report` calls it on a saved run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Results } from '../harness/metrics/results.js';
import type { RunEvent } from '../provisioner/runtime/events.js';
import type { RunMeta } from '../harness/runner/run-meta.js';
import { renderHtmlReport } from './html/page.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { buildReportModel, type ModelOptions } from './model/report-model.js';
import type { ArmEvents } from './model/timeline.js';

export const REPORT_FILES = { html: 'report.html', junit: 'junit.xml', markdown: 'summary.md' } as const;

export interface RenderedReports {
  html: string;
  junit: string;
  markdown: string;
}

export function renderReports(results: Results, events: readonly RunEvent[] | ArmEvents, meta: RunMeta): RenderedReports {
  const model = buildReportModel(results, events, meta);
  return { html: renderHtmlReport(model), junit: renderJunit(results), markdown: renderMarkdown(model) };
}

/**
 * `between` is awaited between the rendering steps, each a long synchronous stretch on a big run, so a caller can
 * yield there to see a Ctrl-C (and stop by throwing).
 */
export async function writeReports(
  dir: string,
  results: Results,
  events: readonly RunEvent[] | ArmEvents,
  meta: RunMeta,
  between?: () => Promise<void>,
  options: Pick<ModelOptions, 'simVsLive'> = {},
): Promise<{ files: string[] }> {
  await between?.();
  const model = buildReportModel(results, events, meta, options);
  await between?.();
  const rendered: RenderedReports = { html: renderHtmlReport(model), junit: renderJunit(results), markdown: renderMarkdown(model) };
  await between?.();
  await mkdir(dir, { recursive: true });
  const files = [
    [REPORT_FILES.html, rendered.html],
    [REPORT_FILES.junit, rendered.junit],
    [REPORT_FILES.markdown, rendered.markdown],
  ] as const;
  await Promise.all(files.map(([name, text]) => writeFile(join(dir, name), text)));
  return { files: files.map(([name]) => join(dir, name)) };
}
