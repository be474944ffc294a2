import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { MemoryRecorder } from '../../../harness/recorder/recorder.js';
import { resources } from '../../../provisioner/api/resources.js';
import type { PodDisruptionBudget } from '../../../provisioner/disruption/pdb.js';
import { Terminator } from '../../../provisioner/disruption/termination.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { StateNode } from '../../../provisioner/state/state-node.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { instanceType, podSpec } from '../../support/builders.js';
import { fakeCloud } from '../../support/fake-cloud.js';

/** A node running `pods` Ready pods of workload `web`, a Terminator over it, and what it did. */
interface DrainOptions {
  doNotDisruptForMs?: number;
  failDeleteFor?: (name: string, attempt: number) => boolean;
}

function drainSetup(pods: number, pdb?: Omit<PodDisruptionBudget, 'name'>, { doNotDisruptForMs, failDeleteFor }: DrainOptions = {}) {
  const clock = new VirtualClock(0);
  const recorder = new MemoryRecorder(clock, 'karpenter');
  const state = new ClusterState();
  const type = instanceType('m5.large');
  const node = new StateNode({
    name: 'n1', instanceType: type.name, zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: 0.096, capacity: type.capacity,
    allocatable: type.allocatable, labels: {}, taints: [], owner: 'default', ownerKind: 'nodepool', overhead: resources(), launchedAt: 0, initial: true,
  });
  node.phase = 'ready';
  state.addNode(node);
  const spec = doNotDisruptForMs === undefined ? podSpec({ workload: 'web' }) : { ...podSpec({ workload: 'web' }), doNotDisruptForMs };
  for (let i = 1; i <= pods; i++) {
    const pod = new StatePod(`web-${i}`, spec, 0);
    state.addPod(pod);
    state.bind(pod, node);
    pod.startedAt = 0;
    pod.phase = 'ready';
  }
  const deleted: string[] = [];
  const evicted: Array<{ pod: string; t: number; cause: string }> = [];
  const cloud = fakeCloud({ clock, ...(failDeleteFor ? { failDeleteFor } : {}) });
  const cloudDelete = cloud.delete.bind(cloud);
  cloud.delete = (name, reason) => {
    deleted.push(name);
    return cloudDelete(name, reason);
  };
  const healthy = (): number => [...state.pods.values()].filter((p) => p.phase === 'ready').length;
  const terminator = new Terminator({
    clock, recorder, cloud,
    pdbs: { budgetOf: () => (pdb ? { name: 'web', ...pdb } : undefined), health: () => ({ healthy: healthy(), expected: pods }) },
    deletePod: (pod) => void deleted.push(`pod/${pod.name}`),
    evict: (pod, cause) => {
      evicted.push({ pod: pod.name, t: clock.now(), cause });
      pod.phase = 'terminating';
      clock.setTimer(1_000, () => {
        state.unbind(pod);
        state.removePod(pod);
        pod.phase = 'gone';
      });
    },
  });
  return { clock, recorder, node, terminator, deleted, evicted, cloud };
}

describe('the termination drain', () => {
  it('evicts every pod and terminates the instance once the node is empty', async () => {
    const { clock, node, terminator, deleted, evicted } = drainSetup(3);
    terminator.drain(node, 'Underutilized');
    expect(evicted.map((e) => e.pod)).toEqual(['web-1', 'web-2', 'web-3']);
    expect(terminator.isDraining('n1')).toBe(true);
    await clock.runUntilSettled(5_000);
    expect(deleted).toEqual(['n1']);
    expect(terminator.isDraining('n1')).toBe(false);
  });

  it('is refused an eviction the PDB does not allow, logs it once, and waits for the budget', async () => {
    const { clock, recorder, node, terminator, deleted, evicted } = drainSetup(3, { kind: 'minAvailable', value: 2, percent: false });
    terminator.drain(node, 'Drifted');
    expect(evicted.map((e) => e.pod)).toEqual(['web-1']);
    await clock.runUntilSettled(60_000);
    const refused = recorder.events.filter((e) => e.type === 'eviction.blocked');
    expect(refused.map((e) => (e.type === 'eviction.blocked' ? e.pod : ''))).toEqual(['web-2', 'web-3']);
    expect(deleted).toEqual([]);
  });

  it('holds a pod whose do-not-disrupt duration runs, and evicts it once that long has passed since it started', async () => {
    const { clock, node, terminator, deleted, evicted } = drainSetup(1, undefined, { doNotDisruptForMs: 60_000 });
    await clock.runUntilSettled(20_000);
    terminator.drain(node, 'Drifted');
    await clock.runUntilSettled(59_999);
    expect(evicted).toEqual([]);
    await clock.runUntilSettled(70_000);
    expect(evicted).toEqual([{ pod: 'web-1', t: 60_000, cause: 'Drifted' }]);
    expect(deleted).toEqual(['n1']);
  });

  it('deletes, not evicts, the pods a PDB still protects when a forceful caller reaches its deadline, then terminates the node', async () => {
    const { clock, node, terminator, deleted, evicted } = drainSetup(2, { kind: 'minAvailable', value: 2, percent: false });
    terminator.drain(node, 'Expired', { deadlineT: 30_000 });
    expect(evicted).toEqual([]);
    await clock.runUntilSettled(29_999);
    expect(evicted).toEqual([]);
    await clock.runUntilSettled(40_000);
    expect(evicted).toEqual([]);
    expect(deleted).toEqual(['pod/web-1', 'pod/web-2', 'n1']);
  });

  it('retries a termination the cloud refuses, logging each refusal with its backoff, until the cloud accepts it', async () => {
    const { clock, recorder, node, terminator, cloud } = drainSetup(0, undefined, { failDeleteFor: (_name, attempt) => attempt <= 2 });
    terminator.drain(node, 'Empty');
    await clock.advanceSettled(60_000);
    expect(cloud.deletes.map((d) => [d.at, d.accepted])).toEqual([[0, false], [5_000, false], [15_000, true]]);
    const errors = recorder.events.filter((e) => e.type === 'cloud.error');
    expect(errors.map((e) => (e.type === 'cloud.error' ? [e.t, e.operation, e.node, e.retryInMs] : []))).toEqual([
      [0, 'delete', 'n1', 5_000],
      [5_000, 'delete', 'n1', 10_000],
    ]);
  });
});
