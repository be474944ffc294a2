import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../harness/runner/cli.js';
import { scenarioData } from '../support/scenarios.js';

const ANSI_CODE = /\x1b\[/;

/** Buffers standing in for the process streams; `tty` makes them claim to be a terminal. */
function io(tty = false): { stdout: string[]; stderr: string[]; streams: Parameters<typeof main>[1] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    streams: {
      stdout: { write: (s: string) => stdout.push(s), isTTY: tty },
      stderr: { write: (s: string) => stderr.push(s), isTTY: tty },
      signal: new AbortController().signal,
    },
  };
}

const packageVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('burstlab version', () => {
  it('prints the package version for --version, -V and version', async () => {
    for (const argv of [['--version'], ['-V'], ['version']]) {
      const t = io();
      expect(await main(argv, t.streams)).toBe(0);
      expect(t.stdout.join('')).toBe(`burstlab ${packageVersion}\n`);
    }
  });

  it('adds Node and the pinned tool versions with --verbose', async () => {
    const t = io();
    expect(await main(['version', '--verbose'], t.streams)).toBe(0);
    const text = t.stdout.join('');
    // The column is as wide as the longest tool name.
    expect(text).toMatch(new RegExp(`^node +${process.version.replace(/\./g, '\\.')}$`, 'm'));
    expect(text).toMatch(/^kubernetes +v\d+\.\d+\.\d+$/m);
    expect(text).toMatch(/^metrics-server +v\d+\.\d+\.\d+$/m);
  });

  it('prints every version as one JSON object with -o json', async () => {
    const t = io();
    expect(await main(['version', '-o', 'json'], t.streams)).toBe(0);
    expect(JSON.parse(t.stdout.join(''))).toMatchObject({ burstlab: packageVersion, node: process.version });
  });

  it('is listed by burstlab help', async () => {
    const t = io();
    expect(await main(['help'], t.streams)).toBe(0);
    expect(t.stdout.join('')).toMatch(/^ {2}version +print the burstlab version/m);
  });
});

describe('usage errors', () => {
  /** Runs a command line that must be a usage error and returns what it printed. */
  async function usage(argv: string[]): Promise<string> {
    const t = io();
    expect(await main(argv, t.streams)).toBe(2);
    expect(t.stdout.join('')).toBe('');
    return t.stderr.join('');
  }

  it('exits 2 for an empty --seed= instead of running seed 0', async () => {
    expect(await usage(['run', 'scenarios/quickstart.yaml', '--seed='])).toBe('error: --seed needs a value, got an empty one\nhint: write --seed VALUE; see burstlab run --help\n');
  });

  it('suggests the closest flag for a misspelt one', async () => {
    expect(await usage(['run', 'scenarios/quickstart.yaml', '--sed', '3'])).toMatch(/^error: unknown option '--sed'\nhint: did you mean --seed\?/);
  });

  it('never shows node:util parseArgs raw messages', async () => {
    for (const argv of [['run', 'x.yaml', '--seed'], ['run', 'x.yaml', '-x'], ['report', '--out'], ['compare', '--nope']]) {
      const err = await usage(argv);
      expect(err).not.toMatch(/To specify a positional argument|ERR_PARSE_ARGS|TypeError/);
      expect(err.trimEnd().split('\n')).toHaveLength(2);
    }
  });

  it('exits 2 for an output format that is not table or json', async () => {
    expect(await usage(['run', 'scenarios/quickstart.yaml', '-o', 'xml'])).toMatch(/--output 'xml' is not one of: table, json/);
  });

  it('refuses -o json with --dry-run rather than ignoring one of them', async () => {
    expect(await usage(['run', 'scenarios/quickstart.yaml', '--dry-run', '-o', 'json'])).toMatch(/hint: drop one of --dry-run and -o json/);
  });

  it('suggests the closest command for a misspelt one', async () => {
    expect(await usage(['rnu'])).toMatch(/unknown command 'rnu'\nhint: did you mean run\?/);
  });

  it('says options go after the command when one comes first', async () => {
    expect(await usage(['--quiet', 'run'])).toMatch(/hint: options go after the command/);
  });

  it('parses cluster flags with the same rules: --timeout 0, an empty --dir= and a misspelt flag', async () => {
    expect(await usage(['cluster', 'up', '--timeout', '0'])).toMatch(/--timeout needs a whole number >= 1, got '0'/);
    expect(await usage(['cluster', 'status', '--dir='])).toMatch(/--dir needs a value, got an empty one/);
    expect(await usage(['cluster', 'status', '--dri', 'x'])).toMatch(/did you mean --dir\?/);
  });
});

