import { withDefaultRequirements } from '../../provisioner/api/nodepool.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import { compatibleTypes } from '../../provisioner/provisioning/nodepool-types.js';
import { Random } from '../../provisioner/runtime/random.js';
import type { FaultSpec, NodeSelectorSpec } from '../../scenarios/schema/fault-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { formatScenarioDuration } from '../runner/human-units.js';

/**
 * One injection of a scenario fault: when, for how long, and the random stream its choice of nodes draws from. A
 * repeated fault (`every` + `count`) is one injection per occurrence.
 */
export interface PlannedFault {
  /** `faults[i]`, or `faults[i]#n` for the n-th occurrence of a repeated fault. */
  id: string;
  index: number;
  fault: FaultSpec;
  atMs: number;
  /** When a fault with a window ends (zone outage, shortage, crash, throttling, a node failure with a duration). */
  untilMs?: number;
  /** For an insufficient-capacity fault: the offerings (`type/zone/capacityType`) that refuse launches. */
  offerings: string[];
  /** Seed of the injection's own stream: which nodes it hits does not depend on any other draw of the run. */
  seed: number;
  detail: string;
}

/**
 * The scenario's faults as a list of injections in time order, computed before the run: the same scenario and seed
 * give the same plan, and each injection draws from a fork of its own (`chaos/<id>`), so adding a fault shifts no
 * other draw (traffic noise, boot times, other faults' choices).
 */
export function faultPlan(s: Scenario, catalog: Catalog, seed = s.seed): PlannedFault[] {
  const root = new Random(seed).fork('chaos');
  const out: PlannedFault[] = [];
  (s.faults ?? []).forEach((fault, index) => {
    const start = fault.phase !== undefined ? s.phases.find((p) => p.name === fault.phase)!.startMs : (fault.at ?? fault.every!);
    const count = fault.count ?? 1;
    const offerings = fault.type === 'insufficient-capacity' ? refusedOfferings(fault, s, catalog) : [];
    for (let n = 1; n <= count; n++) {
      const id = count > 1 ? `faults[${index}]#${n}` : `faults[${index}]`;
      const atMs = start + (fault.every ?? 0) * (n - 1);
      const window = 'duration' in fault && fault.duration !== undefined ? fault.duration : undefined;
      out.push({
        id, index, fault, atMs,
        ...(window === undefined ? {} : { untilMs: Math.min(atMs + window, s.duration) }),
        offerings,
        seed: root.fork(id).uint32(),
        detail: describeFault(fault, offerings),
      });
    }
  });
  return out.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
}

/** The fault in words, as dry-run and chaos.planned give it. */
export function describeFault(f: FaultSpec, offerings: readonly string[] = []): string {
  const d = formatScenarioDuration;
  switch (f.type) {
    case 'spot-interruption':
      return `${howMany(f)} ${describeSelector({ ...f.select, capacityType: 'spot' })}: rebalance recommendation at once, interruption warning ${d(Math.min(120_000, f.durationBeforeInterruption))} before they are reclaimed ${d(f.durationBeforeInterruption)} later`;
    case 'node-failure':
      return f.mode === 'terminate'
        ? `${howMany(f)} ${describeSelector(f.select)} terminated`
        : `${howMany(f)} ${describeSelector(f.select)} NotReady${f.duration === undefined ? '' : ` for ${d(f.duration)}`}, pods evicted after ${d(f.evictionTimeout)}`;
    case 'zone-outage':
      return `every node in ${f.zone} NotReady for ${d(f.duration)} (pods evicted after ${d(f.evictionTimeout)}), no capacity there until it ends`;
    case 'insufficient-capacity':
      return `${offerings.length} offering(s) refuse launches for ${d(f.duration)}: ${offerings.slice(0, 6).join(', ')}${offerings.length > 6 ? ', ...' : ''}`;
    case 'autoscaler-crash':
      return `the autoscaler stops for ${d(f.duration)}, then restarts with its state rebuilt from the cluster`;
    case 'api-throttling':
      return `launch calls fail with a throttling error (RequestLimitExceeded) for ${d(f.duration)}`;
  }
}

function howMany(f: { nodes?: number; percent?: number }): string {
  return f.nodes !== undefined ? `${f.nodes} of the` : `${f.percent}% of the`;
}

function describeSelector(s: NodeSelectorSpec): string {
  const parts = [
    s.capacityType === undefined ? '' : `${s.capacityType} `,
    'nodes',
    s.nodePool === undefined ? '' : ` of NodePool ${s.nodePool}`,
    s.nodeGroup === undefined ? '' : ` of node group ${s.nodeGroup}`,
    s.instanceType === undefined ? '' : ` of type ${s.instanceType}`,
    s.zone === undefined ? '' : ` in ${s.zone}`,
    s.labels === undefined ? '' : ` labelled ${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',')}`,
  ];
  return parts.join('');
}

/** The offerings an insufficient-capacity fault refuses: named ones, every one of a capacity type, or the cheapest per vCPU. */
export function refusedOfferings(f: Extract<FaultSpec, { type: 'insufficient-capacity' }>, s: Scenario, catalog: Catalog): string[] {
  const key = (type: string, zone: string, ct: string): string => `${type}/${zone}/${ct}`;
  if (f.offerings) {
    return f.offerings.flatMap((o) =>
      (catalog.get(o.instanceType)?.offerings ?? [])
        .filter((x) => (o.zone === undefined || x.zone === o.zone) && (o.capacityType === undefined || x.capacityType === o.capacityType))
        .map((x) => key(o.instanceType, x.zone, x.capacityType)),
    );
  }
  if (f.zones) return catalog.types.flatMap((t) => t.offerings.filter((o) => f.zones!.includes(o.zone)).map((o) => key(t.name, o.zone, o.capacityType)));
  const pool = f.nodePool === undefined ? undefined : s.cluster.nodePools.find((p) => p.name === f.nodePool)!;
  const types = pool ? compatibleTypes(catalog, withDefaultRequirements(pool.requirements, pool.labels)) : catalog.types;
  const all = types.flatMap((t) => t.offerings.filter((o) => o.capacityType === f.capacityType).map((o) => ({ key: key(t.name, o.zone, o.capacityType), perVcpu: o.pricePerHour / t.vcpu })));
  all.sort((a, b) => a.perVcpu - b.perVcpu || (a.key < b.key ? -1 : 1));
  return (f.cheapest === undefined ? all : all.slice(0, f.cheapest)).map((o) => o.key);
}
