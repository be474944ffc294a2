import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints a snippet as if it were a file of the harness, with the project's own eslint.config.js. */
async function lintAsHarnessFile(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath: 'harness/metrics/snippet.ts' });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('the unbounded-spread lint rule', () => {
  it('rejects spreading an array into push', async () => {
    expect(await lintAsHarnessFile('export function f(out: number[], xs: number[]): void {\n  out.push(...xs);\n}\n')).toEqual([
      expect.stringContaining('overflows the stack'),
    ]);
  });

  it('rejects spreading an array into Math.max', async () => {
    expect(await lintAsHarnessFile('export const f = (xs: number[]): number => Math.max(0, ...xs);\n')).toEqual([expect.stringContaining('Math.max/Math.min')]);
  });

  it('rejects spreading codes into String.fromCharCode', async () => {
    expect(await lintAsHarnessFile('export const f = (xs: number[]): string => String.fromCharCode(...xs);\n')).toHaveLength(1);
  });

  it('accepts the loop and reduce that replace them', async () => {
    const code = 'export function f(out: number[], xs: number[]): number {\n  for (const x of xs) out.push(x);\n  return xs.reduce((a, b) => Math.max(a, b), -Infinity);\n}\n';
    expect(await lintAsHarnessFile(code)).toEqual([]);
  });

  it('accepts a spread into an array literal, which does not use the stack', async () => {
    expect(await lintAsHarnessFile('export const f = (xs: number[]): number[] => [...xs, 1];\n')).toEqual([]);
  });
});
