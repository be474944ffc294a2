import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../../harness/metrics/results.js';
import type { RunEvent } from '../../../provisioner/runtime/events.js';
import { main } from '../../../harness/runner/cli.js';
import type { RunMeta } from '../../../harness/runner/run-meta.js';
import { formatViolation } from '../../../harness/verify/violation.js';
import { verifyEvents } from '../../../harness/verify/verify.js';
import { saveRunDir } from '../../support/report-run-dir.js';
import { run } from '../../support/scenarios.js';

// One small real run, both arms: three warm nodes across the zones, a tainted system node, a zone-spread web
// service that scales up, and a capped NodePool. Each test corrupts a copy of its log or results by hand.
const SPREAD = { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' };
const SCENARIO = {
  duration: '1h',
  cluster: {
    zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
    nodeGroups: [
      { name: 'ng', instanceType: 'm5.large', min: 3, max: 10 },
      { name: 'system', instanceType: 'm5.large', min: 1, max: 1, autoscaled: false, taints: [{ key: 'dedicated', value: 'system', effect: 'NoSchedule' }] },
    ],
    nodePools: [{ name: 'default', limits: { cpu: 64 } }],
  },
  workloads: [{ name: 'web', replicas: 3, resources: { cpu: '500m', memory: '1Gi' }, topologySpread: [SPREAD], schedule: [{ at: '00:01', replicas: 12 }] }],
};
const CA = 'cluster-autoscaler';
const META: RunMeta = {
  schema: 'burstlab/run/v1', startedAt: '2026-11-25T00:00:00.000Z', finishedAt: '2026-11-25T00:00:01.000Z', burstlabVersion: '0.0.0',
  nodeVersion: 'v22', target: 'sim', scenarioFile: 'test.yaml', argv: ['run', 'test.yaml'], components: {},
};

let events: RunEvent[];
let results: Results;

beforeAll(async () => {
  ({ events, results } = await run(SCENARIO));
}, 60_000);

/** A deep copy to corrupt. */
const copy = <T>(x: T): T => structuredClone(x);
const lines = (ev: readonly RunEvent[], res: Results = results): string[] => verifyEvents(ev, res).violations.map(formatViolation);
const scheduled = (ev: RunEvent[], arm: string): Array<Extract<RunEvent, { type: 'pod.scheduled' }>> =>
  ev.filter((e): e is Extract<RunEvent, { type: 'pod.scheduled' }> => e.autoscaler === arm && e.type === 'pod.scheduled');

describe('burstlab verify on a run as the sim wrote it', () => {
  it('finds every invariant held in both arms', () => {
    const report = verifyEvents(events, results);
    expect(report.violations.map(formatViolation)).toEqual([]);
    expect(report.arms.map((a) => a.arm)).toEqual([CA, 'karpenter']);
    for (const a of report.arms) {
      expect(a.placement.binds).toBeGreaterThanOrEqual(12);
      expect(a.placement.resourceChecks).toBe(a.placement.binds);
      expect(a.placement.spreadChecks).toBe(a.placement.binds);
    }
    expect(report.results!.valuesCompared).toBeGreaterThan(100);
  });
});

describe('burstlab verify on a log written before the contract had node room and definitions', () => {
  it('checks what the log has and counts what it cannot check', () => {
    const old = copy(events)
      .filter((e) => e.type !== 'nodepool.defined' && e.type !== 'nodegroup.defined')
      .map((e) => {
        if (e.type !== 'node.launched') return e;
        // Logs before the contract had allocatable carried it as the node's cpuMilli/memoryMiB (the live recorder's form).
        const { allocatableCpuMilli: c, allocatableMemoryMiB: m, allocatablePods: _p, allocatableGpu: _g, daemonsetOverhead: _d, labels: _l, taints: _t, ...rest } = e;
        return { ...rest, cpuMilli: c ?? rest.cpuMilli, memoryMiB: m ?? rest.memoryMiB };
      });
    const report = verifyEvents(old, results);
    expect(report.violations.map(formatViolation)).toEqual([]);
    for (const a of report.arms) {
      expect(a.placement.withoutAllocatable).toBe(a.placement.binds);
      expect(a.capacity.launchChecks).toBe(0);
      expect(a.capacity.undefinedOwner).toBeGreaterThan(0);
    }
  });
});

describe('burstlab verify on a hand-corrupted log', () => {
  it('reports an over-packed node with its requests against its room', () => {
    const ev = copy(events);
    const pod = ev.find((e) => e.autoscaler === CA && e.type === 'pod.created')!;
    Object.assign(pod, { cpuMilli: 5000 });
    expect(lines(ev)).toContainEqual(expect.stringMatching(/^t=\d+\.\d{3}s cluster-autoscaler: pod web-1 -> node \S+: over-commit: cpu 5000m requested by its pods > 1730m room \(allocatable 1830m less daemonsets 100m\)$/));
  });

  it('reports a broken topology spread with the skew it made', () => {
    const ev = copy(events);
    const binds = scheduled(ev, CA);
    for (const b of binds) b.node = binds[0]!.node;
    expect(lines(ev)).toContainEqual(expect.stringMatching(/cluster-autoscaler: pod web-\d+ -> node \S+: topology spread: topology\.kubernetes\.io\/zone us-east-1\w would hold 2 pods of web against a minimum of 0 elsewhere: skew 2 > maxSkew 1$/));
  });

  it('reports a pod bound to a node whose taint it does not tolerate', () => {
    const ev = copy(events);
    scheduled(ev, CA)[0]!.node = 'system-init-1';
    expect(lines(ev)).toContainEqual(expect.stringMatching(/cluster-autoscaler: pod web-\d+ -> node system-init-1: taint: the pod does not tolerate dedicated=system:NoSchedule$/));
  });

  it('reports a pod bound to a node its nodeSelector excludes', () => {
    const ev = copy(events);
    const first = scheduled(ev, CA)[0]!;
    Object.assign(ev.find((e) => e.type === 'pod.created' && e.pod === first.pod)!, { nodeSelector: { 'topology.kubernetes.io/zone': 'us-east-1z' } });
    expect(lines(ev)).toContainEqual(expect.stringMatching(new RegExp(`cluster-autoscaler: pod ${first.pod} -> node ${first.node}: nodeSelector: node label topology\\.kubernetes\\.io/zone=us-east-1\\w does not meet the pod's nodeSelector/affinity$`)));
  });

  it('reports two pods of a workload on one node despite their anti-affinity', () => {
    const ev = copy(events);
    for (const e of ev) if (e.autoscaler === CA && e.type === 'pod.created') Object.assign(e, { podAntiAffinity: ['kubernetes.io/hostname'] });
    const binds = scheduled(ev, CA);
    binds[1]!.node = binds[0]!.node;
    expect(lines(ev)).toContainEqual(`t=${(binds[1]!.t / 1000).toFixed(3)}s cluster-autoscaler: pod ${binds[1]!.pod} -> node ${binds[0]!.node}: pod anti-affinity: kubernetes.io/hostname ${binds[0]!.node} already holds 1 pod of web`);
  });

  it("reports a launch past its NodePool's limits", () => {
    const ev = copy(events);
    const pool = ev.find((e) => e.type === 'nodepool.defined')!;
    Object.assign(pool, { limits: { cpuMilli: 1000 } });
    expect(lines(ev)).toContainEqual(expect.stringMatching(/karpenter: nodepool default \(launching \S+\): nodepool limits: cpu of its live nodes \d+m > limit 1000m$/));
  });

  it("reports a launch past its node group's max", () => {
    const ev = copy(events);
    const group = ev.find((e) => e.autoscaler === CA && e.type === 'nodegroup.defined' && e.group === 'ng')!;
    Object.assign(group, { max: 2 });
    expect(lines(ev)).toContainEqual(expect.stringMatching(/cluster-autoscaler: nodegroup ng \(launching ng-init-3\): node group size: 3 live nodes > max 2$/));
  });

  it("reports nodes whose log costs less than the run's lower bound", () => {
    const ev = copy(events);
    for (const e of ev) if (e.autoscaler === CA && e.type === 'node.launched') e.pricePerHour = 0;
    expect(lines(ev)).toContainEqual(expect.stringMatching(/cluster-autoscaler: events\.jsonl: cost >= lower bound: the log's nodes cost \$0 < lower bound \$0\.\d+$/));
  });
});

describe('burstlab verify on a hand-corrupted results.json', () => {
  it('reports a cost below its lower bound', () => {
    const res = copy(results);
    res.autoscalers[0]!.cost.lowerBoundUSD = res.autoscalers[0]!.cost.totalUSD + 1;
    expect(lines(events, res)).toContainEqual(expect.stringMatching(/cluster-autoscaler: results\.json: cost >= lower bound: cost \$[\d.]+ < lower bound \$[\d.]+$/));
  });

  it('reports a pod-to-ready quantile the events do not give', () => {
    const res = copy(results);
    const p99 = res.autoscalers[1]!.podToReady.p99;
    res.autoscalers[1]!.podToReady.p99 = p99 + 7;
    expect(lines(events, res)).toEqual([expect.stringMatching(new RegExp(`karpenter: results\\.json: results match the events: podToReady\\.p99: results\\.json says ${p99 + 7}, the events give ${p99}$`))]);
  });
});

describe('the verify command', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'burstlab-verify-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, signal: new AbortController().signal };
    return main(args, io).then((code) => ({ code, out, err }));
  }

  it('exits 0 with a summary of what it checked when every invariant holds', async () => {
    const dir = saveRunDir(join(tmp, 'good'), { events, results, meta: META });
    const r = await cli(['verify', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('every invariant holds');
    expect(r.out).toMatch(/cluster-autoscaler: \d+ binds \(\d+ against node room/);
    expect(r.out).toMatch(/values recomputed from the events/);
  });

  it('exits 1 with one line per violation', async () => {
    const dir = saveRunDir(join(tmp, 'bad'), { events, results, meta: META });
    const res = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
    res.autoscalers[0]!.podToReady.p50 += 1;
    res.autoscalers[0]!.podToReady.max += 1;
    writeFileSync(join(dir, 'results.json'), JSON.stringify(res));
    const r = await cli(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('2 violations');
    expect(r.err.trim().split('\n')).toEqual([
      expect.stringMatching(/^violation: t=\d+\.\d{3}s cluster-autoscaler: results\.json: results match the events: podToReady\.p50: /),
      expect.stringMatching(/^violation: t=\d+\.\d{3}s cluster-autoscaler: results\.json: results match the events: podToReady\.max: /),
    ]);
  });

  it('exits 2 naming a run directory that does not exist', async () => {
    const r = await cli(['verify', join(tmp, 'absent')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('run directory not found');
  });

  it('exits 2 with the line of a malformed event', async () => {
    const dir = saveRunDir(join(tmp, 'malformed'), { events, results, meta: META });
    writeFileSync(join(dir, 'events.jsonl'), '{"t":0,"autoscaler":"a","type":"run.started"}\n{oops\n');
    const r = await cli(['verify', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('line 2');
  });
});
