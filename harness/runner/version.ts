import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** burstlab's version from package.json, found from sources or from dist/. */
export function burstlabVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'burstlab' && pkg.version) return pkg.version;
    } catch {
      // not at this depth; try the next
    }
  }
  return 'unknown';
}
