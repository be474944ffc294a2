import { VirtualClock } from '../../harness/clock/virtual-clock.js';
import { stopwatch } from '../../harness/clock/wall-clock.js';
import { MemoryRecorder } from '../../harness/recorder/recorder.js';
import { LABEL } from '../../provisioner/api/labels.js';
import { withDefaultRequirements, type NodePool } from '../../provisioner/api/nodepool.js';
import type { PodSpec } from '../../provisioner/api/pod.js';
import { resources } from '../../provisioner/api/resources.js';
import { Catalog } from '../../provisioner/catalog/catalog.js';
import type { CloudProvider } from '../../provisioner/cloudprovider/cloud-provider.js';
import { DisruptionController } from '../../provisioner/disruption/controller.js';
import { Terminator } from '../../provisioner/disruption/termination.js';
import { Provisioner } from '../../provisioner/provisioning/provisioner.js';
import { Requirements } from '../../provisioner/scheduling/requirements.js';
import { ClusterState } from '../../provisioner/state/cluster-state.js';
import { StateNode } from '../../provisioner/state/state-node.js';
import { StatePod } from '../../provisioner/state/state-pod.js';
import { summarize, type BenchSuite } from '../suite.js';

const NODES = 1_000;
const PODS_PER_NODE = 3;
const RUNS = 5;
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const HOUR = 3_600_000;

/** A cluster of NODES m5.xlarge nodes each running three 500m pods (under 40% used), all past consolidateAfter. */
function cluster(catalog: Catalog): { state: ClusterState; pool: NodePool } {
  const type = catalog.get('m5.xlarge')!;
  const overhead = resources({ cpu: 205, memory: 320, pods: 4 });
  const spec: PodSpec = {
    workload: 'app', requests: resources({ cpu: 500, memory: 1024, pods: 1 }), priority: 0, nodeRequirements: Requirements.none,
    tolerations: [], topologySpread: [], affinity: [], antiAffinity: [], doNotDisrupt: false,
  };
  const pool: NodePool = {
    name: 'default', weight: 0, labels: {}, taints: [], limits: {}, consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfterMs: 60_000, expireAfterMs: null, terminationGracePeriodMs: null,
    requirements: withDefaultRequirements([], { [LABEL.nodepool]: 'default' }).intersect(Requirements.of([{ key: LABEL.zone, operator: 'In', values: ZONES }])),
  };
  const state = new ClusterState();
  for (let i = 0; i < NODES; i++) {
    const zone = ZONES[i % ZONES.length]!;
    const name = `node-${String(i).padStart(4, '0')}`;
    const node = new StateNode({
      name, instanceType: type.name, zone, capacityType: 'on-demand', pricePerHour: type.onDemandPrice, capacity: type.capacity, allocatable: type.allocatable,
      labels: { ...type.labels, [LABEL.nodepool]: 'default', [LABEL.zone]: zone, [LABEL.capacityType]: 'on-demand', [LABEL.hostname]: name },
      taints: [], owner: 'default', ownerKind: 'nodepool', overhead, launchedAt: 0, initial: true,
    });
    node.phase = 'ready';
    node.readyAt = 0;
    state.addNode(node);
    for (let j = 0; j < PODS_PER_NODE; j++) {
      const pod = new StatePod(`${name}-p${j}`, spec, 0);
      state.addPod(pod);
      state.bind(pod, node);
      pod.phase = 'ready';
    }
  }
  return { state, pool };
}

const NO_CLOUD: CloudProvider = {
  create: () => Promise.reject(new Error('the benchmark only decides')),
  delete: () => Promise.reject(new Error('the benchmark only decides')),
  get: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
  instanceTypes: () => [],
};

/** One disruption round (the decision, before validation) over a large, under-used cluster. */
export const consolidationBench: BenchSuite = {
  name: 'consolidation',
  description: `one disruption round of the Karpenter arm over ${NODES.toLocaleString('en-US')} Ready m5.xlarge nodes running ${PODS_PER_NODE} pods of 500m each (all past consolidateAfter, default 10% budget: 100 candidates), full us-east-1 catalog, 3 zones: multi-node consolidation's binary search over the solver; ${RUNS} runs after a warm-up`,
  async run(log) {
    const catalog = new Catalog({ region: 'us-east-1', zones: ZONES });
    const decide = (): { ms: number; method: string; nodes: number } => {
      const { state, pool } = cluster(catalog);
      const clock = new VirtualClock(HOUR);
      const recorder = new MemoryRecorder(clock, 'karpenter');
      const provisioner = new Provisioner({
        clock, state, cloud: NO_CLOUD, recorder, catalog, pools: [pool], zones: ZONES, overhead: resources({ cpu: 205, memory: 320, pods: 4 }),
        settings: { batchIdleMs: 1_000, batchMaxMs: 10_000, maxInstanceTypes: 60, iceTtlMs: 180_000 },
      });
      const pdbs = { budgetOf: () => undefined, health: () => ({ healthy: 0, expected: 0 }) };
      const terminator = new Terminator({ clock, recorder, cloud: NO_CLOUD, pdbs, evict: () => undefined, deletePod: () => undefined });
      const controller = new DisruptionController({
        clock, recorder, state, pdbs, terminator, planner: provisioner, offered: catalog, gates: { spotToSpot: false }, epochMs: 0,
        actions: { cordon: () => undefined, evict: () => undefined, deletePod: () => undefined },
      });
      const elapsed = stopwatch();
      const command = controller.round();
      return { ms: elapsed(), method: command?.method ?? 'none', nodes: command?.candidates.length ?? 0 };
    };
    decide();
    const ms: number[] = [];
    let last = { method: 'none', nodes: 0 };
    for (let r = 0; r < RUNS; r++) {
      const out = decide();
      ms.push(out.ms);
      last = out;
    }
    const s = summarize(ms);
    log(`${NODES} nodes: median ${s.median} ms (min ${s.min}, max ${s.max}); decided ${last.method} of ${last.nodes} nodes`);
    return { goal: 'a multi-node consolidation decision over 1,000 nodes in under 1 s', milliseconds: s, decision: last };
  },
};
