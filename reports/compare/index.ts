/**
 * `burstlab compare`: compare.html and compare.md for two saved runs, and compare.json, which names them and marks
 * the folder as a comparison (so a later compare may replace it, and nothing else).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SavedRun } from '../run-dir.js';
import { renderCompareHtml } from './compare-html.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { buildCompareModel, type CompareModel, type CompareOptions } from './compare-model.js';

/** compare.json's schema marker: what makes a folder a comparison that a new `burstlab compare` may replace. */
export const COMPARE_SCHEMA = 'burstlab/compare/v1';

export async function writeComparison(a: SavedRun, b: SavedRun, labels: { a: string; b: string }, outDir: string, options: CompareOptions = {}): Promise<{ files: string[]; model: CompareModel }> {
  const model = buildCompareModel(a, b, labels, options);
  await mkdir(outDir, { recursive: true });
  const files: Array<[string, string]> = [
    ['compare.html', renderCompareHtml(model)],
    ['compare.md', renderCompareMarkdown(model)],
    ['compare.json', JSON.stringify({ schema: COMPARE_SCHEMA, baseline: a.dir, candidate: b.dir, regressions: model.regressions }, null, 2) + '\n'],
  ];
  await Promise.all(files.map(([name, text]) => writeFile(join(outDir, name), text)));
  return { files: files.map(([name]) => join(outDir, name)), model };
}
