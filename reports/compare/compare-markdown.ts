/** compare.md: the comparison as a PR comment or CI summary. */
import { mdEscape } from '../markdown.js';
import type { CompareModel } from './compare-model.js';
import { describeFigure, formatDifference, formatFigure, type Fidelity } from './fidelity.js';

export function renderCompareMarkdown(m: CompareModel): string {
  const out = [`## burstlab: ${mdEscape(m.b.scenario)}, ${mdEscape(m.a.label)} vs ${mdEscape(m.b.label)}`, '', `**${mdEscape(m.headline)}**`, ''];
  if (m.warnings.length) {
    for (const w of m.warnings) out.push(`> ⚠️ ${mdEscape(w)}`);
    out.push('');
  }
  out.push(`_${mdEscape(m.rule)}_`, '');
  if (m.fidelity) for (const line of fidelityMarkdown(m.fidelity)) out.push(line);
  const slo = (v: boolean | null): string => (v === null ? '–' : v ? '✅ met' : '❌ missed');
  for (const a of m.arms) {
    out.push(`### ${mdEscape(a.name)}`, '', `SLOs: ${mdEscape(m.a.label)} ${slo(a.slo.a)} → ${mdEscape(m.b.label)} ${slo(a.slo.b)}`, '');
    for (const c of a.sloChanges) out.push(`- ${mdEscape(c.metric)} ${c.kind === 'broken' ? 'now missed' : 'now met'}: ${c.significant ? 'beyond noise' : 'within noise'} (${mdEscape(c.why)})`);
    if (a.sloChanges.length) out.push('');
    if (a.metrics.length === 0) continue;
    out.push(`| Metric | ${mdEscape(m.a.label)} | ${mdEscape(m.b.label)} | Change | Why |`, '| --- | ---: | ---: | ---: | --- |');
    for (const r of a.metrics) {
      const mark = r.verdict === 'worse' ? ' 🔺 worse' : r.verdict === 'better' ? ' 🟢 better' : r.verdict === 'noise' ? ' ~ noise?' : '';
      out.push(`| ${mdEscape(r.label)} | ${mdEscape(r.a)} | ${mdEscape(r.b)} | ${mdEscape(r.change)}${mark} | ${mdEscape(r.why)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The sim vs live agreement: per arm and figure, both values, the difference and the goal. */
function fidelityMarkdown(f: Fidelity): string[] {
  const out = [`### Sim vs live (${mdEscape(f.liveTarget)}, seed ${f.seed}): ${f.pass ? 'agree' : 'do not agree'}`, ''];
  out.push('| Arm | Figure | sim | live | Difference | Goal | |', '| --- | --- | ---: | ---: | ---: | ---: | --- |');
  for (const arm of f.arms) {
    for (const x of arm.figures) {
      out.push(`| ${mdEscape(arm.name)} | ${x.label} | ${formatFigure(x.sim, x.unit)} | ${formatFigure(x.live, x.unit)} | ${formatDifference(x.difference)} | ±${Math.round(x.goal * 100)}% | ${x.pass ? '✅' : '❌'} |`);
    }
  }
  if (f.unmatched.length) out.push('', `Not in both runs: ${mdEscape(f.unmatched.join(', '))}.`);
  const missed = f.arms.flatMap((arm) => arm.figures.filter((x) => !x.pass).map((x) => `${arm.name} ${describeFigure(x)}`));
  if (missed.length) out.push('');
  for (const line of missed) out.push(`- ${mdEscape(line)}`);
  out.push('');
  return out;
}
