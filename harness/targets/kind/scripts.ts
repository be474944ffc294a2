import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { kindDir } from '../kwok/tools.js';

export interface ScriptResult {
  code: number;
  /** Everything the script wrote on stdout: the KEY=value lines the kind scripts answer with. */
  stdout: string;
}

/**
 * Runs one of kind/'s shell scripts. Its stderr (progress of builds that take minutes cold) goes to `log` line by
 * line so that a long first build is visibly alive; stdout is kept for the answer.
 */
export function runKindScript(script: string, args: readonly string[], log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<ScriptResult> {
  return new Promise<ScriptResult>((resolve, reject) => {
    const child = spawn('bash', [join(kindDir(), script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') log(line);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/** The KEY=value lines of a script's answer. */
export function answerValues(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && /^[A-Z_]+$/.test(line.slice(0, eq))) values.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  return values;
}

export interface Exec {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; its stderr also goes to `log` line by line when given (kind's progress). */
export function exec(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, log?: (line: string) => void): Promise<Exec> {
  return new Promise<Exec>((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      const text = c.toString('utf8');
      stderr += text;
      if (log) for (const line of text.split('\n')) if (line.trim() !== '') log(line);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** The last lines of a command's output, for an error message. */
export function lastLines(text: string, n = 8): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
