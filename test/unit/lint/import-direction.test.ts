import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Lints a snippet as if it were the given file, with the project's own eslint.config.js. */
async function importErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import-direction lint rule', () => {
  it('rejects an import of harness/ from provisioner/', async () => {
    const code = "import type { VirtualClock } from '../../harness/clock/virtual-clock.js';\nexport type X = VirtualClock;\n";
    expect(await importErrors('provisioner/provisioning/snippet.ts', code)).toEqual([expect.stringContaining('provisioner/ must not import')]);
  });

  it('rejects an import of scenarios/ from provisioner/', async () => {
    const code = "import type { Scenario } from '../../scenarios/schema/scenario.js';\nexport type X = Scenario;\n";
    expect(await importErrors('provisioner/api/snippet.ts', code)).toHaveLength(1);
  });

  it('accepts an import of provisioner/runtime/ from provisioner/', async () => {
    const code = "import type { Clock } from '../runtime/clock.js';\nexport type X = Clock;\n";
    expect(await importErrors('provisioner/provisioning/snippet.ts', code)).toEqual([]);
  });

  it('accepts an import of provisioner/ from harness/', async () => {
    const code = "import type { Clock } from '../../provisioner/runtime/clock.js';\nexport type X = Clock;\n";
    expect(await importErrors('harness/sim/snippet.ts', code)).toEqual([]);
  });
});
