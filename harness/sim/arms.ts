import type { ClusterActions } from '../../provisioner/api/cluster-actions.js';
import type { CloudProvider, LaunchRequest } from '../../provisioner/cloudprovider/cloud-provider.js';
import type { Clock } from '../../provisioner/runtime/clock.js';
import { DisruptionController } from '../../provisioner/disruption/controller.js';
import type { PdbView } from '../../provisioner/disruption/pdb.js';
import { Terminator } from '../../provisioner/disruption/termination.js';
import { InterruptionController } from '../../provisioner/interruption/interruption-controller.js';
import { ExpirationController } from '../../provisioner/lifecycle/expiration.js';
import { ForcefulDisruption } from '../../provisioner/lifecycle/forceful.js';
import { ClusterAutoscaler } from '../../provisioner/nodegroups/cluster-autoscaler.js';
import type { NodePool } from '../../provisioner/api/nodepool.js';
import type { NodeGroup } from '../../provisioner/nodegroups/node-group.js';
import { Provisioner } from '../../provisioner/provisioning/provisioner.js';
import type { StatePod } from '../../provisioner/state/state-pod.js';
import type { BundledAutoscalerSpec, NodePoolSpec } from '../../scenarios/schema/scenario-schema.js';
import type { SimCloudProvider } from './sim-cloud-provider.js';
import { nodePoolDefined } from './log-facts.js';
import { changedPoolSpec, nodePoolOf } from './specs.js';
import type { World } from './world.js';

/** An autoscaler under test, as the simulation drives it. */
export interface SimArm {
  /** The NodePools it provisions from (none for Cluster Autoscaler). */
  pools: readonly NodePool[];
  /** Nodes it would have launched for pods that exist before the scenario starts (created Ready at t = 0). */
  warmStart(pending: readonly StatePod[]): LaunchRequest[];
  /** Starts its control loops on the world's clock. */
  start(): void;
  /** The cloud withdrew instance types or offerings (world.catalog already reflects it). */
  offeringsChanged(): void;
}

/** What an arm's wiring reads of its world: the sim's World, or a live controller's view of a real cluster. */
export type ArmWorld = Pick<World, 'scenario' | 'state' | 'recorder' | 'catalog' | 'overhead' | 'random' | 'onUnschedulable' | 'workloadHealth'> & {
  clock: Clock;
  /**
   * Where a NodePool changed mid-run is stored before the arm uses it, and what it reads back (a live cluster's
   * API, with its defaults); absent in the sim, where the changed spec is used as it is.
   */
  storePool?: (next: NodePoolSpec) => Promise<NodePoolSpec>;
};

/**
 * One life of the autoscaler's process: the clock its loops run on and whether it is still running. An autoscaler
 * crash (harness/chaos/sim/arm-process.ts) ends a life, and a restart begins another, with new names for what it
 * launches.
 */
export interface ArmLife {
  clock: Clock;
  alive(): boolean;
  /** 0 for the process the run starts with. */
  incarnation: number;
}

/** The cloud as an arm sees it: the CloudProvider (possibly wrapped by a fault) and the notices it listens to. */
export type ArmCloud = CloudProvider & Pick<SimCloudProvider, 'onNotice'>;

