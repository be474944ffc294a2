import { describe, expect, it } from 'vitest';
import { LABEL } from '../../../provisioner/api/labels.js';
import type { PodRef } from '../../../provisioner/api/pod.js';
import { resources } from '../../../provisioner/api/resources.js';
import type { NodePool } from '../../../provisioner/api/nodepool.js';
import { NONE_UNAVAILABLE, type UnavailableOfferings } from '../../../provisioner/scheduling/offerings.js';
import { solve, type ExistingNode, type Plan } from '../../../provisioner/scheduling/solver.js';
import { compatibleTypes } from '../../../provisioner/provisioning/nodepool-types.js';
import { pendingPod, pendingPods, pool, readyNode, testCatalog, ZONES, zoneCounts } from '../../support/builders.js';
import { expectNoClaimOverpacked, expectProvisioned, totalCpu } from '../../support/expectations.js';

const OVERHEAD = resources({ cpu: 155, memory: 256, pods: 2 });
const spotAndOnDemand = [{ key: LABEL.capacityType, operator: 'In' as const, values: ['spot', 'on-demand'] }];

function plan(pods: PodRef[], o: { pools?: NodePool[]; existing?: ExistingNode[]; unavailable?: UnavailableOfferings; zoneTable?: Record<string, Record<string, number>> } = {}): Plan {
  const pools = o.pools ?? [pool()];
  return solve({
    pods,
    existing: o.existing ?? [],
    pools: pools.map((p) => ({ pool: p, types: compatibleTypes(testCatalog(), p.requirements), usage: { cpu: 0, memory: 0 } })),
    overhead: OVERHEAD,
    zones: ZONES,
    zoneCount: zoneCounts(o.zoneTable),
    unavailable: o.unavailable ?? NONE_UNAVAILABLE,
    maxInstanceTypes: 60,
  });
}

