import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopwatch } from '../../harness/clock/wall-clock.js';
import type { Results } from '../../harness/metrics/results.js';
import { startProcess, stopProcesses } from '../../harness/targets/kwok/processes.js';
import { toolVersions } from '../../harness/targets/kwok/tools.js';
import { summarize, type BenchSuite } from '../suite.js';

const SCENARIO = 'scenarios/kwok-burst.yaml';
/** kwok runs of the scenario (each about 8 minutes of wall time, both arms); BURSTLAB_BENCH_FIDELITY_ROUNDS overrides. */
const ROUNDS = Number(process.env.BURSTLAB_BENCH_FIDELITY_ROUNDS ?? 3);
const CLI = fileURLToPath(new URL('../../../bin/burstlab.js', import.meta.url));
/** Goals of issue 14 item 7: per arm, pod-to-ready p50 and p99 within 15%, peak nodes within 10%. */
const GOALS = { podToReadyP50S: 15, podToReadyP99S: 15, peakNodes: 10 } as const;

/**
 * One `burstlab run` of the scenario, exactly as a user runs it (the CLI in its own process: the same produce-run
 * path, run folder and results.json), returning its results. The CLI is an owned process of the benchmark: stopped
 * (SIGTERM, so it tears its control planes down) if the benchmark fails, killed by the kernel if the benchmark dies.
 */
async function burstlabRun(args: string[], dir: string, log: (line: string) => void): Promise<Results> {
  const out = join(dir, 'run');
  const logFile = join(dir, 'burstlab.log');
  const proc = startProcess({ name: 'burstlab', command: process.execPath, args: [CLI, 'run', resolve(SCENARIO), '--out', out, '--quiet', ...args], logFile }, 'owned');
  try {
    const code = await proc.exited;
    // 1 is an SLO the run missed: a finding, not a failure of the run.
    if (code !== 0 && code !== 1) throw new Error(`burstlab run ${args.join(' ')} exited ${code}: see ${logFile}`);
  } finally {
    await stopProcesses([proc]);
  }
  log(`burstlab run ${args.join(' ') || '(sim)'} done`);
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
}

interface ArmFigures {
  podToReadyP50S: number;
  podToReadyP99S: number;
  peakNodes: number;
}

function armFigures(results: Results): Record<string, ArmFigures> {
  return Object.fromEntries(results.autoscalers.map((a) => [a.name, { podToReadyP50S: a.podToReady.p50, podToReadyP99S: a.podToReady.p99, peakNodes: a.nodes.peak }]));
}

/** kwok relative to sim, in percent (positive: kwok higher). */
const diffPct = (kwok: number, sim: number): number => Math.round(((kwok - sim) / sim) * 1000) / 10;

export const kwokFidelity: BenchSuite = {
  name: 'kwok-fidelity',
  description:
    `${SCENARIO} (1,000-pod burst, cluster-autoscaler and karpenter arms, seed 11) through \`burstlab run\` on the sim ` +
    `(once: it is deterministic) and \`burstlab run --target kwok\` at speed 1 (real controllers, HPA, metrics-server ` +
    `and vegeta, as a user runs it): per arm pod-to-ready p50 and p99 and peak nodes from each run's results.json, and ` +
    `kwok's difference from the sim in percent (issue 14 item 7: goal within 15% for p50/p99, 10% for peak nodes).`,
  async run(log) {
    if (!(ROUNDS >= 1)) throw new Error(`BURSTLAB_BENCH_FIDELITY_ROUNDS must be a whole number >= 1, got ${process.env.BURSTLAB_BENCH_FIDELITY_ROUNDS}`);
    const runIn = async (args: string[]): Promise<{ figures: Record<string, ArmFigures>; wallS: number }> => {
      const dir = mkdtempSync(join(tmpdir(), 'burstlab-bench-fidelity-'));
      const wall = stopwatch();
      const results = await burstlabRun(args, dir, log);
      // Kept after a failure (burstlabRun threw past this): its log says what went wrong.
      rmSync(dir, { recursive: true, force: true });
      return { figures: armFigures(results), wallS: Math.round(wall() / 100) / 10 };
    };
    const sim = await runIn([]);
    const kwok: Array<Record<string, ArmFigures>> = [];
    const kwokWallS: number[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const run = await runIn(['--target', 'kwok']);
      kwok.push(run.figures);
      kwokWallS.push(run.wallS);
      for (const [arm, f] of Object.entries(run.figures)) log(`kwok run ${r} ${arm}: p50 ${f.podToReadyP50S} s, p99 ${f.podToReadyP99S} s, peak nodes ${f.peakNodes}`);
    }
    const arms = Object.fromEntries(
      Object.entries(sim.figures).map(([arm, s]) => {
        const metric = (key: keyof ArmFigures) => {
          const live = kwok.map((k) => k[arm]![key]);
          const diffs = live.map((v) => diffPct(v, s[key]));
          return { sim: s[key], kwok: summarize(live), diffPct: summarize(diffs), goalPct: GOALS[key], withinGoal: diffs.every((d) => Math.abs(d) <= GOALS[key]) };
        };
        return [arm, { podToReadyP50S: metric('podToReadyP50S'), podToReadyP99S: metric('podToReadyP99S'), peakNodes: metric('peakNodes') }];
      }),
    );
    return { versions: toolVersions(), scenario: SCENARIO, kwokRuns: ROUNDS, simWallS: sim.wallS, kwokWallS: summarize(kwokWallS), arms, kwokRunsPerArm: kwok };
  },
};
