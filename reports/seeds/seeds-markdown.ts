/** The multi-seed section at the top of summary.md. */
import { mdEscape } from '../markdown.js';
import type { SeedsModel } from './seeds-model.js';

export function renderSeedsMarkdown(m: SeedsModel): string {
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const out = [
    `### Across ${m.seeds.length} seeds (${m.seeds.join(', ')})`,
    '',
    ...m.slo.map((s) => `- ${mdEscape(s.arm)}: SLOs ${s.passed ? '✅ met' : `❌ missed (${mdEscape(s.failing.join(', '))})`} on the median; ${s.seedsFailed} of ${m.seeds.length} seeds missed them`),
    '',
    `_Median [min–max] over the seeds. SLO rule: ${mdEscape(m.rule)}. The sections below show seed ${m.representative} alone._`,
    '',
    row(['Metric', ...m.arms.map(mdEscape)]),
    row(['---', ...m.arms.map(() => '---:')]),
    ...m.rows.map((r) => row([mdEscape(r.label), ...r.cells.map(mdEscape)])),
    '',
  ];
  return out.join('\n');
}
