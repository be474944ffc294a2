import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stopwatch } from '../../harness/clock/wall-clock.js';
import { LABEL } from '../../provisioner/api/labels.js';
import type { PodRef, PodSpec, TopologyKey } from '../../provisioner/api/pod.js';
import { resources } from '../../provisioner/api/resources.js';
import type { InstanceType } from '../../provisioner/catalog/instance-type.js';
import { Random } from '../../provisioner/runtime/random.js';
import { NONE_UNAVAILABLE } from '../../provisioner/scheduling/offerings.js';
import { Requirements } from '../../provisioner/scheduling/requirements.js';
import { solve, type Plan } from '../../provisioner/scheduling/solver.js';
import { summarize, type BenchSuite } from '../suite.js';

const SIZES = [1_000, 5_000, 20_000];
const RUNS = 3;
const ZONES = ['test-zone-1', 'test-zone-2', 'test-zone-3'];
const SOURCE = resolve('bench/karpenter-anchor');
/** The toolchain upstream's go.mod asks for (go 1.26.10) is newer than this machine's Go: Go fetches it. */
const TOOLCHAIN = 'go1.27.3';
const run = promisify(execFile);

interface Term {
  topologyKey: TopologyKey;
  matchLabels: Record<string, string>;
  maxSkew?: number;
}

/** A pod as both solvers read it: upstream builds a corev1.Pod from it, burstlab a PodSpec. */
interface DumpedPod {
  name: string;
  cpuMilli: number;
  memoryMiB: number;
  labels: Record<string, string>;
  spread: Term[];
  affinity: Term[];
  antiAffinity: Term[];
}

interface DumpedType {
  name: string;
  cpuMilli: number;
  memoryMiB: number;
  pods: number;
  allocatableCpuMilli: number;
  allocatableMemoryMiB: number;
  offerings: Array<{ zone: string; capacityType: 'spot' | 'on-demand'; price: number }>;
}

interface UpstreamResult {
  version: string;
  milliseconds: number[];
  podErrors: number;
  claims: Array<{ pods: number; zones: string[]; type: string; cpuMilli: number; price: number }>;
}

/**
 * Upstream's makeDiversePods: a fifth each of generic pods, zone spread, hostname spread, zone self-affinity and
 * hostname anti-affinity, requests drawn from the same lists, labels from the same seven values.
 */
