import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { MemoryRecorder } from '../../../harness/recorder/recorder.js';
import { resources } from '../../../provisioner/api/resources.js';
import type { LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { Provisioner } from '../../../provisioner/provisioning/provisioner.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { podSpec, pool, testCatalog, ZONES } from '../../support/builders.js';
import { fakeCloud, type FakeCloudOptions } from '../../support/fake-cloud.js';

function setup(knobs: Omit<FakeCloudOptions, 'clock'> = {}) {
  const clock = new VirtualClock();
  const state = new ClusterState();
  const recorder = new MemoryRecorder(clock, 'karpenter');
  const cloud = fakeCloud({ clock, ...knobs });
  const provisioner = new Provisioner({
    clock, state, cloud, recorder, catalog: testCatalog(), pools: [pool()], zones: ZONES, overhead: resources({ cpu: 100, memory: 128, pods: 1 }),
    settings: { batchIdleMs: 1_000, batchMaxMs: 10_000, maxInstanceTypes: 60, iceTtlMs: 180_000 },
  });
  const pod = new StatePod('p-1', podSpec({ cpu: '1' }), 0);
  pod.unschedulableAt = 0;
  state.addPod(pod);
  return { clock, cloud, provisioner, recorder, state, pod };
}

describe('the launcher', () => {
  it('waits for the batching window to close before launching', async () => {
    const { clock, cloud, provisioner } = setup();
    provisioner.trigger();
    await clock.advanceSettled(999);
    expect(cloud.launched).toHaveLength(0);
    await clock.advanceSettled(1);
    expect(cloud.launched).toHaveLength(1);
  });

  it('falls back to the next cheapest offering at once when EC2 has no capacity, and caches the failure', async () => {
    let first: LaunchRequest | undefined;
    const { clock, cloud, provisioner, recorder } = setup({
      iceFor: (r) => {
        first ??= r;
        return r.type.name === first.type.name && r.zone === first.zone;
      },
    });
    provisioner.trigger();
    await clock.advanceSettled(1_000);
    expect(cloud.attempts.length).toBeGreaterThan(1);
    expect(cloud.launched).toHaveLength(1);
    expect(`${cloud.launched[0]!.type.name}/${cloud.launched[0]!.zone}`).not.toBe(`${first!.type.name}/${first!.zone}`);
    expect(provisioner.ice.isUnavailable(first!.type.name, first!.zone, first!.capacityType)).toBe(true);
    expect(recorder.events.filter((e) => e.type === 'claim.created')).toHaveLength(1);
    expect(cloud.launched[0]!.name).toBe(cloud.attempts[0]!.name);
  });

  it('forgets an insufficient-capacity answer after three minutes', () => {
    const { clock, provisioner } = setup();
    provisioner.ice.markUnavailable('m5.large', 'us-east-1a', 'on-demand');
    clock.advance(179_999);
    expect(provisioner.ice.isUnavailable('m5.large', 'us-east-1a', 'on-demand')).toBe(true);
    clock.advance(1);
    expect(provisioner.ice.isUnavailable('m5.large', 'us-east-1a', 'on-demand')).toBe(false);
  });
});

describe('the launcher on an asynchronous cloud', () => {
  it('leaves the pods pending, unnominated, and every offering it tried cached when the cloud has no capacity for any', async () => {
    const { clock, cloud, provisioner, recorder, pod } = setup({ latencyMs: 200, iceFor: () => true });
    provisioner.trigger();
    await clock.advanceSettled(60_000);
    expect(cloud.attempts.length).toBeGreaterThan(1);
    expect(cloud.launched).toEqual([]);
    expect(pod.pending).toBe(true);
    for (const r of cloud.attempts) expect(provisioner.ice.isUnavailable(r.type.name, r.zone, r.capacityType)).toBe(true);
    expect(recorder.events.filter((e) => e.type === 'pod.nominated')).toEqual([]);
    expect(recorder.events.filter((e) => e.type === 'pod.unsatisfiable').map((e) => (e.type === 'pod.unsatisfiable' ? e.pod : ''))).toEqual(['p-1']);
    expect(provisioner.launchesInFlight).toEqual([]);
  });

  it('nominates the pods only once the cloud has accepted the launch', async () => {
    const { clock, cloud, provisioner, recorder } = setup({ latencyMs: 2_000 });
    provisioner.trigger();
    await clock.advanceSettled(2_999);
    expect(cloud.attempts).toHaveLength(1);
    expect(recorder.events.filter((e) => e.type === 'pod.nominated')).toEqual([]);
    await clock.advanceSettled(1);
    const nominated = recorder.events.filter((e) => e.type === 'pod.nominated');
    expect(nominated.map((e) => [e.t, e.type === 'pod.nominated' ? e.node : ''])).toEqual([[3_000, cloud.attempts[0]!.name]]);
  });

  it('does not launch again for pods whose launch is still in flight or accepted but not yet a node', async () => {
    const { clock, cloud, provisioner } = setup({ latencyMs: 5_000 });
    provisioner.trigger();
    await clock.advanceSettled(1_500);
    provisioner.trigger();
    await clock.advanceSettled(10_000);
    provisioner.trigger();
    await clock.advanceSettled(10_000);
    expect(cloud.attempts).toHaveLength(1);
    expect(provisioner.launchesInFlight).toEqual([cloud.attempts[0]!.name]);
  });

  it('stops counting a launch once its node is in the cluster state', async () => {
    const { clock, cloud, provisioner, state } = setup({ latencyMs: 1_000 });
    const registering = fakeCloud({ clock, state });
    provisioner.trigger();
    await clock.advanceSettled(5_000);
    await registering.create(cloud.launched[0]!);
    provisioner.trigger();
    await clock.advanceSettled(5_000);
    expect(provisioner.launchesInFlight).toEqual([]);
    expect(cloud.attempts).toHaveLength(1);
  });

  it('launches again for pods whose launched node joined the cluster state and left it before the next batch', async () => {
    const { clock, cloud, provisioner, state } = setup({ latencyMs: 1_000 });
    const registering = fakeCloud({ clock, state });
    provisioner.trigger();
    await clock.advanceSettled(5_000);
    await registering.create(cloud.launched[0]!);
    state.removeNode(state.nodes.get(cloud.launched[0]!.name)!);
    provisioner.trigger();
    await clock.advanceSettled(5_000);
    expect(cloud.launched).toHaveLength(2);
  });

  it('logs a launch the cloud refuses, leaves its pods to the next batch, and launches them then', async () => {
    let calls = 0;
    const { clock, cloud, provisioner, recorder } = setup({ failCreateFor: () => ++calls === 1 });
    provisioner.trigger();
    await clock.advanceSettled(1_000);
    expect(cloud.launched).toEqual([]);
    const errors = recorder.events.filter((e) => e.type === 'cloud.error');
    expect(errors.map((e) => (e.type === 'cloud.error' ? [e.t, e.operation, e.node] : []))).toEqual([[1_000, 'create', cloud.attempts[0]!.name]]);
    expect(recorder.events.some((e) => e.type === 'pod.unsatisfiable')).toBe(false);
    await clock.advanceSettled(1_000);
    expect(cloud.launched).toHaveLength(1);
    expect(cloud.launched[0]!.name).not.toBe(cloud.attempts[0]!.name);
    expect(provisioner.launchesInFlight).toEqual([cloud.launched[0]!.name]);
  });

  it('gives up a launch whose node never registers within 15 minutes, deletes its instance and launches again', async () => {
    const { clock, cloud, provisioner } = setup();
    provisioner.trigger();
    await clock.advanceSettled(15 * 60_000 + 1_000);
    provisioner.trigger();
    await clock.advanceSettled(1_000);
    expect(cloud.deletes.map((d) => [d.name, d.reason])).toEqual([[cloud.attempts[0]!.name, 'registration-timeout']]);
    expect(cloud.launched).toHaveLength(2);
  });
});
