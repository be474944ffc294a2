import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { LiveRecorder } from '../../harness/recorder/live-recorder.js';
import { apiWindow, eventTime } from '../../harness/recorder/live-time.js';
import { kwokNode, KWOK_TOLERATION } from '../../harness/targets/kwok-nodes.js';
import { formatViolation } from '../../harness/verify/violation.js';
import { verifyEvents } from '../../harness/verify/verify.js';

// The live recorder's translation from watch events to the event log, without a cluster.
const EPOCH = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number): string => new Date(EPOCH + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

class ManualClock {
  readonly epochMs = EPOCH;
  t = 0;
  now(): number {
    return this.t;
  }
}

function pod(over: { nodeName?: string; ready?: number; scheduled?: number; deletion?: number; grace?: number } = {}): V1Pod {
  const conditions = [];
  if (over.scheduled !== undefined) conditions.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: iso(over.scheduled) as unknown as Date });
  if (over.ready !== undefined) conditions.push({ type: 'Ready', status: 'True', lastTransitionTime: iso(over.ready) as unknown as Date });
  return {
    metadata: {
      name: 'web-5d8f7b9c4-x2x9z',
      namespace: 'default',
      creationTimestamp: iso(1000) as unknown as Date,
      labels: { 'pod-template-hash': '5d8f7b9c4' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f7b9c4', uid: 'u', controller: true }],
      ...(over.deletion !== undefined ? { deletionTimestamp: iso(over.deletion) as unknown as Date, deletionGracePeriodSeconds: over.grace ?? 30 } : {}),
    },
    spec: {
      containers: [{ name: 'app', resources: { requests: { cpu: '250m', memory: '512Mi' } } }],
      ...(over.nodeName ? { nodeName: over.nodeName } : {}),
    },
    status: { conditions },
  };
}

