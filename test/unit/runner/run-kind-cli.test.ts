import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

describe('burstlab run --target kind, before any cluster', () => {
  it('refuses a scenario with traffic and HPAs with exit 2, naming their paths', async () => {
    const r = await runCli(['run', 'scenarios/quickstart-live.yaml', '--target', 'kind']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/traffic\[0\].*no HTTP load/);
    expect(r.stderr).toMatch(/workloads\[0\]\.hpa.*metrics-server/);
  });

  it('refuses --kind-nodes on another target', async () => {
    const r = await runCli(['run', 'scenarios/kind-small.yaml', '--kind-nodes', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kind-nodes applies to --target kind/);
  });

  it('prints the plan of a dry run: one cluster per arm and the node bound', async () => {
    const r = await runCli(['run', 'scenarios/kind-small.yaml', '--target', 'kind', '--dry-run', '--kind-nodes', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kind: one cluster per arm (karpenter on burstlab-run-1), at most 4 worker node(s) each');
    expect(r.stdout).toContain('Deployment burstlab/web');
  });
});
