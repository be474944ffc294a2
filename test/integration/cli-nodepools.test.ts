import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../harness/runner/cli.js';
import { io } from '../support/cli.js';

const DOCS_EXAMPLE = 'scenarios/nodepools/docs-example.yaml';
const DOCS_NODEPOOL = 'scenarios/nodepools/default.yaml';
/** A field of the docs' NodePool that the sim does not model, as every output must name it. */
const UNMODELLED = 'default.yaml:117 NodePool/default spec.replicas: static NodePools are not modelled';

describe('burstlab run with Karpenter manifests', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-cli-nodepools-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 when given a bare NodePool manifest as the scenario, and shows how to reference it', async () => {
    const t = io();
    expect(await main(['run', DOCS_NODEPOOL, '--out', join(dir, 'never')], t.streams)).toBe(2);
    const err = t.stderr.join('');
    expect(err).toMatch(/a Kubernetes manifest \(NodePool, karpenter\.sh\/v1\), not a burstlab scenario/);
    expect(err).toMatch(/hint: reference it from a scenario, relative to the scenario file: cluster: \{ nodePools: \[\{ manifest: \.\/default\.yaml \}\] \}/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exits 2 for a kubectl List of NodePools given as the scenario', async () => {
    const t = io();
    expect(await main(['validate', 'test/integration/fixtures/nodepool-list.yaml'], t.streams)).toBe(2);
    expect(t.stderr.join('')).toMatch(/a Kubernetes manifest \(NodePool in a List\), not a burstlab scenario/);
  });

  it('lists every warning in the dry-run plan', async () => {
    const t = io();
    expect(await main(['run', DOCS_EXAMPLE, '--dry-run'], t.streams)).toBe(0);
    expect(t.stdout.join('')).toContain(`warning: ${UNMODELLED}`);
  });

  it('prints warnings before the run and keeps them in results.json, the report header and summary.md', async () => {
    const out = join(dir, 'run');
    const t = io();
    expect([0, 1]).toContain(await main(['run', DOCS_EXAMPLE, '--out', out, '--quiet'], t.streams));
    expect(t.stderr.join('')).toContain(`warning: ${UNMODELLED}`);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { warnings: Array<{ path: string; message: string }> };
    expect(results.warnings).toContainEqual({ path: UNMODELLED.split(': ')[0], message: expect.stringMatching(/^static NodePools are not modelled/) });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    expect(header).toContain('id="scenario-warnings"');
    expect(header).toContain('default.yaml:117 NodePool/default spec.replicas');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('default.yaml:117 NodePool/default spec.replicas: static NodePools are not modelled');
    expect(existsSync(join(out, 'events.jsonl'))).toBe(true);
  });
});
