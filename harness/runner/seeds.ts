/**
 * Multi-seed runs: the scenario's arms over several seeds, one seed per worker thread at a time, one thread per
 * core. Each seed's results.json and events.jsonl are the bytes a single-seed run of that seed writes.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RunError, UsageError } from './errors.js';
import { interruption } from './interrupt.js';
import type { SeedTask, SeedWorkerMessage } from './seed-worker.js';

export const MAX_SEED = 2 ** 32 - 1;
/** More seeds than this is a typo more often than a plan; each seed is a whole run. */
export const MAX_SEEDS = 1000;

export interface SeedRun {
  seed: number;
  resultsJson: string;
  eventsJsonl: string;
}

export interface SeedsOptions {
  scenarioText: string;
  scenarioFile: string;
  seeds: number[];
  /** Worker threads; default one per core, never more than there are seeds. */
  jobs?: number;
  signal: AbortSignal;
  /** Share of all seeds done, 0..1. */
  onProgress?: (fraction: number, detail: string) => void;
}

/**
 * `--seeds N` (N seeds counting up from `first`) or `--seeds 42,7,9` (those seeds, in that order).
 * Returns the seeds; a repeated seed would only duplicate a run, so it is an error.
 */
export function parseSeeds(spec: string, first: number): number[] {
  const text = spec.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < 1 || n > MAX_SEEDS) throw new UsageError(`--seeds ${spec}: the number of seeds must be from 1 to ${MAX_SEEDS}`, 'e.g. --seeds 5, or a list: --seeds 42,7,9');
    if (first + n - 1 > MAX_SEED) throw new UsageError(`--seeds ${spec} from seed ${first} goes past the largest seed, ${MAX_SEED}`, 'start lower with --seed, or give a list');
    return Array.from({ length: n }, (_, i) => first + i);
  }
  const parts = text.split(',').map((p) => p.trim());
  const bad = parts.filter((p) => !/^\d+$/.test(p) || Number(p) > MAX_SEED);
  if (parts.length === 0 || bad.length > 0) {
    throw new UsageError(`--seeds '${spec}': ${bad.map((b) => `'${b}'`).join(', ') || 'nothing'} is not a seed (a whole number from 0 to ${MAX_SEED})`, 'e.g. --seeds 5, or a list: --seeds 42,7,9');
  }
  const seeds = parts.map(Number);
  const repeated = seeds.filter((s, i) => seeds.indexOf(s) !== i);
  if (repeated.length) throw new UsageError(`--seeds '${spec}' repeats seed ${repeated[0]}`, 'list each seed once');
  if (seeds.length > MAX_SEEDS) throw new UsageError(`--seeds lists ${seeds.length} seeds; at most ${MAX_SEEDS}`);
  return seeds;
}

export function parseJobs(spec: string | undefined): number | undefined {
  if (spec === undefined) return undefined;
  const n = Number(spec);
  if (!/^\d+$/.test(spec.trim()) || n < 1 || n > 256) throw new UsageError(`--jobs '${spec}' is not a number of worker threads from 1 to 256`, 'e.g. --jobs 2; the default is one per core');
  return n;
}

/**
 * Where the worker's code is. The compiled CLI has seed-worker.js beside this file. Run from the TypeScript
 * sources (the tests), workers do not share the test runner's transform, so they load the sources through a
 * transpile-on-load hook kept with the test support code.
 */
function workerEntry(): { url: URL; execArgv?: string[] } {
  const compiled = new URL('./seed-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return { url: compiled };
  const source = new URL('./seed-worker.ts', import.meta.url);
  const hooks = new URL('../../test/support/ts-worker-hooks/register.mjs', import.meta.url);
  if (existsSync(fileURLToPath(source)) && existsSync(fileURLToPath(hooks))) return { url: source, execArgv: ['--import', hooks.href] };
  throw new RunError(`the seed worker is missing: ${fileURLToPath(compiled)}`, 'rebuild burstlab: npm run build');
}

/** Runs every seed; resolves with one SeedRun per seed in the order given. Stops every worker when aborted. */
export async function runSeeds(options: SeedsOptions): Promise<SeedRun[]> {
  const { seeds, signal } = options;
  const jobs = Math.min(options.jobs ?? availableParallelism(), seeds.length);
  const entry = workerEntry();
  const done = new Array<SeedRun | undefined>(seeds.length);
  const fractions = new Map<number, number>();
  const workers: Worker[] = [];
  let next = 0;
  let finished = 0;

  const report = (detail: string): void => {
    let sum = 0;
    for (const f of fractions.values()) sum += f;
    options.onProgress?.(sum / seeds.length, detail);
  };

  try {
    await new Promise<void>((resolvePool, rejectPool) => {
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        rejectPool(err);
      };
      const onAbort = (): void => fail(interruption(signal));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });

      const startNext = (worker: Worker): void => {
        if (settled) return;
        if (next >= seeds.length) {
          if (finished === seeds.length) {
            settled = true;
            signal.removeEventListener('abort', onAbort);
            resolvePool();
          }
          return;
        }
        const seed = seeds[next++]!;
        worker.postMessage({ scenarioText: options.scenarioText, scenarioFile: options.scenarioFile, seed } satisfies SeedTask);
      };

      for (let i = 0; i < jobs; i++) {
        const worker = new Worker(entry.url, entry.execArgv ? { execArgv: entry.execArgv } : {});
        workers.push(worker);
        worker.on('message', (m: SeedWorkerMessage) => {
          if (m.type === 'progress') {
            fractions.set(m.seed, m.fraction);
            report(`seed ${m.seed}`);
          } else if (m.type === 'failed') {
            fail(new RunError(`the simulation of seed ${m.seed} failed: ${m.message}`, 'this is a bug in burstlab: please report it with the scenario file and the seed', { cause: Object.assign(new Error(m.message), { stack: m.stack }) }));
          } else {
            done[seeds.indexOf(m.seed)] = { seed: m.seed, resultsJson: m.resultsJson, eventsJsonl: m.eventsJsonl };
            fractions.set(m.seed, 1);
            finished++;
            report(`seed ${m.seed} done (${finished}/${seeds.length})`);
            startNext(worker);
          }
        });
        worker.on('error', (err) => fail(new RunError('a seed worker crashed', 'this is a bug in burstlab: please report it with the scenario file', { cause: err })));
        worker.on('exit', (code) => {
          if (code !== 0) fail(new RunError(`a seed worker exited with code ${code}`, 'this is a bug in burstlab: please report it with the scenario file'));
        });
        startNext(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return done.map((d) => d!);
}