describe('burstlab run output modes', () => {
  let dir: string;
  let failing: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-conventions-'));
    // Any node costs more than $0: this SLO fails on every arm.
    failing = join(dir, 'failing.yaml');
    writeFileSync(failing, stringify(scenarioData({ name: 'tiny', duration: '10m', slo: [{ metric: 'cost.totalUSD', max: 0 }] })));
    vi.stubEnv('NO_COLOR', undefined);
    vi.stubEnv('FORCE_COLOR', undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints exactly results.json on stdout with -o json, and progress on stderr', async () => {
    const out = join(dir, 'run');
    const t = io();
    await main(['run', failing, '--out', out, '-o', 'json', '--no-report'], t.streams);
    const stdout = t.stdout.join('');
    expect(stdout).toBe(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(JSON.parse(stdout)).toMatchObject({ scenario: { name: 'tiny' } });
    expect(t.stderr.join('')).toMatch(/^tiny: .*%/m);
  });

  it('prints just the verdict line with --quiet on a failing SLO, and exits 1', async () => {
    const t = io();
    expect(await main(['run', failing, '--out', join(dir, 'run'), '--quiet', '--no-report'], t.streams)).toBe(1);
    expect(t.stdout.join('')).toMatch(/^tiny: cluster-autoscaler FAIL \(cost\.totalUSD \$\d+\.\d\d > \$0\.00\), karpenter FAIL \(cost\.totalUSD \$\d+\.\d\d > \$0\.00\); [^\n]+\n$/);
    // Warnings about what the scenario says but the sim does not model are never silenced.
    expect(t.stderr.join('')).toMatch(/^(warning: [^\n]+\n)*$/);
  });

  it('prints the verdict line with --quiet when every SLO holds too, and exits 0', async () => {
    const passing = join(dir, 'passing.yaml');
    writeFileSync(passing, stringify(scenarioData({ name: 'tiny', duration: '10m', slo: [{ metric: 'cost.totalUSD', max: 1000 }] })));
    const t = io();
    expect(await main(['run', passing, '--out', join(dir, 'run'), '--quiet', '--no-report'], t.streams)).toBe(0);
    expect(t.stdout.join('')).toMatch(/^tiny: cluster-autoscaler pass, karpenter pass; [^\n]+\n$/);
  });

  it('accepts -q for --quiet', async () => {
    const t = io();
    expect(await main(['run', failing, '--out', join(dir, 'run'), '-q', '--no-report'], t.streams)).toBe(1);
    expect(t.stdout).toHaveLength(1);
  });

  it('keeps stdout pure JSON with -q -o json, the verdict going to stderr', async () => {
    const t = io();
    expect(await main(['run', failing, '--out', join(dir, 'run'), '-q', '-o', 'json', '--no-report'], t.streams)).toBe(1);
    expect(() => JSON.parse(t.stdout.join(''))).not.toThrow();
    expect(t.stderr.join('')).toMatch(/^(warning: [^\n]+\n)*tiny: cluster-autoscaler FAIL [^\n]+\n$/);
  });

  it('prints the table and the verdict line without colour codes when stdout is not a terminal', async () => {
    const t = io(false);
    await main(['run', failing, '--out', join(dir, 'run'), '--no-report'], t.streams);
    const text = t.stdout.join('');
    expect(text).toMatch(/pod-to-ready p99/);
    expect(text).toMatch(/^tiny: cluster-autoscaler FAIL/m);
    expect(text + t.stderr.join('')).not.toMatch(ANSI_CODE);
  });

  it('paints FAIL red on a terminal', async () => {
    const t = io(true);
    await main(['run', failing, '--out', join(dir, 'run'), '--quiet', '--no-report'], t.streams);
    expect(t.stdout.join('')).toContain('\x1b[31mFAIL\x1b[39m');
  });

  it('uses no colour on a terminal when NO_COLOR is set', async () => {
    vi.stubEnv('NO_COLOR', '1');
    const t = io(true);
    await main(['run', failing, '--out', join(dir, 'run'), '--quiet', '--no-report'], t.streams);
    expect(t.stdout.join('')).not.toMatch(ANSI_CODE);
  });

  it('logs a few plain progress lines, writing steps included, when stderr is not a terminal', async () => {
    const t = io(false);
    await main(['run', failing, '--out', join(dir, 'run')], t.streams);
    const lines = t.stderr.join('').trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines).toContain('tiny: writing report.html, junit.xml and summary.md');
    expect(lines.some((l) => /^tiny: wrote events\.jsonl \([\d,]+ events\)$/.test(l))).toBe(true);
    expect(t.stderr.join('')).not.toMatch(/\r|\x1b\[/);
  });

  it('writes no colour codes into the run folder even on a terminal', async () => {
    const out = join(dir, 'run');
    await main(['run', failing, '--out', out], io(true).streams);
    for (const f of ['results.json', 'summary.md', 'junit.xml', 'report.html']) expect(readFileSync(join(out, f), 'utf8')).not.toMatch(ANSI_CODE);
  });
});
