import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { MemoryRecorder } from '../../../harness/recorder/recorder.js';
import { resources } from '../../../provisioner/api/resources.js';
import { InsufficientCapacityError, type CloudInstance, type CloudProvider, type LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { Provisioner } from '../../../provisioner/provisioning/provisioner.js';
import { ClusterState } from '../../../provisioner/state/cluster-state.js';
import { StatePod } from '../../../provisioner/state/state-pod.js';
import { podSpec, pool, testCatalog, ZONES } from '../../support/builders.js';

/** A cloud that records launches and answers InsufficientInstanceCapacity for the offerings it is told to. */
class FakeCloud implements CloudProvider {
  readonly launched: LaunchRequest[] = [];
  readonly attempts: LaunchRequest[] = [];
  constructor(private readonly short: (r: LaunchRequest) => boolean) {}
  create(r: LaunchRequest): CloudInstance {
    this.attempts.push(r);
    if (this.short(r)) throw new InsufficientCapacityError(r.type.name, r.zone, r.capacityType);
    this.launched.push(r);
    return { name: r.name, type: r.type.name, zone: r.zone, capacityType: r.capacityType, state: 'pending' };
  }
  delete(): void {}
  get(): CloudInstance | undefined {
    return undefined;
  }
  list(): CloudInstance[] {
    return [];
  }
  instanceTypes() {
    return testCatalog().types;
  }
}

function setup(short: (r: LaunchRequest) => boolean) {
  const clock = new VirtualClock();
  const state = new ClusterState();
  const recorder = new MemoryRecorder(clock, 'karpenter');
  const cloud = new FakeCloud(short);
  const provisioner = new Provisioner({
    clock, state, cloud, recorder, catalog: testCatalog(), pools: [pool()], zones: ZONES, overhead: resources({ cpu: 100, memory: 128, pods: 1 }),
    settings: { batchIdleMs: 1_000, batchMaxMs: 10_000, maxInstanceTypes: 60, iceTtlMs: 180_000 },
  });
  const pod = new StatePod('p-1', podSpec({ cpu: '1' }), 0);
  pod.unschedulableAt = 0;
  state.addPod(pod);
  return { clock, cloud, provisioner, recorder };
}

describe('the launcher', () => {
  it('waits for the batching window to close before launching', () => {
    const { clock, cloud, provisioner } = setup(() => false);
    provisioner.trigger();
    clock.advance(999);
    expect(cloud.launched).toHaveLength(0);
    clock.advance(1);
    expect(cloud.launched).toHaveLength(1);
  });

  it('falls back to the next cheapest offering in the same call when EC2 has no capacity, and caches the failure', () => {
    let first: LaunchRequest | undefined;
    const { clock, cloud, provisioner, recorder } = setup((r) => {
      first ??= r;
      return r.type.name === first.type.name && r.zone === first.zone;
    });
    provisioner.trigger();
    clock.advance(1_000);
    expect(cloud.attempts.length).toBeGreaterThan(1);
    expect(cloud.launched).toHaveLength(1);
    expect(`${cloud.launched[0]!.type.name}/${cloud.launched[0]!.zone}`).not.toBe(`${first!.type.name}/${first!.zone}`);
    expect(provisioner.ice.isUnavailable(first!.type.name, first!.zone, first!.capacityType)).toBe(true);
    expect(recorder.events.filter((e) => e.type === 'claim.created')).toHaveLength(1);
    expect(cloud.launched[0]!.name).toBe(cloud.attempts[0]!.name);
  });

  it('forgets an insufficient-capacity answer after three minutes', () => {
    const { clock, provisioner } = setup(() => false);
    provisioner.ice.markUnavailable('m5.large', 'us-east-1a', 'on-demand');
    clock.advance(179_999);
    expect(provisioner.ice.isUnavailable('m5.large', 'us-east-1a', 'on-demand')).toBe(true);
    clock.advance(1);
    expect(provisioner.ice.isUnavailable('m5.large', 'us-east-1a', 'on-demand')).toBe(false);
  });
});
