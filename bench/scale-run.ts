/**
 * One run of the `scale` suite, in a process of its own so that its peak RSS is its own: `node
 * dist/bench/scale-run.js <scenario.yaml> <dir> [--reports]` writes the run into <dir> as `burstlab run` does (the
 * same produceRun, on this thread) and prints one JSON line with what it measured.
 */
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stopwatch, wallTimeIso } from '../harness/clock/wall-clock.js';
import { produceRun } from '../harness/runner/produce-run.js';

export interface ScaleRunMeasure {
  /** Simulating every arm and computing results.json: what `time ~ work^k` is fitted on. */
  simulateSeconds: number;
  /**
   * CPU time (user + system) of this process over the same span: on a machine shared with other work the wall time
   * is mostly waiting for a core, so the exponent is fitted on both.
   */
  simulateCpuSeconds: number;
  /** From the start of each arm's simulation to the next (the last one's includes computing results.json). */
  armSeconds: Record<string, number>;
  /** The whole run: simulation, results, reports when asked for. */
  wallSeconds: number;
  events: number;
  logBytes: number;
  /** process.resourceUsage().maxRSS: this process's peak resident set, in bytes. */
  peakRssBytes: number;
  podsCreated: Record<string, number>;
  reportBytes: number | null;
}

/** Lines in a file, counted a megabyte at a time. */
function countLines(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let lines = 0;
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      for (let i = 0; i < n; i++) if (chunk[i] === 10) lines++;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  const [file, dir, flag] = process.argv.slice(2);
  if (!file || !dir) throw new Error('usage: scale-run.js <scenario.yaml> <dir> [--reports]');
  const reports = flag === '--reports';
  mkdirSync(dir, { recursive: true });
  const elapsed = stopwatch();
  const armStarts: Array<[string, number]> = [];
  let simulated = 0;
  let simulatedCpu = 0;
  const cpuSeconds = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const cpuAtStart = cpuSeconds();
  let shownTenth = -1;
  const results = await produceRun(
    {
      file,
      dir,
      reports,
      meta: { schema: 'burstlab/run/v1', startedAt: wallTimeIso(), burstlabVersion: 'bench', nodeVersion: process.version, target: 'sim', scenarioFile: file, argv: [], components: {} },
    },
    {
      onProgress: (fraction, arm) => {
        if (armStarts.at(-1)?.[0] !== arm) armStarts.push([arm, elapsed()]);
        // A tenth at a time on stderr, for whoever watches a run of several minutes.
        const tenth = Math.floor(fraction * 10);
        if (tenth !== shownTenth) process.stderr.write(`${arm}: ${tenth * 10}% of the run at ${(elapsed() / 1000).toFixed(1)} s\n`);
        shownTenth = tenth;
      },
      onSimulated: () => {
        simulated = elapsed();
        simulatedCpu = cpuSeconds() - cpuAtStart;
      },
    },
  );
  const wall = elapsed();
  const log = join(dir, 'events.jsonl');
  const measure: ScaleRunMeasure = {
    simulateSeconds: simulated / 1000,
    simulateCpuSeconds: simulatedCpu,
    armSeconds: Object.fromEntries(armStarts.map(([arm, t], i) => [arm, ((armStarts[i + 1]?.[1] ?? simulated) - t) / 1000])),
    wallSeconds: wall / 1000,
    events: countLines(log),
    logBytes: statSync(log).size,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    podsCreated: Object.fromEntries(results.autoscalers.map((a) => [a.name, a.pods.created])),
    reportBytes: reports ? statSync(join(dir, 'report.html')).size : null,
  };
  process.stdout.write(JSON.stringify(measure) + '\n');
}

await main();