export function armFor(spec: BundledAutoscalerSpec, world: ArmWorld, cloud: ArmCloud, actions: ClusterActions, groups: readonly NodeGroup[], life?: ArmLife): SimArm {
  const { scenario, state, recorder, catalog, overhead } = world;
  const clock: Clock = life?.clock ?? world.clock;
  const alive = life?.alive ?? ((): boolean => true);
  const nameInfix = life && life.incarnation > 0 ? `r${life.incarnation}-` : undefined;
  if (spec.kind === 'karpenter') {
    // A restarted controller reads the NodePools as the API has them: changes made before it started are in them.
    const specs = new Map(scenario.cluster.nodePools.map((p) => [p.name, p]));
    for (const change of scenario.changes) {
      if (change.kind === 'nodePool' && change.at < clock.now()) specs.set(change.nodePool, changedPoolSpec(specs.get(change.nodePool)!, change));
    }
    const pools = [...specs.values()].map((p) => nodePoolOf(p, scenario.cluster.zones));
    const provisioner = new Provisioner({
      clock, state, cloud, recorder, catalog, pools, overhead,
      zones: scenario.cluster.zones,
      settings: {
        batchIdleMs: spec.batchIdleDuration,
        batchMaxMs: spec.batchMaxDuration,
        maxInstanceTypes: spec.maxInstanceTypesPerClaim,
        iceTtlMs: spec.insufficientCapacityTtl,
        ...(nameInfix ? { nameInfix } : {}),
      },
    });
    const pdbSpecs = new Map(scenario.workloads.flatMap((w) => (w.pdb ? [[w.name, { name: w.name, ...w.pdb }] as const] : [])));
    const pdbs: PdbView = { budgetOf: (w) => pdbSpecs.get(w), health: (w) => world.workloadHealth(w) };
    const terminator = new Terminator({ clock, recorder, cloud, pdbs, evict: (pod, cause) => actions.evict(pod, cause), deletePod: (pod, cause) => actions.deletePod(pod, cause) });
    const disruption = new DisruptionController({
      clock, recorder, state, actions, pdbs, terminator,
      planner: provisioner,
      offered: catalog,
      gates: { spotToSpot: spec.featureGates.spotToSpotConsolidation },
      epochMs: Date.parse(scenario.start),
    });
    const applyChanges = (): void => {
      for (const change of scenario.changes) {
        if (change.kind !== 'nodePool' || change.at < clock.now()) continue;
        const changed = (next: NodePoolSpec): void => {
          specs.set(change.nodePool, next);
          const pool = nodePoolOf(next, scenario.cluster.zones);
          provisioner.setPool(pool);
          disruption.poolChanged(pool);
          recorder.emit(nodePoolDefined(pool, catalog));
        };
        clock.setTimer(change.at - clock.now(), () => {
          const next = changedPoolSpec(specs.get(change.nodePool)!, change);
          return world.storePool ? world.storePool(next).then(changed) : changed(next);
        });
      }
    };
    const forceful = new ForcefulDisruption({ clock, recorder, actions, pools, replacer: provisioner, drainer: terminator });
    const expiration = new ExpirationController({ clock, state, pools, forceful });
    const interruption = new InterruptionController({ state, ice: provisioner.ice, forceful });
    return {
      pools,
      warmStart: (pending) =>
        provisioner
          .launchRequests(provisioner.plan(pending))
          .flatMap((l) => (l.request ? [l.request] : [])),
      start: () => {
        world.onUnschedulable.push(() => (alive() ? provisioner.trigger() : undefined));
        disruption.start();
        applyChanges();
        expiration.start();
        cloud.onNotice.push((node, kind) => (alive() ? interruption.handle(node, kind) : undefined));
        // A restarted controller lists the pods already pending; only new ones would tell it otherwise.
        if (life && life.incarnation > 0) provisioner.trigger();
      },
      offeringsChanged: () => {
        provisioner.offeringsChanged();
        disruption.offeringsChanged();
      },
    };
  }
  const ca = new ClusterAutoscaler({
    clock, state, cloud, recorder, actions, groups, overhead,
    random: world.random.fork(nameInfix ? `expander/${nameInfix}` : 'expander'),
    settings: {
      scanIntervalMs: spec.scanInterval,
      expander: spec.expander,
      maxNodesPerScaleUp: spec.maxNodesPerScaleUp,
      scaleDownUtilizationThreshold: spec.scaleDownUtilizationThreshold,
      scaleDownUnneededMs: spec.scaleDownUnneededTime,
      scaleDownDelayAfterAddMs: spec.scaleDownDelayAfterAdd,
      maxNodeProvisionMs: spec.maxNodeProvisionTime,
      ...(nameInfix ? { nameInfix } : {}),
    },
  });
  return {
    pools: [],
    warmStart: (pending) => {
      const sizes = new Map(groups.map((g) => [g.name, ca.size(g)]));
      const zoneSizes = new Map(groups.map((g) => [g.name, ca.zoneSizes(g)]));
      let left = [...pending];
      const out: LaunchRequest[] = [];
      for (;;) {
        const choice = ca.chooseScaleUp(left, sizes);
        if (!choice) break;
        for (const r of ca.requests(choice.group, choice.estimate.nodes, zoneSizes.get(choice.group.name)!)) out.push(r);
        sizes.set(choice.group.name, (sizes.get(choice.group.name) ?? 0) + choice.estimate.nodes);
        const placed = new Set(choice.estimate.pods);
        left = left.filter((p) => !placed.has(p));
      }
      return out;
    },
    start: () => ca.start(),
    // Its node groups are fixed shapes: a withdrawn one fails to scale up (the cloud refuses the launch).
    offeringsChanged: () => undefined,
  };
}
