import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { killLeftovers } from './leftovers.js';

/**
 * A temporary folder for one live run, shared by the checks of a describe block: after them every process the run
 * left is killed, and the folder is removed, or kept and named (with `diagnostics()`) when a check failed.
 */
export function liveRunDir(prefix: string, diagnostics: () => string = () => ''): { dir: string; check: (name: string, fn: () => void | Promise<void>) => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let failed = false;
  afterAll(async () => {
    await killLeftovers(dir);
    if (failed) process.stderr.write(`[kwok] run kept in ${dir}\n${diagnostics()}`);
    else rmSync(dir, { recursive: true, force: true });
  });
  const check = (name: string, fn: () => void | Promise<void>): void => {
    it(name, async () => {
      try {
        await fn();
      } catch (err) {
        failed = true;
        throw err;
      }
    }, 60_000);
  };
  return { dir, check };
}
