/**
 * The two stuck-pod cases of issue 8: pods that wait a long time and are then given up must make pod-to-ready worse,
 * never vanish from it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../harness/metrics/results.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { main } from '../../harness/runner/cli.js';
import { readJsonl } from '../../harness/recorder/jsonl.js';

// Nodes take 20-22 minutes to boot; traffic spikes at 2m and is gone by 13m, so the HPA scales the new pods away
// (after its 5-minute stabilisation) while they still wait for their nodes: 15-16 minutes each.
const STUCK = `
name: stuck
seed: 3
duration: 40m
cluster:
  zones: [us-east-1a, us-east-1b, us-east-1c]
  nodeGroups:
    - { name: ng, instanceType: m5.large, min: 1, max: 50 }
  nodePools:
    - name: default
      requirements:
        - { key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r] }
cloud:
  profile: aws
  launchToRegistered: { median: 20m, p90: 22m }
workloads:
  - name: web
    replicas: 2
    resources: { cpu: 500m, memory: 512Mi }
    hpa: { minReplicas: 2, maxReplicas: 40, targetRpsPerPod: 50 }
traffic:
  - { workload: web, profile: spike, base: 50, peak: 1500, at: 2m, rise: 30s, hold: 10m, decay: 1m }
autoscalers:
  - { name: cluster-autoscaler, kind: cluster-autoscaler }
  - { name: karpenter, kind: karpenter }
slo:
  - { metric: podToReady.p99, max: 3m }
`;

/** Each measured pod's wait as the log tells it: until Ready, until deleted, or until the run's end. */
function waitsOf(events: readonly RunEvent[], arm: string): number[] {
  const created = new Map<string, number>();
  const ended = new Map<string, number>();
  let end = 0;
  for (const e of events) {
    if (e.autoscaler !== arm) continue;
    end = Math.max(end, e.t);
    if (e.type === 'pod.created' && !e.initial && e.priority >= 0) created.set(e.pod, e.t);
    else if ((e.type === 'pod.ready' || e.type === 'pod.deleted') && !ended.has(e.pod)) ended.set(e.pod, e.t);
  }
  return [...created].map(([pod, t]) => ((ended.get(pod) ?? end) - t) / 1000);
}

describe('an arm whose pods wait 15 minutes for nodes and are then scaled away by the HPA', () => {
  let dir: string;
  let code: number;
  let results: Results;
  let events: RunEvent[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'burstlab-stuck-'));
    writeFileSync(join(dir, 'stuck.yaml'), STUCK);
    const sink = { write: (_: string) => undefined };
    code = await main(['run', join(dir, 'stuck.yaml'), '--out', join(dir, 'run')], { stdout: sink, stderr: sink, signal: new AbortController().signal });
    results = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8')) as Results;
    events = await readJsonl(join(dir, 'run', 'events.jsonl'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has pods that waited at least 15 minutes and were deleted without ever being Ready', () => {
    for (const a of results.autoscalers) {
      expect(a.pods.abandoned, a.name).toBeGreaterThan(10);
      expect(Math.max(...waitsOf(events, a.name)), a.name).toBeGreaterThanOrEqual(15 * 60);
    }
  });

  it('reports a pod-to-ready p99 at least as long as its longest wait', () => {
    for (const a of results.autoscalers) {
      expect(a.podToReady.max, a.name).toBe(Math.max(...waitsOf(events, a.name)));
      expect(a.podToReady.p99, a.name).toBeGreaterThanOrEqual(a.podToReady.max);
    }
  });

  it('accounts for every pod once: created = ready + neverReady + abandoned', () => {
    for (const a of results.autoscalers) {
      expect(a.pods.created, a.name).toBe(waitsOf(events, a.name).length);
      expect(a.pods.ready + a.pods.neverReady + a.pods.abandoned, a.name).toBe(a.pods.created);
    }
  });

  it('fails the podToReady.p99 <= 3m SLO and exits 1', () => {
    for (const a of results.autoscalers) expect(a.slo.checks.find((c) => c.metric === 'podToReady.p99')?.passed, a.name).toBe(false);
    expect(code).toBe(1);
  });

  it('lists the given-up pods among the slowest, saying they were abandoned while waiting for a node', () => {
    for (const a of results.autoscalers) {
      expect(a.slowestPods[0]?.readyS, a.name).toBeNull();
      expect(a.slowestPods[0]?.dominantPhase, a.name).toBe('abandoned while waiting for a node');
    }
  });
});