describe('the provisioning solver', () => {
  it('puts pods that fit on an existing node there instead of launching', () => {
    const result = plan(pendingPods(3, { cpu: '250m' }), { existing: [readyNode({ name: 'warm', type: 'm5.xlarge' })] });
    expect(result.claims).toEqual([]);
    expect(result.nominations.map((n) => n.node)).toEqual(['warm', 'warm', 'warm']);
  });

  it('packs pending pods onto as few new claims as fit and launches each as its cheapest compatible type', () => {
    const result = plan(pendingPods(10, { cpu: '1', memory: '2Gi' }));
    expectProvisioned(result, 10);
    expectNoClaimOverpacked(result);
    expect(result.claims).toHaveLength(1);
    const claim = result.claims[0]!;
    const prices = claim.instanceTypes.map((t) => Math.min(...t.offerings.filter((o) => o.capacityType === 'on-demand').map((o) => o.pricePerHour)));
    expect(claim.launch.pricePerHour).toBe(Math.min(...prices));
  });

  it('counts daemonset overhead when choosing the size of a node', () => {
    const result = plan([pendingPod({ cpu: '1800m', memory: '1Gi' })]);
    const claim = result.claims[0]!;
    expect(claim.requested.cpu).toBe(1800 + OVERHEAD.cpu);
    expect(claim.launch.type.allocatable.cpu).toBeGreaterThanOrEqual(1800 + OVERHEAD.cpu);
  });

  it('launches on-demand by default, as a NodePool without a capacity-type requirement does', () => {
    expect(plan([pendingPod()]).claims[0]!.launch.capacityType).toBe('on-demand');
  });

  it('prefers Spot when the NodePool allows it', () => {
    expect(plan([pendingPod()], { pools: [pool({ requirements: spotAndOnDemand })] }).claims[0]!.launch.capacityType).toBe('spot');
  });

  it('falls back to on-demand when every Spot offering is out of capacity', () => {
    const noSpot: UnavailableOfferings = { isUnavailable: (_t, _z, ct) => ct === 'spot' };
    const claim = plan([pendingPod()], { pools: [pool({ requirements: spotAndOnDemand })], unavailable: noSpot }).claims[0]!;
    expect(claim.launch.capacityType).toBe('on-demand');
  });

  it('only launches types the NodePool requirements allow', () => {
    const graviton = pool({ requirements: [{ key: LABEL.arch, operator: 'In', values: ['arm64'] }, { key: LABEL.instanceFamily, operator: 'In', values: ['m7g', 'c7g'] }] });
    const claim = plan(pendingPods(4, { cpu: '1' }), { pools: [graviton] }).claims[0]!;
    expect(claim.instanceTypes.every((t) => t.arch === 'arm64' && ['m7g', 'c7g'].includes(t.family))).toBe(true);
  });

  it('tries NodePools by weight, heaviest first', () => {
    const light = pool({ name: 'light', weight: 1 });
    const heavy = pool({ name: 'heavy', weight: 50 });
    expect(plan([pendingPod()], { pools: [light, heavy] }).claims[0]!.pool).toBe('heavy');
  });

  it('skips a NodePool whose taint the pod does not tolerate', () => {
    const tainted = pool({ name: 'gpu', weight: 100, taints: [{ key: 'gpu', effect: 'NoSchedule' }] });
    expect(plan([pendingPod()], { pools: [tainted, pool({ name: 'general' })] }).claims[0]!.pool).toBe('general');
  });

  it('never plans past a NodePool CPU limit and reports the pods it could not place', () => {
    const limited = pool({ limits: { cpu: 16_000 } });
    const result = plan(pendingPods(40, { cpu: '1', antiAffinity: ['kubernetes.io/hostname'] }), { pools: [limited] });
    expect(totalCpu(result.claims)).toBeLessThanOrEqual(16_000);
    expect(result.unsatisfiable.length).toBeGreaterThan(0);
    expect(result.unsatisfiable[0]!.reason).toMatch(/limits reached/);
  });

  it('holds a claim to the limit by the largest type it may still become, so a plan never overshoots', () => {
    const m5 = pool({ limits: { cpu: 16_000 }, requirements: [{ key: LABEL.instanceFamily, operator: 'In', values: ['m5'] }] });
    const result = plan(pendingPods(40, { cpu: '1' }), { pools: [m5] });
    expect(totalCpu(result.claims)).toBeLessThanOrEqual(16_000);
    expect(result.unsatisfiable.length).toBeGreaterThan(0);
  });

  it('moves a zone-spread pod to the next zone when the emptiest one is out of capacity', () => {
    const zoneALost: UnavailableOfferings = { isUnavailable: (_t, z) => z === 'us-east-1a' };
    const result = plan(pendingPods(3, { spread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2 }] }), { unavailable: zoneALost });
    expect(result.unsatisfiable).toEqual([]);
    expect(result.claims.every((c) => c.launch.zone !== 'us-east-1a')).toBe(true);
  });

  it('counts only the zones a NodePool can launch in as spread domains', () => {
    const twoZones = pool({ zones: ['us-east-1a', 'us-east-1b'] });
    const result = plan(pendingPods(6, { antiAffinity: ['kubernetes.io/hostname'], spread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }] }), { pools: [twoZones] });
    expectProvisioned(result, 6);
  });

  it('matches a pod selecting a NodePool label or the nodepool name, and labels the node with it', () => {
    const team = pool({ name: 'team-a', labels: { team: 'a' } });
    const result = plan([pendingPod({ nodeSelector: { team: 'a' } }), pendingPod({ workload: 'np', nodeSelector: { [LABEL.nodepool]: 'team-a' } })], { pools: [team] });
    expectProvisioned(result, 2);
    expect(result.claims[0]!.requirements.singleValue('team')).toBe('a');
  });

  it('refuses a pod that selects a label no NodePool puts on its nodes', () => {
    const result = plan([pendingPod({ nodeSelector: { team: 'b' } })], { pools: [pool({ labels: { team: 'a' } }), pool({ name: 'plain' })] });
    expect(result.unsatisfiable).toHaveLength(1);
    expect(result.unsatisfiable[0]!.reason).toMatch(/incompatible requirements on team/);
  });

  it('reports a pod larger than every allowed type with the shortfall, and still plans the others', () => {
    const result = plan([pendingPod({ name: 'huge', cpu: '1000' }), pendingPod({ name: 'small' })]);
    expect(result.unsatisfiable).toHaveLength(1);
    expect(result.unsatisfiable[0]!.pod.name).toBe('huge');
    expect(result.unsatisfiable[0]!.reason).toMatch(/no instance type has enough cpu/);
    expect(result.claims.flatMap((c) => c.pods.map((p) => p.name))).toEqual(['small']);
  });

  it('gives each pod with hostname anti-affinity a node of its own', () => {
    const result = plan(pendingPods(5, { antiAffinity: ['kubernetes.io/hostname'] }));
    expect(result.claims).toHaveLength(5);
  });

  it('spreads zone-constrained pods across zones within maxSkew', () => {
    const result = plan(pendingPods(6, { cpu: '1', spread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }] }));
    const perZone = new Map<string, number>();
    for (const c of result.claims) perZone.set(c.launch.zone, (perZone.get(c.launch.zone) ?? 0) + c.pods.length);
    expect([...perZone.values()].sort()).toEqual([2, 2, 2]);
  });

  it('puts the first zone-spread pod in the zone with the fewest pods of its workload', () => {
    const result = plan([pendingPod({ spread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }] })], {
      zoneTable: { app: { 'us-east-1a': 1, 'us-east-1b': 1 } },
    });
    expect(result.claims[0]!.launch.zone).toBe('us-east-1c');
  });

  it('honours a pod zone requirement on the claim it launches', () => {
    const result = plan([pendingPod({ nodeSelector: { [LABEL.zone]: 'us-east-1b' } })]);
    expect(result.claims[0]!.launch.zone).toBe('us-east-1b');
  });

  it('launches a GPU type only for pods that need GPUs', () => {
    const gpuPool = pool({ requirements: [{ key: LABEL.instanceCategory, operator: 'In', values: ['g', 'm'] }] });
    const result = plan([pendingPod({ workload: 'train', gpu: 1, cpu: '2' }), pendingPod({ workload: 'web' })], { pools: [gpuPool] });
    const gpuClaim = result.claims.find((c) => c.pods.some((p) => p.spec.workload === 'train'))!;
    expect(gpuClaim.launch.type.gpuCount).toBeGreaterThan(0);
    expectNoClaimOverpacked(result);
  });

  it('never over-packs a claim across a random mix of pods', () => {
    const sizes = ['100m', '250m', '500m', '1', '2', '3500m'];
    const mems = ['128Mi', '512Mi', '1Gi', '3Gi', '7Gi'];
    const pods = Array.from({ length: 400 }, (_, i) => pendingPod({ workload: `w${i % 7}`, cpu: sizes[(i * 7) % sizes.length], memory: mems[(i * 3) % mems.length] }));
    const result = plan(pods, { pools: [pool({ requirements: spotAndOnDemand })] });
    expectProvisioned(result, 400);
    expectNoClaimOverpacked(result);
  });
});

