import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../harness/runner/errors.js';
import { executeScenario } from '../../../harness/runner/execute.js';
import { loadScenario, parseScenario } from '../../../scenarios/load.js';
import { eventsOf, scenarioData } from '../../support/scenarios.js';

const DOCS_EXAMPLE = 'scenarios/nodepools/docs-example.yaml';

/** A NodePool manifest as users write it, with the parts a test cares about overridden. */
function nodePoolYaml(name: string, extra = ''): string {
  return `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: ${name}
spec:
  template:
    spec:
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: default
      requirements:
        - key: karpenter.k8s.aws/instance-category
          operator: In
          values: ["c", "m"]
${extra}`;
}

function issuesOf(load: () => unknown): Array<{ path: string; message: string }> {
  try {
    load();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be invalid');
}

async function issuesIn(file: string): Promise<Array<{ path: string; message: string }>> {
  try {
    await loadScenario(file);
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error('expected the scenario to be invalid');
}

describe('Karpenter NodePool manifests', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-nodepools-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A scenario file next to `manifests` (file name -> text) whose nodePools are `pools`. */
  function scenarioWith(pools: unknown[], manifests: Record<string, string> = {}): string {
    for (const [file, text] of Object.entries(manifests)) writeFileSync(join(dir, file), text);
    const file = join(dir, 'scenario.yaml');
    const data = scenarioData();
    writeFileSync(file, JSON.stringify({ ...data, cluster: { ...(data.cluster as object), nodePools: pools } }, null, 2));
    return file;
  }

  it("carries every field of Karpenter's documented NodePool into burstlab's form", async () => {
    const s = await loadScenario(DOCS_EXAMPLE);
    const pool = s.cluster.nodePools[0]!;
    expect(pool).toMatchObject({
      name: 'default',
      weight: 10,
      labels: { 'billing-team': 'my-team' },
      annotations: { 'example.com/owner': 'my-team' },
      taints: [{ key: 'example.com/special-taint', effect: 'NoSchedule' }],
      startupTaints: [{ key: 'example.com/another-taint', effect: 'NoSchedule' }],
      limits: { cpu: 1_000_000, memory: 1000 * 1024 },
      otherLimits: { nodes: '10' },
      replicas: 5,
      terminationGracePeriod: 48 * 3_600_000,
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
    });
    expect(pool.disruption).toMatchObject({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: 60_000, expireAfter: 720 * 3_600_000 });
    expect(pool.disruption.budgets).toEqual([{ nodes: '10%' }, { schedule: '0 9 * * mon-fri', duration: 8 * 3_600_000, nodes: '0' }]);
    expect(pool.requirements[0]).toMatchObject({ key: 'karpenter.k8s.aws/instance-category', minValues: 2 });
  });

  it("runs Karpenter's documented NodePool on the sim, launching only what its requirements allow", async () => {
    const { results, events } = await executeScenario(await loadScenario(DOCS_EXAMPLE));
    const karpenter = results.autoscalers.find((a) => a.kind === 'karpenter')!;
    expect(karpenter.pods.ready).toBe(karpenter.pods.created);
    const launched = eventsOf(events, 'karpenter', 'node.launched').filter((e) => !e.initial);
    expect(launched.length).toBeGreaterThan(0);
    for (const node of launched) {
      expect(node.owner).toBe('default');
      expect(node.instanceType).toMatch(/^(m5|m5d|c5|c5d)\.(xlarge|2xlarge|4xlarge|8xlarge)$/);
      expect(['us-east-1a', 'us-east-1b']).toContain(node.zone);
    }
  });

  it("names an EC2NodeClass's kubelet settings and subnets in warnings, since allocatable and zones come from elsewhere", async () => {
    const nodeClass = 'apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata:\n  name: default\nspec:\n  kubelet:\n    maxPods: 110\n  subnetSelectorTerms:\n    - tags: { karpenter.sh/discovery: prod }\n';
    const s = await loadScenario(scenarioWith([{ manifest: './class.yaml' }, { name: 'own', disruption: { consolidationPolicy: 'WhenEmpty' } }], { 'class.yaml': nodeClass }));
    expect(s.warnings.map((w) => w.path)).toEqual(['class.yaml:6 EC2NodeClass/default spec.kubelet', 'class.yaml:8 EC2NodeClass/default spec.subnetSelectorTerms']);
  });

  it('turns Gte and Lte into the equivalent Gt and Lt', async () => {
    const file = scenarioWith([{ manifest: './pool.yaml' }], {
      'pool.yaml': nodePoolYaml('gen', '        - { key: karpenter.k8s.aws/instance-generation, operator: Gte, values: ["5"] }\n        - { key: karpenter.k8s.aws/instance-cpu, operator: Lte, values: ["16"] }\n'),
    });
    const pool = (await loadScenario(file)).cluster.nodePools[0]!;
    expect(pool.requirements.slice(1)).toEqual([
      { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
      { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Lt', values: ['17'] },
    ]);
  });

  it('reads one NodePool per document of a multi-document file, next to its EC2NodeClass', async () => {
    const nodeClass = 'apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nmetadata:\n  name: default\nspec:\n  role: KarpenterNodeRole\n  amiSelectorTerms:\n    - alias: al2023@latest\n';
    const file = scenarioWith([{ manifest: './pools.yaml' }], { 'pools.yaml': `${nodePoolYaml('a')}---\n${nodePoolYaml('b')}---\n${nodeClass}` });
    const s = await loadScenario(file);
    expect(s.cluster.nodePools.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('reads the List that kubectl get nodepools -o yaml prints, ignoring what the server added', async () => {
    const list = `apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: karpenter.sh/v1
  kind: NodePool
  metadata:
    annotations:
      karpenter.sh/nodepool-hash: "6821555240594823858"
    creationTimestamp: "2026-01-05T10:00:00Z"
    generation: 1
    name: general
    resourceVersion: "1234"
    uid: 4b3a0c2e-0000-4000-8000-000000000000
  spec:
    disruption:
      budgets:
      - nodes: 10%
      consolidateAfter: 0s
      consolidationPolicy: WhenEmpty
    template:
      spec:
        expireAfter: 720h
        nodeClassRef:
          group: karpenter.k8s.aws
          kind: EC2NodeClass
          name: default
        requirements:
        - key: karpenter.sh/capacity-type
          operator: In
          values:
          - on-demand
  status:
    resources:
      cpu: "8"
`;
    const s = await loadScenario(scenarioWith([{ manifest: './got.yaml' }], { 'got.yaml': list }));
    expect(s.cluster.nodePools).toHaveLength(1);
    expect(s.cluster.nodePools[0]).toMatchObject({ name: 'general', disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: 0 } });
    expect(s.warnings).toEqual([]);
  });

  it('points a manifest error at the manifest file, its path and its line', async () => {
    const file = scenarioWith([{ manifest: './bad.yaml' }], {
      'bad.yaml': nodePoolYaml('bad', '        - { key: karpenter.k8s.aws/instance-cpu, operator: Between, values: ["4"] }\n  disruption:\n    budgets:\n      - nodes: 10\n'),
    });
    const paths = (await issuesIn(file)).map((i) => i.path);
    expect(paths).toEqual([
      `bad.yaml:16 NodePool/bad spec.template.spec.requirements[1].operator`,
      `bad.yaml:19 NodePool/bad spec.disruption.budgets[0].nodes`,
    ]);
  });

  it('reports every problem of a manifest at once: a bad limit, and kubelet where v1 no longer has it', async () => {
    const file = scenarioWith([{ manifest: './v1.yaml' }], {
      'v1.yaml': nodePoolYaml('p').replace('    spec:\n      nodeClassRef', '    spec:\n      kubelet: { maxPods: 110 }\n      nodeClassRef') + '  limits:\n    cpu: lots\n    nvidia.com/gpu: many\n',
    });
    const issues = await issuesIn(file);
    expect(issues).toEqual([
      { path: 'v1.yaml:7 NodePool/p spec.template.spec', message: expect.stringMatching(/moved to the EC2NodeClass \(spec\.kubelet\)/) },
      { path: 'v1.yaml:18 NodePool/p spec.limits.cpu', message: expect.stringMatching(/'lots' is not a cpu quantity/) },
      { path: 'v1.yaml:19 NodePool/p spec.limits.nvidia.com/gpu', message: expect.stringMatching(/'many' is not a nvidia\.com\/gpu quantity/) },
    ]);
  });

  it('requires what the API server requires: a nodeClassRef', async () => {
    const file = scenarioWith([{ manifest: './pool.yaml' }], { 'pool.yaml': nodePoolYaml('p').replace(/ {6}nodeClassRef:\n(.*\n){3}/, '') });
    const issues = (await issuesIn(file));
    expect(issues.map((i) => i.path)).toEqual([`pool.yaml:7 NodePool/p spec.template.spec.nodeClassRef`]);
  });

  it('rejects a v1beta1 NodePool and names the v1 API', async () => {
    const file = scenarioWith([{ manifest: './old.yaml' }], { 'old.yaml': nodePoolYaml('old').replace('karpenter.sh/v1', 'karpenter.sh/v1beta1') });
    const [issue] = (await issuesIn(file));
    expect(issue!.path).toBe(`old.yaml:1 NodePool/old apiVersion`);
    expect(issue!.message).toMatch(/write karpenter\.sh\/v1/);
  });

  it('rejects other kinds in a NodePool file', async () => {
    const file = scenarioWith([{ manifest: './mixed.yaml' }], { 'mixed.yaml': `${nodePoolYaml('a')}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n` });
    expect((await issuesIn(file)).map((i) => i.path)).toEqual([`mixed.yaml:18 Deployment/web kind`]);
  });

  it('reports a manifest file that cannot be read at its path', async () => {
    const file = scenarioWith([{ manifest: './missing.yaml' }]);
    const [issue] = (await issuesIn(file));
    expect(issue).toMatchObject({ path: 'missing.yaml', message: expect.stringMatching(/cannot read the manifest/) });
  });

  it('asks for a zoneMap when a NodePool names none of the cluster zones', async () => {
    const file = scenarioWith([{ manifest: './west.yaml' }], { 'west.yaml': nodePoolYaml('west', '        - { key: topology.kubernetes.io/zone, operator: In, values: ["us-west-2a"] }\n') });
    const [issue] = (await issuesIn(file));
    expect(issue!.path).toBe(`west.yaml:16 NodePool/west spec.template.spec.requirements[1].values`);
    expect(issue!.message).toMatch(/zoneMap: \{ us-west-2a: us-east-1a \}/);
  });

  it('accepts a NodePool manifest inline and reports its errors at the scenario path and line', async () => {
    const inline = nodePoolYaml('inline', '  weight: 0\n')
      .split('\n')
      .map((l, i) => (l === '' ? l : `${i === 0 ? '    - ' : '      '}${l}`))
      .join('\n');
    const text = `name: inline\nduration: 10m\ncluster:\n  nodePools:\n${inline}\nworkloads:\n  - { name: web, resources: { cpu: "1", memory: 1Gi } }\nautoscalers:\n  - { name: karpenter, kind: karpenter }\n`;
    const [issue] = issuesOf(() => parseScenario(text, 'inline.yaml'));
    expect(issue!.path).toBe('cluster.nodePools[0].spec.weight (line 20)');
    expect(issue!.message).toMatch(/>=\s*1/);
  });
});
