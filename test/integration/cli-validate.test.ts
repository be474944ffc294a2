import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../harness/runner/cli.js';
import { io } from '../support/cli.js';

const GIANT = `name: giant
duration: 1h
cluster:
  nodeGroups: [{ name: ng, instanceType: m5.large, min: 1, max: 5 }]
workloads:
  - { name: giant, resources: { cpu: 64, memory: 1Gi } }
autoscalers: [{ name: ca, kind: cluster-autoscaler }]
`;

describe('burstlab validate', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-validate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('checks every file given, reports the errors of each and ok for the good ones, and exits 2', async () => {
    const empty = join(dir, 'empty.yaml');
    const typo = join(dir, 'typo.yaml');
    writeFileSync(empty, '');
    writeFileSync(typo, 'name: typo\ndurration: 1h\n');
    const t = io();
    expect(await main(['validate', empty, 'scenarios/quickstart.yaml', typo], t.streams)).toBe(2);
    const err = t.stderr.join('');
    expect(err).toMatch(/empty\.yaml: 1 problem\n {2}\(root\): the file is empty/);
    expect(err).toMatch(/typo\.yaml: \d+ problems[\s\S]*unknown field 'durration'; did you mean 'duration'\?/);
    expect(err).toMatch(/2 of 3 files invalid/);
    expect(t.stdout.join('')).toMatch(/^scenarios\/quickstart\.yaml: ok/);
  });

  it('prints warnings under the ok line and exits 0 when a file has only warnings', async () => {
    const file = join(dir, 'giant.yaml');
    writeFileSync(file, GIANT);
    const t = io();
    expect(await main(['validate', file], t.streams)).toBe(0);
    const out = t.stdout.join('');
    expect(out).toMatch(/giant\.yaml: ok \(giant, 1 arm\(s\), 1 workload\(s\), 1 warning\)/);
    expect(out).toMatch(/ {2}warning: workloads\[0\] \(line 6\): can never be placed on arm 'ca': larger than every instance type/);
  });

  it('refuses a plan above --max-pods, stating the estimate and the budget', async () => {
    const t = io();
    expect(await main(['validate', 'scenarios/quickstart.yaml', '--max-pods', '100'], t.streams)).toBe(2);
    expect(t.stderr.join('')).toMatch(/may need up to [\d,]+ pods .*the budget is 100 \(--max-pods/);
  });

  it('exits 2 with a hint for a --max-pods that is not a positive whole number', async () => {
    const t = io();
    expect(await main(['validate', 'scenarios/quickstart.yaml', '--max-pods', '0'], t.streams)).toBe(2);
    expect(t.stderr.join('')).toMatch(/--max-pods '0' is not a positive whole number\nhint: /);
  });

  it('refuses to run a plan above the budget and writes nothing', async () => {
    const out = join(dir, 'never');
    const t = io();
    expect(await main(['run', 'scenarios/quickstart.yaml', '--max-nodes', '10', '--out', out], t.streams)).toBe(2);
    expect(t.stderr.join('')).toMatch(/the budget is 10 \(--max-nodes/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