function diversePods(count: number, random: Random): DumpedPod[] {
  const cpu = [100, 250, 500, 1000, 1500];
  const memory = [100, 256, 512, 1024, 2048, 4096];
  const value = (): string => random.pick(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  const pods: DumpedPod[] = [];
  const add = (labels: Record<string, string>, c: Partial<Pick<DumpedPod, 'spread' | 'affinity' | 'antiAffinity'>> = {}): void => {
    pods.push({ name: `p${pods.length}`, cpuMilli: random.pick(cpu), memoryMiB: random.pick(memory), labels, spread: [], affinity: [], antiAffinity: [], ...c });
  };
  const fifth = Math.floor(count / 5);
  for (let i = 0; i < fifth; i++) add({ 'my-label': value() });
  for (const key of [LABEL.zone, LABEL.hostname] as TopologyKey[]) {
    for (let i = 0; i < fifth; i++) add({ 'my-label': value() }, { spread: [{ topologyKey: key, maxSkew: 1, matchLabels: { 'my-label': value() } }] });
  }
  for (let i = 0; i < fifth; i++) {
    const labels = { 'my-affininity': value() };
    add(labels, { affinity: [{ topologyKey: LABEL.zone as TopologyKey, matchLabels: labels }] });
  }
  for (let i = 0; i < fifth; i++) add({ app: 'nginx' }, { antiAffinity: [{ topologyKey: LABEL.hostname as TopologyKey, matchLabels: { app: 'nginx' } }] });
  while (pods.length < count) add({ 'my-label': value() });
  return pods;
}

/**
 * The same pods for burstlab: pods with the same labels are one workload (a selector matches labels, so this is
 * exactly what it counts), and pods with the same workload, requests and constraints share a spec.
 */
function burstlabPods(dumped: readonly DumpedPod[]): PodRef[] {
  const key = (labels: Record<string, string>): string => Object.entries(labels).sort().map(([k, v]) => `${k}=${v}`).join(',');
  const workloads = new Map<string, Record<string, string>>();
  for (const p of dumped) workloads.set(key(p.labels), p.labels);
  const selects = new Map<string, string[]>();
  const selected = (m: Record<string, string>): string[] => {
    const k = key(m);
    let list = selects.get(k);
    if (!list) {
      const reqs = Requirements.fromLabels(m);
      selects.set(k, (list = [...workloads].filter(([, labels]) => reqs.matches(labels)).map(([w]) => w)));
    }
    return list;
  };
  const specs = new Map<string, PodSpec>();
  return dumped.map((p) => {
    const workload = key(p.labels);
    const id = JSON.stringify([workload, p.cpuMilli, p.memoryMiB, p.spread, p.affinity, p.antiAffinity]);
    let spec = specs.get(id);
    if (!spec) {
      spec = {
        workload,
        requests: resources({ cpu: p.cpuMilli, memory: p.memoryMiB, pods: 1 }),
        priority: 0,
        nodeRequirements: Requirements.none,
        tolerations: [],
        topologySpread: p.spread.map((s) => ({ topologyKey: s.topologyKey, maxSkew: s.maxSkew ?? 1, whenUnsatisfiable: 'DoNotSchedule' as const, selects: selected(s.matchLabels) })),
        affinity: p.affinity.map((t) => ({ topologyKey: t.topologyKey, selects: selected(t.matchLabels) })),
        antiAffinity: p.antiAffinity.map((t) => ({ topologyKey: t.topologyKey, selects: selected(t.matchLabels) })),
        doNotDisrupt: false,
      };
      specs.set(id, spec);
    }
    return { name: p.name, spec };
  });
}

/** fake.InstanceTypes(400) as burstlab's catalog types: the same capacity, allocatable and offerings. */
function instanceTypes(dumped: readonly DumpedType[]): InstanceType[] {
  return dumped
    .map((t) => ({
      name: t.name,
      family: 'fake',
      category: 'fake',
      generation: 1,
      size: `${t.cpuMilli / 1000}x`,
      arch: 'amd64' as const,
      vcpu: t.cpuMilli / 1000,
      memoryMiB: t.memoryMiB,
      gpuCount: 0,
      capacity: resources({ cpu: t.cpuMilli, memory: t.memoryMiB, pods: t.pods }),
      allocatable: resources({ cpu: t.allocatableCpuMilli, memory: t.allocatableMemoryMiB, pods: t.pods }),
      onDemandPrice: t.offerings.filter((o) => o.capacityType === 'on-demand').reduce((a, o) => Math.min(a, o.price), Infinity),
      offerings: t.offerings.map((o) => ({ zone: o.zone, capacityType: o.capacityType, pricePerHour: o.price })).sort((a, b) => a.pricePerHour - b.pricePerHour),
      labels: { [LABEL.instanceType]: t.name, [LABEL.arch]: 'amd64', [LABEL.os]: 'linux' },
    }))
    .sort((a, b) => a.onDemandPrice - b.onDemandPrice || (a.name < b.name ? -1 : 1));
}

/** The upstream module version the harness's go.mod requires: the pin. */
function pinnedVersion(): string {
  const m = /sigs\.k8s\.io\/karpenter (v\S+)/.exec(readFileSync(join(SOURCE, 'go.mod'), 'utf8'));
  if (!m) throw new Error(`${SOURCE}/go.mod does not require sigs.k8s.io/karpenter`);
  return m[1]!;
}

/** Builds the harness into the tool cache once per version (minutes cold: toolchain, modules, Karpenter). */
async function harness(version: string, log: (line: string) => void): Promise<string> {
  const dir = join(homedir(), '.cache', 'burstlab', 'bin', `karpenter-anchor-${version}`);
  const binary = join(dir, 'karpenter-anchor');
  if (existsSync(binary)) return binary;
  log(`building the upstream harness against sigs.k8s.io/karpenter ${version} (GOTOOLCHAIN=${TOOLCHAIN}); minutes when cold`);
  mkdirSync(dir, { recursive: true });
  await run('go', ['build', '-o', binary, '.'], { cwd: SOURCE, env: { ...process.env, GOTOOLCHAIN: TOOLCHAIN }, maxBuffer: 1 << 24 });
  return binary;
}

interface Side {
  milliseconds: ReturnType<typeof summarize>;
  podsPerSecond: number;
  nodes: number;
  totalPricePerHour: number;
  vcpu: number;
  /** Nodes per zone; `unpinned` counts upstream claims no topology pinned (the launch picks among equal prices). */
  zones: Record<string, number>;
  maxNodeVcpu: number;
}

function side(ms: number[], pods: number, claims: Array<{ zones: string[]; price: number; cpuMilli: number }>): Side {
  const s = summarize(ms);
  const zones: Record<string, number> = {};
  for (const c of claims) {
    const z = c.zones.length === 1 ? c.zones[0]! : 'unpinned';
    zones[z] = (zones[z] ?? 0) + 1;
  }
  return {
    milliseconds: s,
    podsPerSecond: Math.round(pods / (s.median / 1000)),
    nodes: claims.length,
    totalPricePerHour: Math.round(claims.reduce((a, c) => a + c.price, 0) * 1000) / 1000,
    vcpu: claims.reduce((a, c) => a + c.cpuMilli, 0) / 1000,
    zones,
    maxNodeVcpu: claims.reduce((a, c) => Math.max(a, c.cpuMilli / 1000), 0),
  };
}

function burstlabClaims(plan: Plan): Array<{ zones: string[]; price: number; cpuMilli: number }> {
  return plan.claims.map((c) => ({ zones: [c.launch.zone], price: c.launch.pricePerHour, cpuMilli: c.launch.type.capacity.cpu }));
}

/** burstlab's solver beside upstream Karpenter's scheduler on the same pods and instance types. */
export const karpenterAnchor: BenchSuite = {
  name: 'karpenter-anchor',
  description: `upstream's scheduling benchmark setup (one NodePool, fake.InstanceTypes(400), makeDiversePods' mix: generic, zone spread, hostname spread, zone self-affinity, hostname anti-affinity) at ${SIZES.join(' / ')} pods, solved by sigs.k8s.io/karpenter's scheduler (bench/karpenter-anchor, a port of the benchmark's setup reading dumped pods) and by burstlab's solve() on the same pods and types; upstream: reported solve plus ${RUNS} timed, burstlab: warm-up plus ${RUNS} timed; wall time on a shared machine`,
  async run(log) {
    const version = pinnedVersion();
    const binary = await harness(version, log);
    const dir = mkdtempSync(join(tmpdir(), 'burstlab-anchor-'));
    try {
      const typesFile = join(dir, 'types.json');
      await run(binary, ['-types', typesFile]);
      const types = instanceTypes(JSON.parse(readFileSync(typesFile, 'utf8')) as DumpedType[]);
      const pool = {
        name: 'default', weight: 0, requirements: Requirements.of([{ key: LABEL.zone, operator: 'In', values: ZONES }]), labels: {}, taints: [], limits: {},
        consolidationPolicy: 'WhenEmptyOrUnderutilized' as const, consolidateAfterMs: null, expireAfterMs: null, terminationGracePeriodMs: null,
      };
      const results: Record<string, unknown> = {};
      for (const n of SIZES) {
        const dumped = diversePods(n, new Random(42));
        const podsFile = join(dir, `pods-${n}.json`);
        writeFileSync(podsFile, JSON.stringify(dumped));
        const { stdout } = await run(binary, ['-pods', podsFile, '-runs', String(RUNS), '-version', version], { maxBuffer: 1 << 28 });
        const upstream = JSON.parse(stdout) as UpstreamResult;

        const pods = burstlabPods(dumped);
        const input = {
          pods, existing: [], pools: [{ pool, types, usage: { cpu: 0, memory: 0 } }], overhead: resources({}),
          zones: ZONES, zoneCount: () => 0, unavailable: NONE_UNAVAILABLE, maxInstanceTypes: 60,
        };
        let plan = solve(input);
        const ms: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          const elapsed = stopwatch();
          plan = solve(input);
          ms.push(elapsed());
        }
        const ours = side(ms, n, burstlabClaims(plan));
        const theirs = side(upstream.milliseconds, n, upstream.claims);
        const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
        log(`${n} pods: upstream ${theirs.milliseconds.median} ms, ${theirs.nodes} nodes, $${theirs.totalPricePerHour}/h, ${theirs.vcpu} vCPU, zones ${JSON.stringify(theirs.zones)}`);
        log(`${n} pods: burstlab ${ours.milliseconds.median} ms, ${ours.nodes} nodes, $${ours.totalPricePerHour}/h, ${ours.vcpu} vCPU, zones ${JSON.stringify(ours.zones)} (${ratio(theirs.milliseconds.median, ours.milliseconds.median)}x faster)`);
        results[String(n)] = {
          upstream: { ...theirs, podErrors: upstream.podErrors },
          burstlab: { ...ours, unsatisfiable: plan.unsatisfiable.length },
          speedup: ratio(theirs.milliseconds.median, ours.milliseconds.median),
          nodesRatio: ratio(ours.nodes, theirs.nodes),
          priceRatio: ratio(ours.totalPricePerHour, theirs.totalPricePerHour),
        };
      }
      return { goal: 'burstlab at least 20x faster, nodes and total price within 5% of upstream, zone spread no more lopsided', karpenterVersion: version, goToolchain: TOOLCHAIN, sizes: results };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
