import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BundledAutoscalerSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { formatWarnings, type ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import { JsonlFileWriter } from '../../recorder/jsonl-file.js';
import { resultsFromLog } from '../../runner/execute.js';
import { RunError } from '../../runner/errors.js';
import type { ScenarioExecutor } from '../../runner/produce-run.js';
import { LIVE_ARMS_DIR } from '../../runner/run-meta.js';
import { startBundledArm, type MakeLiveCloud } from '../live/autoscaler.js';
import { bundledComponents, liveRunWarnings } from '../live/execute-live.js';
import type { LiveParts } from '../live/parts.js';
import { playArm, stopAll, throwIfAborted } from '../live/run-arm.js';
import { kindBinary, kindDown, kindUp, type KindClusterState } from './cluster.js';
import { dockerEnv, ensureDocker } from './docker.js';
import { KindCloudProvider } from './kind-cloud-provider.js';
import { kindObjects } from './kind-objects.js';
import { addKindNode, removeKindNode } from './nodes.js';
import { exec, lastLines } from './scripts.js';

/** Seconds a removed node's pods have to leave it before the removal fails (the arm has evicted them already). */
const DRAIN_TIMEOUT_S = 120;
/** Seconds `kind create cluster` waits for the control plane. */
const CONTROL_PLANE_WAIT_S = 300;

export interface KindRunSettings {
  speed: number;
  /** The most worker containers an arm's cloud runs at once (KindCloudProvider's maxNodes). */
  maxNodes: number;
  /** The run folder being written: each arm's cluster state and logs go to <dir>/arms/<arm>/. */
  dir: string;
  signal: AbortSignal;
  progress?: (line: string) => void;
  warmUpMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** The kind cluster an arm plays on: one per arm, named for its position so that it is a valid kind name. */
export function armClusterName(index: number): string {
  return `burstlab-run-${index + 1}`;
}

/**
 * The live parts on kind: the bundled arm launching real kind worker nodes (KindCloudProvider over addKindNode and
 * removeKindNode); no metrics path and no HTTP load, which `run --target kind` refuses scenarios that need
 * (run-kind.ts), so an arm never reports a load it did not send.
 */
export function kindParts(cluster: KindClusterState, maxNodes: number, env: NodeJS.ProcessEnv): LiveParts {
  const cloud: MakeLiveCloud = (d) =>
    new KindCloudProvider({
      ops: {
        add: (spec) => addKindNode(cluster, spec, d.log, env),
        remove: (name) => removeKindNode(cluster, name, DRAIN_TIMEOUT_S, d.log, env),
      },
      types: d.types,
      maxNodes,
      log: d.log,
    });
  return {
    startAutoscaler: (ctx, spec) => startBundledArm(ctx, spec as BundledAutoscalerSpec, cloud),
    startLoadMetrics: async () => ({ setOfferedLoad: async () => undefined, notReading: async () => [], stop: async () => undefined }),
    startHttpLoad: async () => ({ start: async () => undefined, rateScale: 1, stop: async () => undefined }),
    objects: () => ({ objects: [], warnings: [] }),
    components: {},
  };
}

/**
 * kind takes the control plane's NoSchedule taint off a cluster without workers, so that its pods have somewhere to
 * run; on a run every pod must go to a node the arm launched, so the taint is put back.
 */
async function taintControlPlane(cluster: KindClusterState, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<void> {
  const node = `${cluster.name}-control-plane`;
  const r = await exec('docker', ['exec', node, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', 'taint', 'node', node, '--overwrite', 'node-role.kubernetes.io/control-plane:NoSchedule'], dockerEnv(cluster.docker, env), log);
  if (r.code !== 0) throw new RunError(`tainting the control plane failed (exit ${r.code}): ${lastLines(r.stderr)}`, `see kind's logs: DOCKER_HOST=${cluster.docker.host} ${kindBinary(env)} export logs --name ${cluster.name}`);
}

/**
 * Refuses to start while a kind cluster runs on the daemon burstlab would use (a `burstlab cluster up --target kind`
 * one): an arm's teardown stops the private dockerd, which would take that cluster with it.
 */
async function checkDaemonFree(log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<void> {
  const daemon = await ensureDocker(log, env);
  const listed = await exec('docker', ['ps', '-a', '--filter', 'label=io.x-k8s.kind.cluster', '--format', '{{.Label "io.x-k8s.kind.cluster"}}'], dockerEnv(daemon, env));
  if (listed.code !== 0) throw new RunError(`docker ps failed: ${lastLines(listed.stderr)}`, `check the daemon at ${daemon.host}`);
  const clusters = [...new Set(listed.stdout.split('\n').filter((l) => l.trim() !== ''))];
  if (clusters.length > 0) {
    throw new RunError(
      `kind cluster(s) ${clusters.join(', ')} already run on the Docker daemon at ${daemon.host}: a kind run creates and deletes its own`,
      `delete them first: burstlab cluster down --target kind, or DOCKER_HOST=${daemon.host} ${kindBinary(env)} delete cluster --name <name>`,
    );
  }
}

/**
 * The kind target's executor for produce-run.ts: each arm in turn on its own fresh kind cluster (kind/cluster.ts,
 * no workers), played by the live engine (run-arm.ts playArm) with the bundled arm launching real kind nodes and the
 * scenario's pods real containers. The cluster is deleted and a private dockerd stopped whatever happens; a node
 * container or the API server's port left behind fails the arm.
 */
export function kindExecutor(s: KindRunSettings): ScenarioExecutor {
  const env = s.env ?? process.env;
  return async (scenario, logPath, options) => {
    const run: Scenario = options.seed === undefined ? scenario : { ...scenario, seed: options.seed };
    const say = (line: string): void => s.progress?.(line);
    const log = new JsonlFileWriter(logPath);
    const runWarnings: ScenarioWarning[] = [...liveRunWarnings(run, s.speed)];
    const armComponents: Record<string, Record<string, string>> = {};
    try {
      await checkDaemonFree(say, env);
      for (const [i, arm] of run.autoscalers.entries()) {
        await options.checkpoint?.();
        throwIfAborted(s.signal);
        const armDir = join(s.dir, LIVE_ARMS_DIR, arm.name);
        const sayArm = (line: string): void => say(`${arm.name}: ${line}`);
        sayArm('creating the kind cluster');
        const cluster = await kindUp({ dir: join(armDir, 'cluster'), name: armClusterName(i), workers: 0, waitS: CONTROL_PLANE_WAIT_S, log: sayArm, env });
        const parts = kindParts(cluster, s.maxNodes, env);
        await taintControlPlane(cluster, sayArm, env).catch(async (err: unknown) => {
          await kindDown(cluster, sayArm, env).catch(() => undefined);
          throw err;
        });
        const planned = kindObjects(run, s.speed, parts, cluster.images.workload);
        if (i === 0) {
          for (const w of planned.warnings) runWarnings.push(w);
          for (const line of formatWarnings(planned.warnings).trimEnd().split('\n')) if (line) say(line);
        }
        const stops: Array<[string, () => Promise<unknown>]> = [];
        let failure: unknown;
        try {
          const out = await playArm(
            { scenario: run, arm, dir: armDir, speed: s.speed, parts, objects: planned.objects, signal: s.signal, target: 'kind', progress: say, ...(s.warmUpMs === undefined ? {} : { warmUpMs: s.warmUpMs }) },
            { kubeconfigPath: cluster.kubeconfig },
            stops,
            sayArm,
          );
          for (const e of out.events) log.write(e);
          armComponents[arm.name] = bundledComponents(arm);
          for (const err of out.watchErrors) runWarnings.push({ path: `autoscalers[${i}]`, message: `a watch failed and resumed (events may be late): ${err}` });
        } catch (err) {
          failure = err;
        } finally {
          sayArm('teardown');
          const problems = await stopAll(stops);
          try {
            const down = await kindDown(cluster, sayArm, env);
            if (down.containers.length > 0) problems.push(`node containers left: ${down.containers.join(', ')}`);
            if (down.busyPorts.length > 0) problems.push(`the API server's port ${down.busyPorts.join(', ')} is still taken`);
          } catch (err) {
            problems.push(err instanceof Error ? err.message : String(err));
          }
          // The credentials die with the cluster; the file goes too, so nothing that looks usable is left behind.
          rmSync(cluster.kubeconfig, { force: true });
          if (failure === undefined && problems.length > 0) failure = new RunError(`arm ${arm.name}: teardown failed: ${problems.join('; ')}`, `see the logs in ${armDir}`);
        }
        if (failure !== undefined) throw failure;
        await options.onProgress?.((i + 1) / run.autoscalers.length, arm.name);
      }
    } finally {
      log.close();
    }
    const results = resultsFromLog({ ...run, warnings: [...run.warnings, ...runWarnings] }, logPath, 'kind');
    return { results, eventCount: log.count, meta: { speed: s.speed, rateScale: 1, armComponents } };
  };
}