describe('the live recorder', () => {
  it('uses the watch time when it falls inside the second the API stamped', () => {
    expect(eventTime(1234, apiWindow(iso(1000), EPOCH))).toBe(1234);
  });

  it('clamps a watch that saw the change late into the API stamp\'s second', () => {
    expect(eventTime(5400, apiWindow(iso(1000), EPOCH))).toBe(1999);
  });

  it('takes a stamp with milliseconds as exact', () => {
    expect(eventTime(5400, apiWindow(new Date(EPOCH + 1234).toISOString(), EPOCH))).toBe(1234);
  });

  it('stretches wall time since the epoch into scenario time on a run compressed by --speed', () => {
    expect(apiWindow(new Date(EPOCH + 1234).toISOString(), EPOCH, 10)).toEqual({ from: 12_340, to: 12_340 });
  });

  it('records each pod transition once however many updates the watch delivers', () => {
    const clock = new ManualClock();
    const rec = new LiveRecorder(clock, 'karpenter');
    clock.t = 1010;
    rec.observePod(pod());
    clock.t = 1200;
    rec.observePod(pod({ nodeName: 'n1', scheduled: 1000 }));
    rec.observePod(pod({ nodeName: 'n1', scheduled: 1000 }));
    clock.t = 2300;
    rec.observePod(pod({ nodeName: 'n1', scheduled: 1000, ready: 2000 }));
    rec.observePod(pod({ nodeName: 'n1', scheduled: 1000, ready: 2000 }));
    expect(rec.events().map((e) => [e.type, e.t])).toEqual([
      ['pod.created', 1010],
      ['pod.scheduled', 1200],
      ['pod.ready', 2300],
    ]);
  });

  it('names the workload after the Deployment and sums container requests', () => {
    const clock = new ManualClock();
    const rec = new LiveRecorder(clock, 'karpenter');
    clock.t = 1000;
    rec.observePod(pod());
    expect(rec.events()[0]).toMatchObject({ type: 'pod.created', pod: 'default/web-5d8f7b9c4-x2x9z', workload: 'web', cpuMilli: 250, memoryMiB: 512, gpu: 0, autoscaler: 'karpenter' });
  });

  it('records a pod deleted when it is gone from the API, not when its termination starts', () => {
    const clock = new ManualClock();
    const rec = new LiveRecorder(clock, 'karpenter');
    clock.t = 10_050;
    rec.observePod(pod({ nodeName: 'n1', scheduled: 1000, ready: 2000, deletion: 40_000, grace: 30 }));
    expect(rec.events().some((e) => e.type === 'pod.deleted')).toBe(false);
    clock.t = 10_400;
    rec.observePod(pod({ nodeName: 'n1', scheduled: 1000, ready: 2000, deletion: 40_000, grace: 30 }), true);
    expect(rec.events().find((e) => e.type === 'pod.deleted')).toMatchObject({ t: 10_400, reason: 'scale-down' });
  });

  it('marks pods that existed before recording started as initial', () => {
    const clock = new ManualClock();
    const rec = new LiveRecorder(clock, 'karpenter');
    rec.observePod(pod({ nodeName: 'n1', scheduled: 1000, ready: 2000 }), false, true);
    expect(rec.events()[0]).toMatchObject({ type: 'pod.created', initial: true });
  });

  it('records a kwok node with its instance type, zone, price and allocatable, then Ready and terminated', () => {
    const clock = new ManualClock();
    const rec = new LiveRecorder(clock, 'karpenter');
    const spec = { name: 'n1', instanceType: 'm5.large', zone: 'us-east-1b', capacityType: 'spot', arch: 'amd64', nodepool: 'general', cpuMilli: 2000, memoryMiB: 8192, maxPods: 29, pricePerHour: 0.096 } as const;
    const node: V1Node = kwokNode(spec);
    node.metadata!.creationTimestamp = iso(3000) as unknown as Date;
    clock.t = 3020;
    rec.observeNode(node);
    node.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: iso(4000) as unknown as Date }];
    clock.t = 4100;
    rec.observeNode(node);
    clock.t = 9000;
    rec.observeNode(node, true);
    const events = rec.events();
    expect(events[0]).toMatchObject({
      type: 'node.launched', t: 3020, instanceType: 'm5.large', zone: 'us-east-1b', capacityType: 'spot', pricePerHour: 0.096, cpuMilli: 2000, memoryMiB: 8192, owner: 'general', initial: false,
      allocatableCpuMilli: 2000, allocatableMemoryMiB: 8192, allocatablePods: 29, allocatableGpu: 0,
    });
    expect(events.slice(1).map((e) => [e.type, e.t])).toEqual([
      ['node.registered', 3020],
      ['node.ready', 4100],
      ['node.terminated', 9000],
    ]);
  });

  it('records a node\'s labels and lasting taints, leaving out the ones Kubernetes manages', () => {
    const rec = new LiveRecorder(new ManualClock(), 'karpenter');
    const node = kwokNode({ ...SHAPE, name: 'n1' });
    node.spec!.taints = [...node.spec!.taints!, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'gpu', value: 'a10', effect: 'NoExecute' }];
    rec.observeNode(node);
    const launched = rec.events()[0]!;
    expect(launched).toMatchObject({ labels: { 'topology.kubernetes.io/zone': 'us-east-1b', 'karpenter.sh/nodepool': 'general', type: 'kwok' } });
    expect(launched).toMatchObject({ taints: [{ key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }, { key: 'gpu', value: 'a10', effect: 'NoExecute' }] });
  });

  it('records a pod\'s hard scheduling constraints and names those the log cannot express', () => {
    const rec = new LiveRecorder(new ManualClock(), 'karpenter');
    const p = pod();
    p.metadata!.labels = { ...p.metadata!.labels, app: 'web' };
    const own = { matchLabels: { app: 'web' } };
    p.spec = {
      ...p.spec!,
      nodeSelector: { type: 'kwok' },
      tolerations: [{ ...KWOK_TOLERATION }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      topologySpreadConstraints: [
        { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: own },
        { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: own },
      ],
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }] } },
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'kubernetes.io/hostname', labelSelector: own },
            { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'cache' } } },
          ],
        },
      },
    };
    rec.observePod(p);
    expect(rec.events()[0]).toMatchObject({
      nodeSelector: { type: 'kwok' },
      nodeAffinity: [[{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }]],
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Equal', value: 'fake', effect: 'NoSchedule' }],
      topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }],
      podAntiAffinity: ['kubernetes.io/hostname'],
      unrecorded: ['podAntiAffinity on kubernetes.io/hostname: its selector is not the pod\'s own'],
    });
  });

  it('keeps an unconstrained pod\'s event to its requests and priority', () => {
    const rec = new LiveRecorder(new ManualClock(), 'karpenter');
    rec.observePod(pod());
    expect(Object.keys(rec.events()[0]!).sort()).toEqual(['autoscaler', 'cpuMilli', 'gpu', 'memoryMiB', 'pod', 'priority', 't', 'type', 'workload']);
  });

  it('writes a log burstlab verify can check: a pod on a kwok node holds, one without its toleration does not', () => {
    const clock = new ManualClock();
    const rec = new LiveRecorder(clock, 'none');
    const node = kwokNode({ ...SHAPE, name: 'n1' });
    node.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: iso(0) as unknown as Date }];
    rec.observeNode(node);
    const tolerating = pod({ nodeName: 'n1', scheduled: 1000 });
    tolerating.spec = { ...tolerating.spec!, nodeSelector: { type: 'kwok' }, tolerations: [{ ...KWOK_TOLERATION }] };
    const intolerant = pod({ nodeName: 'n1', scheduled: 1000 });
    intolerant.metadata!.name = 'web-5d8f7b9c4-abcde';
    clock.t = 1100;
    rec.observePod(tolerating);
    rec.observePod(intolerant);
    const report = verifyEvents(rec.events());
    expect(report.arms[0]!.placement).toMatchObject({ binds: 2, resourceChecks: 2, selectorChecks: 1, taintChecks: 2 });
    expect(report.violations.map(formatViolation)).toEqual(['t=1.100s none: pod default/web-5d8f7b9c4-abcde -> node n1: taint: the pod does not tolerate kwok.x-k8s.io/node=fake:NoSchedule']);
  });
});

const SHAPE = { instanceType: 'm5.large', zone: 'us-east-1b', capacityType: 'spot', arch: 'amd64', nodepool: 'general', cpuMilli: 2000, memoryMiB: 8192, maxPods: 29, pricePerHour: 0.096 } as const;
