/** Saves a fixture as a run directory, the way `burstlab run` does, for the report and compare commands. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonl } from '../../harness/recorder/jsonl.js';
import type { Fixture } from './report-fixture.js';

export function saveRunDir(dir: string, run: Fixture): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(run.results, null, 2) + '\n');
  writeFileSync(join(dir, 'events.jsonl'), toJsonl(run.events));
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run.meta, null, 2) + '\n');
  return dir;
}
