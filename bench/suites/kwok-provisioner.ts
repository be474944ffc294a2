import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { sleep, stopwatch } from '../../harness/clock/wall-clock.js';
import { JsonlFileWriter } from '../../harness/recorder/jsonl-file.js';
import { resultsFromLog } from '../../harness/runner/execute.js';
import { KubeClient } from '../../harness/targets/kube-client.js';
import { KWOK_TAINT, kwokNode, type KwokNodeSpec } from '../../harness/targets/kwok-nodes.js';
import { ensureTools, toolVersions } from '../../harness/targets/kwok/tools.js';
import { liveObjects } from '../../harness/targets/live/execute-live.js';
import type { LiveParts } from '../../harness/targets/live/parts.js';
import { runLiveArm } from '../../harness/targets/live/run-arm.js';
import type { LiveAutoscaler, StartLiveAutoscaler } from '../../harness/targets/live/seams.js';
import { prepareUpstreamArms, startUpstreamKarpenter } from '../../harness/targets/live/upstream-karpenter.js';
import type { AutoscalerResult } from '../../harness/metrics/results.js';
import type { NodeLaunched, RunEvent } from '../../provisioner/runtime/events.js';
import type { AutoscalerSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { loadScenario } from '../../scenarios/load.js';
import { startControllerProcess } from '../kwok/controller-process.js';
import { processUsage, type ProcessUsage } from '../kwok/process-usage.js';
import { summarize, type BenchSuite } from '../suite.js';

const SCENARIO = 'bench/kwok/empty-pool-burst.yaml';
/** Rounds of the three runs; BURSTLAB_BENCH_KWOK_ROUNDS overrides (each round is about 8 minutes of wall time). */
const ROUNDS = Number(process.env.BURSTLAB_BENCH_KWOK_ROUNDS ?? 3);
const SPEED = 1;
const WARM_UP_MS = 120_000;
const NODES_READY_MS = 120_000;
const START_ATTEMPTS = 3;

/** One arm's run: the sim's metrics over its events, and its controller's process usage when it has one. */
interface ArmRun {
  arm: string;
  result: AutoscalerResult;
  /** The controller's process at its start (ready) and at the scenario's end; absent for the floor (no controller). */
  process?: { atReady: ProcessUsage; atEnd: ProcessUsage };
  launched: NodeLaunched[];
  wallS: number;
}

/** The parts the benchmark plays: its scenario has no traffic and no HPA, so no metrics path and no HTTP load run. */
function benchParts(startAutoscaler: StartLiveAutoscaler): LiveParts {
  return {
    startAutoscaler,
    startLoadMetrics: async () => ({ setOfferedLoad: async () => {}, notReading: async () => [], stop: async () => {} }),
    startHttpLoad: async () => ({ start: async () => {}, rateScale: 1, stop: async () => {} }),
    objects: () => ({ objects: [], warnings: [] }),
    components: {},
  };
}

/** Wraps a controller whose process the benchmark measures from /proc: at its start and just before its stop. */
function measured(started: Promise<LiveAutoscaler & { pid: number }>, into: { atReady?: ProcessUsage; atEnd?: ProcessUsage }): Promise<LiveAutoscaler> {
  return started.then((c) => {
    into.atReady = processUsage(c.pid);
    return {
      ...(c.warnings ? { warnings: c.warnings } : {}),
      stop: async () => {
        into.atEnd = processUsage(c.pid);
        await c.stop();
      },
    };
  });
}

/**
 * The control-plane floor's "autoscaler": none. It creates, before t = 0, the very nodes the bundled arm launched
 * in the same round (types, zones, labels, allocatable), waits for kwok to make them Ready, and does nothing more,
 * so the same 1,000 pods meet only the API server, the scheduler and kwok.
 */
function preexistingNodes(nodes: readonly KwokNodeSpec[]): StartLiveAutoscaler {
  return async (ctx) => {
    const client = KubeClient.fromFile(ctx.kubeconfigPath);
    await client.createNodes(nodes.map(kwokNode));
    const waited = stopwatch();
    for (;;) {
      const list = (await client.core.listNode()).items;
      if (list.filter(isReady).length >= nodes.length) break;
      if (waited() > NODES_READY_MS) throw new Error(`floor: ${nodes.length} pre-created kwok nodes not Ready after ${NODES_READY_MS / 1000} s`);
      await sleep(250);
    }
    return { stop: async () => {} };
  };
}

function isReady(n: V1Node): boolean {
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** The nodes an arm launched, as pre-existing kwok nodes of the same shape (the floor's input). */
export function asPreexisting(launched: readonly NodeLaunched[]): KwokNodeSpec[] {
  return launched.map((n, i) => {
    const name = `floor-${i + 1}`;
    const labels: Record<string, string> = { ...n.labels, 'kubernetes.io/hostname': name };
    return {
      name,
      instanceType: n.instanceType,
      zone: n.zone,
      capacityType: n.capacityType,
      arch: labels['kubernetes.io/arch'] === 'arm64' ? 'arm64' : 'amd64',
      nodepool: n.owner,
      cpuMilli: n.allocatableCpuMilli ?? n.cpuMilli,
      memoryMiB: n.allocatableMemoryMiB ?? n.memoryMiB,
      maxPods: n.allocatablePods ?? 110,
      capacity: { cpuMilli: n.cpuMilli, memoryMiB: n.memoryMiB, maxPods: n.allocatablePods ?? 110 },
      pricePerHour: n.pricePerHour,
      labels,
      // kwokNode adds kwok's own taint; the launched node's log has it too.
      taints: (n.taints ?? []).filter((t) => t.key !== KWOK_TAINT.key),
      initial: true,
    };
  });
}

/**
 * Plays one arm of `scenario` on a fresh kwok control plane through the live run's own orchestration
 * (run-arm.ts: the same recorder, watches and teardown as `burstlab run --target kwok`), then computes its
 * results with the sim's metrics path. The control plane and every process stop whatever happens; the arm's folder
 * (logs) is removed after a success and kept, and named, after a failure.
 */
async function playArm(scenario: Scenario, arm: AutoscalerSpec, start: StartLiveAutoscaler, log: (line: string) => void): Promise<{ result: AutoscalerResult; events: RunEvent[]; wallS: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await playArmOnce(scenario, arm, start, log);
    } catch (err) {
      // On a shared machine another process can take a control plane's free port between the pick and the bind
      // three times running (control-plane.ts retries twice): that is no measurement, so the arm starts over.
      const message = err instanceof Error ? err.message : String(err);
      if (attempt >= START_ATTEMPTS || !/during start-up/.test(message)) throw err;
      log(`${arm.name}: the control plane did not start (${message}); starting the arm again`);
    }
  }
}

async function playArmOnce(scenario: Scenario, arm: AutoscalerSpec, start: StartLiveAutoscaler, log: (line: string) => void): Promise<{ result: AutoscalerResult; events: RunEvent[]; wallS: number }> {
  const tools = await ensureTools(log);
  const dir = mkdtempSync(join(tmpdir(), `burstlab-bench-${arm.name}-`));
  const run: Scenario = { ...scenario, autoscalers: [arm] };
  const parts = benchParts(start);
  const wall = stopwatch();
  try {
    const out = await runLiveArm({
      scenario: run, arm, dir, speed: SPEED, parts,
      objects: liveObjects(run, SPEED, parts).objects,
      tools, versions: toolVersions(),
      signal: new AbortController().signal,
      progress: (line) => (/: t = /.test(line) ? undefined : log(line)),
      warmUpMs: WARM_UP_MS,
    });
    const logPath = join(dir, 'events.jsonl');
    const writer = new JsonlFileWriter(logPath);
    for (const e of out.events) writer.write(e);
    writer.close();
    const result = resultsFromLog(run, logPath, 'kwok').autoscalers[0]!;
    rmSync(dir, { recursive: true, force: true });
    return { result, events: out.events, wallS: Math.round(wall() / 100) / 10 };
  } catch (err) {
    throw new Error(`${arm.name}: ${err instanceof Error ? err.message : String(err)} (its logs: ${dir})`, { cause: err });
  }
}

async function playMeasured(scenario: Scenario, armName: string, log: (line: string) => void): Promise<ArmRun> {
  const arm = scenario.autoscalers.find((a) => a.name === armName)!;
  const usage: { atReady?: ProcessUsage; atEnd?: ProcessUsage } = {};
  let failures: readonly string[] = [];
  const start: StartLiveAutoscaler =
    arm.kind === 'karpenter-upstream'
      ? (ctx, spec) => measured(startUpstreamKarpenter(ctx, spec).then((u) => Object.assign(u, { pid: u.process.pid })), usage)
      : (ctx, spec) =>
          measured(
            startControllerProcess(ctx, spec).then((c) => ((failures = c.failures), c)),
            usage,
          );
  const { result, events, wallS } = await playArm(scenario, arm, start, log);
  if (failures.length > 0) throw new Error(`${armName}: the controller failed during the run: ${failures.join('; ')}`);
  if (!usage.atReady || !usage.atEnd) throw new Error(`${armName}: its controller process was not measured`);
  const launched = events.filter((e): e is NodeLaunched & RunEvent => e.type === 'node.launched' && !(e as NodeLaunched).initial);
  return { arm: armName, result, process: { atReady: usage.atReady, atEnd: usage.atEnd }, launched, wallS };
}

async function playFloor(scenario: Scenario, nodes: readonly NodeLaunched[], log: (line: string) => void): Promise<ArmRun> {
  if (nodes.length === 0) throw new Error('floor: the bundled arm launched no node to copy');
  const template = scenario.autoscalers.find((a) => a.kind === 'karpenter')!;
  const { result, wallS } = await playArm(scenario, { ...template, name: 'floor' }, preexistingNodes(asPreexisting(nodes)), log);
  return { arm: 'floor', result, launched: [], wallS };
}

function figures(run: ArmRun): Record<string, unknown> {
  const r = run.result;
  return {
    arm: run.arm,
    pods: { created: r.pods.created, ready: r.pods.ready, neverReady: r.pods.neverReady },
    podToReadyP50S: r.podToReady.p50,
    podToReadyP99S: r.podToReady.p99,
    podToReadyMaxS: r.podToReady.max,
    split: { waitingForNodeP99S: r.podToReady.split.waitingForNode.p99, schedulingP99S: r.podToReady.split.scheduling.p99, startupP99S: r.podToReady.split.startup.p99 },
    decisionLatencyP50S: r.decisionLatency.count ? r.decisionLatency.p50 : null,
    decisionLatencyP99S: r.decisionLatency.count ? r.decisionLatency.p99 : null,
    nodeLaunchLatencyP99S: r.nodeLaunchLatency.count ? r.nodeLaunchLatency.p99 : null,
    nodesLaunched: r.nodes.launched,
    instanceTypes: r.instanceTypes,
    costUSD: r.cost.totalUSD,
    ...(run.process
      ? {
          controller: {
            command: run.process.atEnd.command,
            cpuSeconds: run.process.atEnd.cpuSeconds,
            cpuSecondsAtReady: run.process.atReady.cpuSeconds,
            peakRssMiB: run.process.atEnd.peakRssMiB,
            rssAtReadyMiB: run.process.atReady.rssMiB,
          },
        }
      : {}),
    wallS: run.wallS,
  };
}

type Figures = ReturnType<typeof figures>;
const num = (rounds: Figures[][], arm: string, pick: (f: Record<string, unknown>) => unknown): number[] =>
  rounds.map((r) => pick(r.find((f) => f.arm === arm)!)).filter((v): v is number => typeof v === 'number');

export const kwokProvisioner: BenchSuite = {
  name: 'kwok-provisioner',
  description:
    `kwok target, speed 1, ${SCENARIO}: 1,000 pods (250m, 256Mi) scaled up at once onto an empty NodePool, node boot, ` +
    `image pull and container start all zero. Per round, each on a fresh control plane: the bundled karpenter arm ` +
    `(its live controller alone in a Node child process), the real karpenter-upstream arm (the kwok provider binary, ` +
    `the bundled catalogue as its instance types), and the control-plane floor (the same pods onto pre-created kwok ` +
    `nodes of exactly the types and zones the bundled arm launched that round, no autoscaler). Pod-to-ready and ` +
    `decision latency from the sim's metrics over each run's events; controller CPU seconds (utime + stime) and peak ` +
    `RSS (VmHWM) from /proc/<pid> of each controller's own process, read just before it is stopped.`,
  async run(log) {
    if (!(ROUNDS >= 1)) throw new Error(`BURSTLAB_BENCH_KWOK_ROUNDS must be a whole number >= 1, got ${process.env.BURSTLAB_BENCH_KWOK_ROUNDS}`);
    const scenario = await loadScenario(resolve(SCENARIO));
    await ensureTools(log);
    const components = await prepareUpstreamArms(scenario, log);
    const rounds: Figures[][] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const bundled = await playMeasured(scenario, 'karpenter', log);
      const upstream = await playMeasured(scenario, 'karpenter-upstream', log);
      const floor = await playFloor(scenario, bundled.launched, log);
      const round = [floor, bundled, upstream].map(figures);
      for (const f of round) {
        const c = f.controller as { cpuSeconds: number; peakRssMiB: number } | undefined;
        log(
          `round ${r} ${f.arm}: p50 ${f.podToReadyP50S} s, p99 ${f.podToReadyP99S} s, decision p99 ${f.decisionLatencyP99S ?? '-'} s, ` +
            `${f.nodesLaunched} nodes${c ? `, controller ${c.cpuSeconds} CPU s, peak RSS ${c.peakRssMiB} MiB` : ''}`,
        );
      }
      rounds.push(round);
    }
    const arms = ['floor', 'karpenter', 'karpenter-upstream'];
    const summary = Object.fromEntries(
      arms.map((arm) => [
        arm,
        {
          podToReadyP50S: summarize(num(rounds, arm, (f) => f.podToReadyP50S)),
          podToReadyP99S: summarize(num(rounds, arm, (f) => f.podToReadyP99S)),
          ...(arm === 'floor'
            ? {}
            : {
                decisionLatencyP99S: summarize(num(rounds, arm, (f) => f.decisionLatencyP99S)),
                controllerCpuSeconds: summarize(num(rounds, arm, (f) => (f.controller as { cpuSeconds: number }).cpuSeconds)),
                controllerPeakRssMiB: summarize(num(rounds, arm, (f) => (f.controller as { peakRssMiB: number }).peakRssMiB)),
              }),
        },
      ]),
    );
    // Per round, so that a slow round of one arm is compared with the floor of that same round.
    const ratio = (arm: string, other: string, pick: (f: Record<string, unknown>) => unknown): number[] =>
      rounds.map((r) => Number(pick(r.find((f) => f.arm === arm)!)) / Number(pick(r.find((f) => f.arm === other)!)));
    const p99 = (f: Record<string, unknown>): unknown => f.podToReadyP99S;
    const rss = (f: Record<string, unknown>): unknown => (f.controller as { peakRssMiB: number }).peakRssMiB;
    return {
      versions: { ...toolVersions(), ...components },
      scenario: SCENARIO,
      rounds: ROUNDS,
      summary,
      goals: {
        'bundled p99 / floor p99 (goal <= 2)': summarize(ratio('karpenter', 'floor', p99)),
        'bundled decision latency p99 s (goal <= 1.5)': summary.karpenter!.decisionLatencyP99S,
        'bundled controller peak RSS MiB (goal < 300 MB = 286 MiB)': summary.karpenter!.controllerPeakRssMiB,
        'bundled p99 / upstream p99 (goal <= 1)': summarize(ratio('karpenter', 'karpenter-upstream', p99)),
        'bundled peak RSS / upstream peak RSS (goal < 0.5)': summarize(ratio('karpenter', 'karpenter-upstream', rss)),
      },
      perRound: rounds,
    };
  },
};
