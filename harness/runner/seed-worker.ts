/**
 * One worker thread of a multi-seed run (harness/runner/seeds.ts): simulates the scenario for each seed it is sent
 * and returns the same bytes a single-seed `burstlab run --seed N` writes, so parallel and sequential runs agree.
 */
import { parentPort } from 'node:worker_threads';
import { parseScenario } from '../../scenarios/load.js';
import { toJsonl } from '../recorder/jsonl.js';
import { executeScenario } from './execute.js';

export interface SeedTask {
  scenarioText: string;
  scenarioFile: string;
  seed: number;
}

export type SeedWorkerMessage =
  | { type: 'progress'; seed: number; fraction: number }
  | { type: 'done'; seed: number; resultsJson: string; eventsJsonl: string }
  | { type: 'failed'; seed: number; message: string; stack: string | undefined };

const port = parentPort;
if (port) {
  port.on('message', (task: SeedTask) => {
    void runSeed(task).then((m) => port.postMessage(m));
  });
}

async function runSeed(task: SeedTask): Promise<SeedWorkerMessage> {
  try {
    const scenario = parseScenario(task.scenarioText, task.scenarioFile);
    let last = -1;
    const { results, events } = await executeScenario(scenario, {
      seed: task.seed,
      onProgress: (fraction) => {
        // Percent steps are plenty for a progress bar and keep the message channel quiet.
        const pct = Math.floor(fraction * 100);
        if (pct === last) return;
        last = pct;
        port?.postMessage({ type: 'progress', seed: task.seed, fraction } satisfies SeedWorkerMessage);
      },
    });
    return { type: 'done', seed: task.seed, resultsJson: JSON.stringify(results, null, 2) + '\n', eventsJsonl: toJsonl(events) };
  } catch (err) {
    return { type: 'failed', seed: task.seed, message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined };
  }
}
