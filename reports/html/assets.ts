/**
 * The files inlined into every report: uPlot's build and stylesheet from node_modules, and our own stylesheet and
 * client script, which stay plain files (tsc does not copy them to dist/) and are read from the package root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Assets {
  uplotJs: string;
  uplotCss: string;
  reportCss: string;
  clientJs: string;
}

let cached: Assets | undefined;

export function loadAssets(): Assets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const own = join(packageRoot(), 'reports', 'html', 'assets');
  cached = {
    uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    reportCss: readFileSync(join(own, 'report.css'), 'utf8'),
    clientJs: readFileSync(join(own, 'client.js'), 'utf8'),
  };
  return cached;
}

/** Works from source (reports/html) and from the build (dist/reports/html): the first folder with package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('burstlab package root not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}
