import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSuite } from './suite.js';
import { suites } from './suites/index.js';

/** `npm run bench [-- name ...]`: runs every suite (or those named) and writes bench/results/<name>.json. */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const selected: BenchSuite[] = wanted.length ? suites.filter((s) => wanted.includes(s.name)) : suites;
  const outDir = join(fileURLToPath(new URL('../../bench/results/', import.meta.url)));
  mkdirSync(outDir, { recursive: true });
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  let failed = 0;
  for (const suite of selected) {
    process.stderr.write(`bench ${suite.name}: ${suite.description}\n`);
    try {
      const result = await suite.run((line) => process.stderr.write(`  ${line}\n`));
      const record = { suite: suite.name, description: suite.description, machine, measuredAt: new Date().toISOString(), ...result };
      writeFileSync(join(outDir, `${suite.name}.json`), JSON.stringify(record, null, 2) + '\n');
      process.stderr.write(`  -> bench/results/${suite.name}.json\n`);
    } catch (err) {
      failed++;
      process.stderr.write(`  FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
