import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../harness/runner/cli.js';
import { snapshot } from '../support/cli.js';

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, signal: new AbortController().signal };
  return main(args, io).then((code) => ({ code, out, err }));
}

const quickstart = readFileSync('scenarios/quickstart.yaml', 'utf8');

describe('burstlab compare', () => {
  let dir: string;
  const runs = { seed42: '', seed7: '', slowCloud: '', renamed: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-compare-'));
    // The same scenario with instances that take minutes to register: a real regression for both arms.
    const slow = join(dir, 'slow.yaml');
    writeFileSync(slow, quickstart.replace(/^duration: 1h$/m, 'duration: 1h\ncloud: { profile: aws, launchToRegistered: { median: 3m, p90: 4m } }'));
    const renamed = join(dir, 'renamed.yaml');
    writeFileSync(renamed, quickstart.replace(/^name: quickstart$/m, 'name: quickstart-copy'));
    const make = async (key: keyof typeof runs, file: string, ...args: string[]): Promise<void> => {
      runs[key] = join(dir, key);
      expect((await cli(['run', file, '--quiet', '--no-report', '--out', runs[key], ...args])).code).toBeLessThanOrEqual(1);
    };
    await make('seed42', 'scenarios/quickstart.yaml', '--seed', '42');
    await make('seed7', 'scenarios/quickstart.yaml', '--seed', '7');
    await make('slowCloud', slow, '--seed', '7');
    await make('renamed', renamed, '--seed', '7');
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports no regression between seed 42 and seed 7 of the same scenario, and exits 0 with --fail-on-regression', async () => {
    const r = await cli(['compare', runs.seed42, runs.seed7, '--fail-on-regression', '--out', join(dir, 'c1')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No regression can be called: .* single runs on different seeds \(42 vs 7\)/);
    expect(r.out).not.toMatch(/worse:/);
    expect(r.err).toContain('warning: different seeds (42 vs 7)');
    expect(r.err).not.toContain('different scenarios');
  });

  it('reports a much slower cloud as a regression, warns that the scenarios differ, and exits 1 with --fail-on-regression', async () => {
    const r = await cli(['compare', runs.seed7, runs.slowCloud, '--fail-on-regression', '--out', join(dir, 'c2')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^\d+ regressions in slowCloud against seed7/);
    expect(r.out).toContain("worse: karpenter SLO podToReady.p99 now missed");
    expect(r.out).toMatch(/worse: cluster-autoscaler Pod-to-ready p99: /);
    expect(r.err).toContain("warning: different scenarios: both are named 'quickstart' but their contents differ");
    expect(readFileSync(join(dir, 'c2', 'compare.md'), 'utf8')).toContain('⚠️ different scenarios');
  });

  it('exits 0 on the same regression without --fail-on-regression', async () => {
    expect((await cli(['compare', runs.seed7, runs.slowCloud, '--out', join(dir, 'c3')])).code).toBe(0);
  });

  it('warns when the two runs are of differently named scenarios', async () => {
    const r = await cli(['compare', runs.seed7, runs.renamed, '--out', join(dir, 'c4')]);
    expect(r.err).toContain("warning: different scenarios: seed7 ran 'quickstart', renamed ran 'quickstart-copy'");
  });

  it('finds no change between two runs of the same scenario on the same seed', async () => {
    const r = await cli(['compare', runs.seed7, runs.renamed, '--fail-on-regression', '--out', join(dir, 'c5')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^No regressions in renamed against seed7\./);
  });

  it('writes beside the candidate, in a folder named after both runs, when no --out is given, and changes neither run', async () => {
    const before = [snapshot(runs.seed42), snapshot(runs.seed7)];
    const r = await cli(['compare', runs.seed42, runs.seed7]);
    expect(r.code).toBe(0);
    const out = join(dir, 'seed42-vs-seed7');
    expect(readdirSync(out).sort()).toEqual(['compare.html', 'compare.json', 'compare.md']);
    expect(r.out).toContain(join(out, 'compare.html'));
    expect([snapshot(runs.seed42), snapshot(runs.seed7)]).toEqual(before);
    rmSync(out, { recursive: true });
  });

  it('replaces an earlier comparison in the same folder whole', async () => {
    const out = join(dir, 'again');
    expect((await cli(['compare', runs.seed42, runs.seed7, '--out', out])).code).toBe(0);
    expect((await cli(['compare', runs.seed7, runs.renamed, '--out', out])).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['compare.html', 'compare.json', 'compare.md']);
    expect(JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'))).toMatchObject({ schema: 'burstlab/compare/v1', baseline: runs.seed7, candidate: runs.renamed });
    expect(readdirSync(dir).filter((name) => name.startsWith('again'))).toEqual(['again']);
  });

  it('refuses an earlier comparison that also holds a file burstlab did not write, and keeps it', async () => {
    const out = join(dir, 'noted');
    expect((await cli(['compare', runs.seed42, runs.seed7, '--out', out])).code).toBe(0);
    writeFileSync(join(out, 'NOTES.md'), 'what we concluded\n');
    const r = await cli(['compare', runs.seed7, runs.renamed, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/also holds NOTES\.md, which burstlab did not write/);
    expect(readFileSync(join(out, 'NOTES.md'), 'utf8')).toBe('what we concluded\n');
  });

  it('refuses a non-empty --out folder that is not a comparison, names --force, and changes nothing', async () => {
    const out = join(dir, 'notes');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine\n');
    const r = await cli(['compare', runs.seed42, runs.seed7, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not a burstlab comparison');
    expect(r.err).toContain('--force');
    expect(snapshot(out)).toEqual({ 'keep.txt': 'mine\n' });
  });

  it('refuses an --out that is a compared run, inside one, or holds one, even with --force, and changes nothing', async () => {
    const before = [snapshot(runs.seed42), snapshot(runs.seed7)];
    for (const out of [runs.seed7, join(runs.seed7, 'compare'), join(runs.seed42, 'x'), dir]) {
      const r = await cli(['compare', runs.seed42, runs.seed7, '--force', '--out', out]);
      expect(r.code, out).toBe(2);
      expect(r.err).toContain('compare never writes into a run');
    }
    expect([snapshot(runs.seed42), snapshot(runs.seed7)]).toEqual(before);
  });

  it('exits 2 for a --threshold that names an unknown metric, is not a threshold, or gives points for a non-rate', async () => {
    const unknown = await cli(['compare', runs.seed42, runs.seed7, '--threshold', 'podToReady.p98=5%']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown metric(s): podToReady.p98');
    expect((await cli(['compare', runs.seed42, runs.seed7, '--threshold', 'lots'])).code).toBe(2);
    const ppOfCost = await cli(['compare', runs.seed42, runs.seed7, '--threshold', 'cost.totalUSD=1pp']);
    expect(ppOfCost.code).toBe(2);
    expect(ppOfCost.err).toContain('cost.totalUSD, which is not a rate or share');
  });
});
