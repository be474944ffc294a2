import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints a snippet as if it were the given file, with the project's own eslint.config.js. */
async function floating(filePath: string, code: string): Promise<number> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result!.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join('; '));
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-floating-promises').length;
}

const IMPORT = "import type { CloudProvider } from '../cloudprovider/cloud-provider.js';\n";

describe('the floating-promise lint rule', () => {
  it('rejects a CloudProvider call in provisioner/ whose promise nobody awaits or handles', async () => {
    expect(await floating('provisioner/provisioning/snippet.ts', `${IMPORT}export function f(c: CloudProvider): void {\n  c.delete('n', 'r');\n}\n`)).toBe(1);
  });

  it('accepts a CloudProvider call that is awaited, or whose rejection is handled', async () => {
    const code = `${IMPORT}export async function f(c: CloudProvider): Promise<void> {\n  await c.delete('n', 'r');\n  c.delete('m', 'r').catch(() => undefined);\n}\n`;
    expect(await floating('provisioner/provisioning/snippet.ts', code)).toBe(0);
  });
});
