import { stopwatch } from '../../harness/clock/wall-clock.js';
import { LABEL } from '../../provisioner/api/labels.js';
import { withDefaultRequirements } from '../../provisioner/api/nodepool.js';
import type { PodRef, PodSpec } from '../../provisioner/api/pod.js';
import { resources } from '../../provisioner/api/resources.js';
import { Catalog } from '../../provisioner/catalog/catalog.js';
import { compatibleTypes } from '../../provisioner/provisioning/nodepool-types.js';
import { NONE_UNAVAILABLE } from '../../provisioner/scheduling/offerings.js';
import { Requirements } from '../../provisioner/scheduling/requirements.js';
import { solve } from '../../provisioner/scheduling/solver.js';
import { summarize, type BenchSuite } from '../suite.js';

const SIZES = [1_000, 5_000, 20_000, 40_000];
const RUNS = 5;
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** Ten workloads of mixed shapes, two of them spread across zones, as a busy cluster's pending queue looks. */
function workloads(): PodSpec[] {
  const shapes: Array<[number, number]> = [[100, 128], [250, 512], [500, 1024], [1000, 2048], [2000, 4096], [4000, 8192], [500, 4096], [1000, 1024], [250, 256], [8000, 32768]];
  return shapes.map(([cpu, memory], i) => ({
    workload: `w${i}`,
    requests: resources({ cpu, memory, pods: 1 }),
    priority: 0,
    nodeRequirements: Requirements.none,
    tolerations: [],
    topologySpread: i < 2 ? [{ topologyKey: LABEL.zone as 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' as const, selects: [`w${i}`] }] : [],
    affinity: [],
    antiAffinity: [],
    doNotDisrupt: false,
  }));
}

/** The provisioning solver on its own: pending pods over every type a permissive NodePool allows. */
export const solverBench: BenchSuite = {
  name: 'solver',
  description: `solve() for 1,000 / 5,000 / 20,000 / 40,000 pending pods of 10 mixed workloads (2 zone-spread) over the full us-east-1 catalog (spot and on-demand, all families, 3 zones), no existing nodes; ${RUNS} runs each after a warm-up`,
  async run(log) {
    const catalog = new Catalog({ region: 'us-east-1', zones: ZONES });
    const requirements = withDefaultRequirements([{ key: LABEL.capacityType, operator: 'In', values: ['spot', 'on-demand'] }]);
    const pool = { name: 'all', weight: 0, requirements, labels: {}, taints: [], limits: {}, consolidationPolicy: 'WhenEmpty' as const, consolidateAfterMs: null, expireAfterMs: null, terminationGracePeriodMs: null };
    const types = compatibleTypes(catalog, requirements);
    const specs = workloads();
    const results: Record<string, unknown> = {};
    for (const n of SIZES) {
      const pods: PodRef[] = Array.from({ length: n }, (_, i) => ({ name: `p${i}`, spec: specs[i % specs.length]! }));
      const input = {
        pods, existing: [], pools: [{ pool, types, usage: { cpu: 0, memory: 0 } }], overhead: resources({ cpu: 205, memory: 320, pods: 4 }),
        zones: ZONES, zoneCount: () => 0, unavailable: NONE_UNAVAILABLE, maxInstanceTypes: 60,
      };
      solve(input);
      const ms: number[] = [];
      let claims = 0;
      for (let r = 0; r < RUNS; r++) {
        const elapsed = stopwatch();
        const plan = solve(input);
        ms.push(elapsed());
        claims = plan.claims.length;
      }
      const s = summarize(ms);
      log(`${n} pods: median ${s.median} ms (min ${s.min}, max ${s.max}), ${claims} claims`);
      results[String(n)] = { milliseconds: s, claims };
    }
    return { goal: '40,000 pending pods solved in under 2 s', candidateInstanceTypes: types.length, pods: results };
  },
};
