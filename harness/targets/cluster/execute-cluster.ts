import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { TrafficSample } from '../../../provisioner/runtime/events.js';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import type { ExternalArmSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { formatWarnings, type ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import { JsonlFileWriter } from '../../recorder/jsonl-file.js';
import { NODE_VIEWER_PRICE_LABEL, PRICE_ANNOTATION } from '../../recorder/live-nodes.js';
import { resultsFromLog } from '../../runner/execute.js';
import type { ScenarioExecutor } from '../../runner/produce-run.js';
import { LIVE_ARMS_DIR, type RunMeta } from '../../runner/run-meta.js';
import { RunError } from '../../runner/errors.js';
import { KubeClient } from '../kube-client.js';
import { liveRunWarnings } from '../live/execute-live.js';
import type { LiveParts } from '../live/parts.js';
import type { LiveContext } from '../live/seams.js';
import { playArm, stopAll } from '../live/run-arm.js';
import { cleanupRun } from './cleanup.js';
import { claimObjects, clusterObjects, type PodMode } from './cluster-objects.js';

/** Where a `--target cluster` run plays: a user's cluster, reached through their kubeconfig. */
export interface ClusterConnection {
  /** The user's kubeconfig file. */
  kubeconfigPath: string;
  /** The context to use; the file's current context when absent. */
  context?: string;
}

export interface ClusterRunSettings {
  cluster: ClusterConnection;
  /** The run's id (run-label.ts): every object the run creates carries it, and cleanup deletes by it. */
  runId: string;
  /** The one arm measured: the cluster's own autoscaler. */
  arm: ExternalArmSpec;
  pods: PodMode;
  speed: number;
  /** The kwok target's parts, but for the autoscaler (startLiveAutoscaler starts the external arm) and the metrics path. */
  parts: LiveParts;
  /** The run folder being written: the arm's logs go to <dir>/arms/<arm>/. */
  dir: string;
  signal: AbortSignal;
  progress?: (line: string) => void;
  warmUpMs?: number;
  /** Warnings the command found before the run (arms it does not play), for results.json. */
  warnings?: readonly ScenarioWarning[];
  /** Leave the run's objects on the cluster (for a look after the run); `burstlab cleanup --run <id>` removes them. */
  keep?: boolean;
  /** The target that plays on the cluster (what run.started, results.json and run.json record): `cluster` by default. */
  target?: 'cluster' | 'eks';
  /** Plays the scenario's faults (the scenario's `faults:` are then not played by the kwok back end). */
  side?: TargetSide;
}

/**
 * What a target plays on the cluster besides the workloads and traffic (EKS: the fault plan through FIS), on the
 * run's clock from t = 0: it hears every traffic sample as it is recorded (for an SLO guard), is stopped at the
 * scenario's end or when the run is interrupted, and then says what it learned for results.json and run.json.
 */
export interface TargetSide {
  start(ctx: LiveContext): Promise<TargetSidePlay>;
}

export interface TargetSidePlay {
  observe(sample: TrafficSample): void;
  /** Stops what it started; throws the first failure it had, which fails the run. */
  stop(): Promise<void>;
  /** Once stopped, while the cluster is still up: facts for run.json, and results.json's Spot pricing note. */
  facts(): Promise<{ meta: Partial<RunMeta>; spotPricing?: string }>;
}

/**
 * The parts with the target side started with the HTTP load (at t = 0, the clock begun) and stopped with it (at the
 * scenario's end, or in the teardown), the load's samples teed to it. `play` resolves once it has started.
 */
function withTargetSide(parts: LiveParts, side: TargetSide, started: (play: TargetSidePlay) => void): LiveParts {
  return {
    ...parts,
    startHttpLoad: async (ctx) => {
      const play = await side.start(ctx);
      started(play);
      const recorder: Recorder = {
        emit: (body, atMs) => {
          ctx.recorder.emit(body, atMs);
          if (body.type === 'traffic.sample') play.observe({ ...body, t: atMs ?? ctx.clock.now(), autoscaler: '' });
        },
      };
      const load = await parts.startHttpLoad({ ...ctx, recorder }).catch(async (err: unknown) => {
        await play.stop().catch(() => undefined);
        throw err;
      });
      return {
        start: () => load.start(),
        get rateScale() {
          return load.rateScale;
        },
        get warnings() {
          return load.warnings;
        },
        stop: async () => {
          try {
            await load.stop();
          } finally {
            await play.stop();
          }
        },
      };
    },
  };
}

/**
 * Opens a connection as a kubeconfig path the live parts can load: the user's file itself, or, for a context
 * other than its current one, a copy (mode 0600) in `dir` naming that context, removed by `dispose`.
 */
export function connectionKubeconfig(c: ClusterConnection, dir: string): { path: string; dispose(): void } {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(c.kubeconfigPath);
  } catch (err) {
    throw new RunError(`cannot read the kubeconfig ${c.kubeconfigPath}: ${err instanceof Error ? err.message : String(err)}`, 'pass a kubeconfig file that kubectl can use', { cause: err });
  }
  if (c.context === undefined || c.context === kc.getCurrentContext()) return { path: c.kubeconfigPath, dispose: () => undefined };
  if (!kc.getContextObject(c.context)) {
    throw new RunError(`the kubeconfig ${c.kubeconfigPath} has no context '${c.context}'`, `its contexts: ${kc.getContexts().map((x) => x.name).join(', ') || 'none'}`);
  }
  kc.setCurrentContext(c.context);
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return { path, dispose: () => rmSync(path, { force: true }) };
}

/**
 * The cluster target's executor for produce-run.ts: plays the scenario against the autoscaler a user's cluster
 * already runs (`kind: external`, external-arm.ts) with the kwok target's orchestration (run-arm.ts playArm): the
 * workloads go into the run's own namespace, labelled with the run id, the HTTP load plays, the recorder watches
 * pods, nodes and (for Karpenter) NodeClaims. It never changes nodes, NodePools or anything outside what it created;
 * at the end, whatever happened, it deletes what it created (cleanup.ts) unless `keep`. A run killed before that
 * leaves only labelled objects, which `burstlab cleanup --run <id>` removes.
 */
export function clusterExecutor(s: ClusterRunSettings): ScenarioExecutor {
  return async (scenario, logPath, options) => {
    const run: Scenario = { ...(options.seed === undefined ? scenario : { ...scenario, seed: options.seed }), autoscalers: [s.arm] };
    const say = (line: string): void => s.progress?.(line);
    const armDir = join(s.dir, LIVE_ARMS_DIR, s.arm.name);
    mkdirSync(armDir, { recursive: true });
    const kubeconfig = connectionKubeconfig(s.cluster, armDir);
    const log = new JsonlFileWriter(logPath);
    const runWarnings: ScenarioWarning[] = [...(s.warnings ?? [])];
    let rateScale = 1;
    let components: Record<string, string> = {};
    let play: TargetSidePlay | undefined;
    let sideFacts: Awaited<ReturnType<TargetSidePlay['facts']>> | undefined;
    const parts = s.side ? withTargetSide(s.parts, s.side, (p) => void (play = p)) : s.parts;
    const target = s.target ?? 'cluster';
    try {
      const client = KubeClient.fromFile(kubeconfig.path);
      const planned = clusterObjects(run, s.speed, s.parts, s.runId, s.pods);
      const claimed = await claimObjects(client, planned.objects, s.runId);
      for (const w of [planned.warnings, claimed.warnings, liveRunWarnings(run, s.speed)].flat()) runWarnings.push(w);
      if (run.workloads.some((w) => w.hpa)) {
        runWarnings.push({ path: 'workloads', message: "on a user's cluster the HPAs read the pods' own CPU usage: the scenario's offered load is sent as HTTP requests but not fed to them" });
      }
      for (const line of formatWarnings(runWarnings).trimEnd().split('\n')) if (line) say(line);
      say(`run ${s.runId}: applying into namespace burstlab; after a crash: burstlab cleanup --run ${s.runId} --kubeconfig ${s.cluster.kubeconfigPath}`);
      const stops: Array<[string, () => Promise<unknown>]> = [];
      let failure: unknown;
      try {
        const out = await playArm(
          {
            // The target side plays the faults: the kwok back end's way (node stages, deletions) is not for this cluster.
            scenario: s.side ? { ...run, faults: [] } : run,
            arm: s.arm,
            dir: armDir,
            speed: s.speed,
            parts,
            objects: claimed.objects,
            signal: s.signal,
            target,
            progress: (line) => say(line),
            ...(s.warmUpMs === undefined ? {} : { warmUpMs: s.warmUpMs }),
          },
          { kubeconfigPath: kubeconfig.path },
          stops,
          (line) => say(`${s.arm.name}: ${line}`),
        );
        for (const e of out.events) log.write(e);
        const unpriced = out.events.filter((e) => e.type === 'node.launched' && e.pricePerHour === 0).map((e) => (e.type === 'node.launched' ? e.instanceType : ''));
        if (unpriced.length > 0) {
          runWarnings.push({
            path: 'cost',
            message: `${unpriced.length} node(s) carry no price (no ${PRICE_ANNOTATION} annotation or ${NODE_VIEWER_PRICE_LABEL} label; types ${[...new Set(unpriced)].join(', ')}): cost counts them at $0 and is understated`,
          });
        }
        rateScale = out.rateScale;
        components = out.components;
        for (const w of out.armWarnings) runWarnings.push({ path: 'autoscalers[0]', message: w });
        for (const err of out.watchErrors) runWarnings.push({ path: 'autoscalers[0]', message: `a watch failed and resumed (events may be late): ${err}` });
        for (const w of out.loadWarnings) runWarnings.push({ path: 'autoscalers[0]', message: `the HTTP load: ${w}` });
        if (play) sideFacts = await play.facts();
      } catch (err) {
        failure = err;
      } finally {
        const problems = await stopAll(stops);
        if (!s.keep) {
          say(`removing what run ${s.runId} created`);
          try {
            await cleanupRun(client.kubeconfig, s.runId, { log: say });
          } catch (err) {
            problems.push(err instanceof Error ? err.message : String(err));
          }
        }
        if (failure === undefined && problems.length > 0) {
          failure = new RunError(`run ${s.runId}: teardown failed: ${problems.join('; ')}`, `see the logs in ${armDir}; then burstlab cleanup --run ${s.runId} --kubeconfig ${s.cluster.kubeconfigPath}`);
        }
      }
      if (failure !== undefined) throw failure;
    } finally {
      log.close();
      kubeconfig.dispose();
    }
    if (rateScale < 1) {
      runWarnings.push({ path: 'traffic', message: `the HTTP load sent ${+(rateScale * 100).toPrecision(3)}% of the scenario's request rates, all this machine could send; request metrics are from that share` });
    }
    const results = resultsFromLog({ ...run, warnings: [...run.warnings, ...runWarnings] }, logPath, target);
    if (sideFacts?.spotPricing !== undefined) results.pricing = { ...results.pricing, spot: sideFacts.spotPricing };
    return { results, eventCount: log.count, meta: { ...sideFacts?.meta, speed: s.speed, rateScale, runId: s.runId, armComponents: { [s.arm.name]: components } } };
  };
}