describe('the provisioning solver decides as Karpenter does', () => {
  const zoneOf = (result: Plan, workload: string): string[] => [
    ...new Set(result.claims.filter((c) => c.pods.some((p) => p.spec.workload === workload)).map((c) => c.launch.zone)),
  ];

  it('co-locates the pods of a zone affinity in the zone its first pod opened', () => {
    const onePerNode = { podAffinity: ['topology.kubernetes.io/zone' as const], antiAffinity: ['kubernetes.io/hostname' as const] };
    const result = plan(pendingPods(12, { workload: 'cache', cpu: '6', memory: '8Gi', ...onePerNode }));
    expectProvisioned(result, 12);
    expect(result.claims).toHaveLength(12);
    expect(zoneOf(result, 'cache')).toHaveLength(1);
  });

  it('puts a pod with affinity to another workload in the zone where that workload runs', () => {
    const toDb = { topologyKey: 'topology.kubernetes.io/zone' as const, selects: ['db'] };
    const result = plan(pendingPods(3, { workload: 'web', cpu: '6', podAffinity: [toDb] }), { zoneTable: { db: { [ZONES[1]!]: 2 } } });
    expectProvisioned(result, 3);
    expect(zoneOf(result, 'web')).toEqual([ZONES[1]]);
  });

  it('counts every workload a spread selects: pods already in one zone keep the new ones out of it', () => {
    const spread = { topologyKey: 'topology.kubernetes.io/zone' as const, selects: ['web', 'api'] };
    const result = plan(pendingPods(2, { workload: 'api', cpu: '6', spread: [spread] }), { zoneTable: { web: { [ZONES[0]!]: 1 } } });
    expectProvisioned(result, 2);
    expect(zoneOf(result, 'api').sort()).toEqual([ZONES[1], ZONES[2]]);
  });

  it('keeps a pod off a node that runs a pod its anti-affinity selects in another workload', () => {
    const warm = readyNode({ name: 'warm', type: 'm5.2xlarge', workloads: { db: 1 } });
    const avoidDb = { topologyKey: 'kubernetes.io/hostname' as const, selects: ['db'] };
    const result = plan([pendingPod({ workload: 'web', antiAffinity: [avoidDb] })], { existing: [warm] });
    expect(result.nominations).toEqual([]);
    expect(result.claims).toHaveLength(1);
  });

  it('fills its in-flight claims fewest pods first, so a mixed batch makes even nodes, not one huge beside small ones', () => {
    const spreadOut = pendingPods(4, { workload: 'spread-out', cpu: '2', antiAffinity: ['kubernetes.io/hostname'] });
    const generic = pendingPods(40, { workload: 'generic', cpu: '1', memory: '1Gi' });
    const result = plan([...spreadOut, ...generic]);
    expectProvisioned(result, 44);
    expect(result.claims).toHaveLength(4);
    const pods = result.claims.map((c) => c.pods.length);
    expect(Math.max(...pods) - Math.min(...pods)).toBeLessThanOrEqual(1);
  });

  it('spreads new claims over zones whose offerings are equally cheap instead of piling into the first', () => {
    const result = plan(pendingPods(30, { workload: 'batch', cpu: '6', antiAffinity: ['kubernetes.io/hostname'] }));
    const perZone = ZONES.map((z) => result.claims.filter((c) => c.launch.zone === z).length);
    expect(perZone.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.max(...perZone) - Math.min(...perZone)).toBeLessThanOrEqual(1);
  });
});
