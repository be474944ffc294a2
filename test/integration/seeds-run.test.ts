import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../harness/runner/cli.js';

function cli(args: string[], signal = new AbortController().signal): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, signal };
  return main(args, io).then((code) => ({ code, out, err }));
}

// Seed workers run from the TypeScript sources here (transpiled on load in each worker): allow for that start-up.
const WORKERS_TIMEOUT = 240_000;

describe('burstlab run --seeds', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-seeds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'writes per-seed results from worker threads byte-identical to single-seed runs made one by one',
    async () => {
      const multi = join(dir, 'multi');
      expect((await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '3', '--jobs', '2', '--no-report', '--quiet', '--out', multi])).code).toBeLessThanOrEqual(1);
      expect(readdirSync(join(multi, 'seeds')).sort()).toEqual(['7', '8', '9']);
      for (const seed of [7, 8, 9]) {
        const single = join(dir, `single-${seed}`);
        expect((await cli(['run', 'scenarios/quickstart.yaml', '--seed', String(seed), '--no-report', '--quiet', '--out', single])).code).toBeLessThanOrEqual(1);
        for (const f of ['results.json', 'events.jsonl']) {
          expect(readFileSync(join(multi, 'seeds', String(seed), f), 'utf8'), `seed ${seed} ${f}`).toBe(readFileSync(join(single, f), 'utf8'));
        }
      }
    },
    WORKERS_TIMEOUT,
  );

  it(
    'prints each metric as a median with its spread and judges the SLOs on the median of five seeds',
    async () => {
      const out = join(dir, 'five');
      const r = await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '5', '--out', out]);
      expect(r.out).toContain('quickstart: 5 seeds (7, 8, 9, 10, 11); median [min–max]');
      expect(r.out).toMatch(/pod-to-ready p99 +[\d.]+ s \[[\d.]+ s–[\d.]+ s\]/);
      expect(r.out).toMatch(/SLOs \(median of 5 seeds\) +FAIL \(\d\), \d\/5 seeds failed/);
      expect(r.out).toContain('SLO rule: an SLO check passes when the median of its metric over the seeds passes');
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      expect(results.schema).toBe('burstlab/results-seeds/v1');
      const p99 = results.autoscalers[0].metrics['podToReady.p99'];
      expect(p99.n).toBe(5);
      expect(p99.min).toBeLessThanOrEqual(p99.median);
      expect(p99.median).toBeLessThanOrEqual(p99.max);
      expect(r.code).toBe(results.autoscalers.every((a: { slo: { passed: boolean } }) => a.slo.passed) ? 0 : 1);
      expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('### Across 5 seeds (7, 8, 9, 10, 11)');
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('id="seeds"');
      expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('(median of 5 seeds)');
    },
    WORKERS_TIMEOUT,
  );

  it(
    'stops every worker when interrupted, exits 130 and writes nothing',
    async () => {
      const controller = new AbortController();
      const pending = cli(['run', 'scenarios/market-open.yaml', '--seeds', '4', '--out', join(dir, 'never')], controller.signal);
      setTimeout(() => controller.abort(), 1_000);
      const r = await pending;
      expect(r.code).toBe(130);
      expect(r.err).toMatch(/interrupted/);
      expect(readdirSync(dir)).toEqual([]);
    },
    WORKERS_TIMEOUT,
  );

  it(
    'compares two five-seed runs of the same scenario on different seeds by their spreads and finds no regression',
    async () => {
      const [from42, from7] = [join(dir, 'from42'), join(dir, 'from7')];
      expect((await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '5', '--seed', '42', '--quiet', '--no-report', '--out', from42])).code).toBeLessThanOrEqual(1);
      expect((await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '5', '--quiet', '--no-report', '--out', from7])).code).toBeLessThanOrEqual(1);
      const r = await cli(['compare', from42, from7, '--fail-on-regression', '--out', join(dir, 'cmp')]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^No regressions in from7 against from42/);
      expect(r.out).toContain('A change must put every seed of one run beyond every seed of the other');
      expect(r.err).toBe('');
      expect(readFileSync(join(dir, 'cmp', 'compare.md'), 'utf8')).toMatch(/\| Pod-to-ready p99 \| [^|]+ \\\[[^|]+–[^|]+\\\] \|/);
    },
    WORKERS_TIMEOUT,
  );

  it(
    'renders the reports of a saved multi-seed run again with burstlab report',
    async () => {
      const out = join(dir, 'saved');
      await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '2', '--quiet', '--no-report', '--out', out]);
      const r = await cli(['report', out]);
      expect(r.code).toBe(0);
      expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('### Across 2 seeds (7, 8)');
      expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('(median of 2 seeds)');
    },
    WORKERS_TIMEOUT,
  );

  it(
    'prints only the one-line verdict with --quiet, each failed SLO by its median and how many seeds failed it',
    async () => {
      const out = join(dir, 'quiet');
      const r = await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '3', '--quiet', '--no-report', '--out', out]);
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      const p99 = results.autoscalers[0].slo.checks.find((c: { metric: string }) => c.metric === 'podToReady.p99');
      expect(r.code).toBe(1);
      const median = p99.actual.median.toFixed(1).replace('.', '\\.');
      const first = `podToReady\\.p99 median ${median} s > 120 s, failed on ${p99.seedsFailed} of 3 seeds`;
      expect(r.out).toMatch(new RegExp(`^quickstart \\(3 seeds, SLOs on the median\\): cluster-autoscaler FAIL \\(${first}(; [^\\n]+)?\\), karpenter pass\\n$`));
    },
    WORKERS_TIMEOUT,
  );

  describe('without --quiet', () => {
    let out: string;
    let printed: string;
    beforeAll(async () => {
      out = mkdtempSync(join(tmpdir(), 'burstlab-seeds-table-'));
      printed = (await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '3', '--no-report', '--out', join(out, 'run')])).out;
    }, WORKERS_TIMEOUT);
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('prints the verdict line after the table, then the folder it wrote', () => {
      const lines = printed.trimEnd().split('\n');
      expect(lines[0]).toBe('quickstart: 3 seeds (7, 8, 9); median [min–max]');
      expect(lines.at(-2)).toMatch(/^quickstart \(3 seeds, SLOs on the median\): cluster-autoscaler FAIL \(.+\), karpenter pass$/);
      expect(lines.at(-1)).toBe(`wrote ${join(out, 'run')}`);
    });

    it('states the cost caveat under the table as the single-seed table does, saying it is the first seed’s', () => {
      expect(printed).toContain('cost caveat, from seed 7 (the first of 3; the other seeds\' figures differ):');
      expect(printed).toMatch(/^ {2}cluster-autoscaler ran all its node-hours on on-demand nodes; karpenter ran all its node-hours on Spot nodes\.$/m);
      expect(printed).toMatch(/^ {2}Spot prices are modelled, not observed: /m);
      expect(printed).toContain('cost / lower bound: against the cheapest fractional cover');
    });
  });

  it(
    'writes a run.json into each seed folder, with that seed on its command line, so burstlab verify passes on it',
    async () => {
      const out = join(dir, 'verified');
      await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '2', '--jobs', '2', '--quiet', '--no-report', '--out', out]);
      const meta = JSON.parse(readFileSync(join(out, 'seeds', '8', 'run.json'), 'utf8'));
      expect(meta.schema).toBe('burstlab/run/v1');
      expect(meta.argv).toEqual(['run', 'scenarios/quickstart.yaml', '--quiet', '--no-report', '--seed', '8']);
      expect(meta.seeds).toBeUndefined();
      const r = await cli(['verify', join(out, 'seeds', '8')]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('every invariant holds');
    },
    WORKERS_TIMEOUT,
  );

  it(
    'puts a comparison against a seed folder beside the multi-seed run, never inside it',
    async () => {
      const [single, multi] = [join(dir, 'single'), join(dir, 'multi')];
      await cli(['run', 'scenarios/quickstart.yaml', '--seed', '42', '--quiet', '--no-report', '--out', single]);
      await cli(['run', 'scenarios/quickstart.yaml', '--seeds', '2', '--quiet', '--no-report', '--out', multi]);
      const before = readdirSync(multi, { recursive: true }).sort();
      expect((await cli(['compare', single, join(multi, 'seeds', '8')])).code).toBe(0);
      expect(readdirSync(join(dir, 'single-vs-multi-seeds-8')).sort()).toEqual(['compare.html', 'compare.json', 'compare.md']);
      expect(readdirSync(multi, { recursive: true }).sort()).toEqual(before);
    },
    WORKERS_TIMEOUT,
  );

  it('exits 2 for a malformed seed list, --jobs without --seeds, or --seed with a list', async () => {
    for (const args of [['--seeds', '7,x'], ['--seeds', '0'], ['--seeds', '7,7'], ['--jobs', '2'], ['--seeds', '3', '--jobs', '0'], ['--seed', '3', '--seeds', '7,9']]) {
      const r = await cli(['run', 'scenarios/quickstart.yaml', ...args, '--out', join(dir, 'never')]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('hint:');
    }
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
