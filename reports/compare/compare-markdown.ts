/** compare.md: the comparison as a PR comment or CI summary. */
import { mdEscape } from '../markdown.js';
import type { CompareModel } from './compare-model.js';

export function renderCompareMarkdown(m: CompareModel): string {
  const out = [`## burstlab: ${mdEscape(m.b.scenario)}, ${mdEscape(m.a.label)} vs ${mdEscape(m.b.label)}`, '', `**${mdEscape(m.headline)}**`, ''];
  const slo = (v: boolean | null): string => (v === null ? '–' : v ? '✅ met' : '❌ missed');
  for (const a of m.arms) {
    out.push(`### ${mdEscape(a.name)}`, '', `SLOs: ${mdEscape(m.a.label)} ${slo(a.slo.a)} → ${mdEscape(m.b.label)} ${slo(a.slo.b)}`, '');
    if (a.metrics.length === 0) continue;
    out.push(`| Metric | ${mdEscape(m.a.label)} | ${mdEscape(m.b.label)} | Change |`, '| --- | ---: | ---: | ---: |');
    for (const r of a.metrics) {
      const mark = r.verdict === 'worse' ? ' 🔺' : r.verdict === 'better' ? ' 🟢' : '';
      out.push(`| ${mdEscape(r.label)} | ${mdEscape(r.a)} | ${mdEscape(r.b)} | ${mdEscape(r.change)}${mark} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
