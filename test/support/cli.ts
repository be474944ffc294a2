import { readdirSync, readFileSync, readlinkSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../harness/runner/cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process, as `burstlab` would, capturing its output; `signal` stands for SIGINT/SIGTERM. */
export async function runCli(argv: string[], signal: AbortSignal = new AbortController().signal): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, signal });
  return { code, stdout, stderr };
}

/** Output streams that collect what the CLI writes, for tests that call `main` directly. */
export function io(signal: AbortSignal = new AbortController().signal): { stdout: string[]; stderr: string[]; streams: Parameters<typeof main>[1] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    streams: { stdout: { write: (s: string) => stdout.push(s) }, stderr: { write: (s: string) => stderr.push(s) }, signal },
  };
}

/** Every path under `dir` with its content (files) or target (links): equal snapshots mean nothing was touched. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const key = prefix + name;
      const st = lstatSync(path);
      if (st.isSymbolicLink()) out[key] = `-> ${readlinkSync(path)}`;
      else if (st.isDirectory()) {
        out[key + '/'] = '';
        walk(path, key + '/');
      } else out[key] = readFileSync(path, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}
