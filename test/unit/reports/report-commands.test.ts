import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../harness/runner/cli.js';
import { makeReportFixture } from '../../support/report-fixture.js';
import { saveRunDir } from '../../support/report-run-dir.js';
import { liveFixture, simFixture } from '../../support/fidelity-runs.js';
import { tempDirs } from '../../support/temp-dirs.js';

const tempDir = tempDirs('burstlab-report-');

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, signal: new AbortController().signal };
  return main(args, io).then((code) => ({ code, out, err }));
}

const tmp = (): string => tempDir();

describe('burstlab report', () => {
  it('writes report.html, junit.xml and summary.md into the run directory', async () => {
    const dir = saveRunDir(join(tmp(), 'run'), makeReportFixture({ durationS: 1_800, peakPods: 120 }));
    const r = await cli(['report', dir]);
    expect(r.code).toBe(0);
    for (const f of ['report.html', 'junit.xml', 'summary.md']) expect(existsSync(join(dir, f))).toBe(true);
    expect(r.out.trim().split('\n')).toHaveLength(3);
  });

  it('exits 2 naming the directory when it does not exist', async () => {
    const r = await cli(['report', '/nonexistent/run']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('run directory not found: /nonexistent/run');
    expect(r.err).toContain('hint:');
  });

  it('exits 2 naming the missing files of an incomplete run directory', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'results.json'), '{}');
    const r = await cli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing events.jsonl, run.json');
  });

  it('exits 2 with the path of each problem in a malformed results.json', async () => {
    const run = makeReportFixture({ durationS: 1_800, peakPods: 60 });
    const dir = saveRunDir(join(tmp(), 'run'), run);
    const broken = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    broken.autoscalers[1].podToReady.p99 = 'slow';
    writeFileSync(join(dir, 'results.json'), JSON.stringify(broken));
    const r = await cli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('autoscalers[1].podToReady.p99');
  });

  it('exits 2 with the line number of a broken event', async () => {
    const dir = saveRunDir(join(tmp(), 'run'), makeReportFixture({ durationS: 1_800, peakPods: 60 }));
    writeFileSync(join(dir, 'events.jsonl'), '{"t":0,"autoscaler":"a","type":"run.finished"}\nnot json\n');
    const r = await cli(['report', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('line 2');
  });
});

describe('burstlab compare', () => {
  it('writes compare.html and compare.md by default beside the candidate run, in a folder named after both runs', async () => {
    const root = tmp();
    const a = saveRunDir(join(root, 'last-night'), makeReportFixture({ durationS: 1_800, peakPods: 120, seed: 1 }));
    const b = saveRunDir(join(root, 'tonight'), makeReportFixture({ durationS: 1_800, peakPods: 120, seed: 2 }));
    const r = await cli(['compare', a, b]);
    expect(r.code).toBe(0);
    const md = readFileSync(join(root, 'last-night-vs-tonight', 'compare.md'), 'utf8');
    expect(md).toContain('## burstlab: market-open, last-night vs tonight');
    expect(md).toContain('### karpenter');
    expect(existsSync(join(root, 'last-night-vs-tonight', 'compare.html'))).toBe(true);
  });

  it('exits 2 when given one run directory', async () => {
    const r = await cli(['compare', tmp()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('compare needs two run directories');
  });
});

describe('sim vs live', () => {
  function simAndLive(moves: Parameters<typeof liveFixture>[1], liveSeed = 11): { root: string; sim: string; live: string } {
    const root = tmp();
    const sim = simFixture();
    return { root, sim: saveRunDir(join(root, 'sim'), sim), live: saveRunDir(join(root, 'kwok'), liveFixture(liveSeed === 11 ? sim : simFixture(liveSeed), moves)) };
  }

  it('compare prints each arm\'s agreement figures with their difference and goal, and writes them into compare.md', async () => {
    const { root, sim, live } = simAndLive({ karpenter: { p99: 0.47 } });
    const r = await cli(['compare', sim, live]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Sim and kwok do not agree: 1 of 6 figures outside their goals. The changes below are live against sim, not regressions.');
    expect(r.out).toContain('sim vs kwok (seed 11): do not agree');
    expect(r.out).toContain('  karpenter pod-to-ready p99 86.1 s → 126.6 s (+47%, goal ±15%) MISS');
    expect(r.out).toContain('  cluster-autoscaler peak nodes 10 → 10 (±0%, goal ±10%) ok');
    const md = readFileSync(join(root, 'sim-vs-kwok', 'compare.md'), 'utf8');
    expect(md).toContain('### Sim vs live (kwok, seed 11): do not agree');
    expect(md).toContain('| karpenter | pod-to-ready p99 | 86.1 s | 126.6 s | +47% | ±15% | ❌ |');
    expect(readFileSync(join(root, 'sim-vs-kwok', 'compare.html'), 'utf8')).toContain('<section id="fidelity" data-pass="false">');
  });

  it('compare exits 2 with a hint when the sim and live runs are on different seeds', async () => {
    const { sim, live } = simAndLive({}, 12);
    const r = await cli(['compare', sim, live]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('as sim vs live: different seeds: 11 vs 12');
    expect(r.err).toContain('hint: run the sim on the live run\'s scenario file and seed');
  });

  it('report --sim-baseline puts the sim vs live line in summary.md and report.html', async () => {
    const { sim, live } = simAndLive({ karpenter: { p50: 0.05 } });
    const r = await cli(['report', live, '--sim-baseline', sim]);
    expect(r.code).toBe(0);
    const line = 'sim vs live (kwok, seed 11): cluster-autoscaler agrees (p50 ±0%, p99 ±0%, peak nodes ±0%); karpenter agrees (p50 +5.0%, p99 ±0%, peak nodes ±0%)';
    expect(readFileSync(join(live, 'summary.md'), 'utf8')).toContain(`**${line}**`);
    expect(readFileSync(join(live, 'report.html'), 'utf8')).toContain('<dt>Sim vs live</dt>');
  });

  it('report --sim-baseline exits 2 when the baseline is not a sim run', async () => {
    const { sim, live } = simAndLive({});
    const r = await cli(['report', sim, '--sim-baseline', live]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--sim-baseline applies to a live run');
  });
});
