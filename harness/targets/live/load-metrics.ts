import { CoreV1Api, makeInformer, PatchStrategy, type KubernetesObject, type V1Pod, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { sleep } from '../../clock/wall-clock.js';
import { parseQuantity } from '../../recorder/live-quantity.js';
import { RunError } from '../../runner/errors.js';
import type { WorkloadSpec } from '../../../scenarios/schema/scenario-schema.js';
import { FIELD_MANAGER, KubeClient } from '../kube-client.js';
import { USAGE_OBJECT_NAME } from '../kwok/metrics-path.js';
import { HPA_TARGET_UTILIZATION } from './hpa-manifest.js';
import { LIVE_NAMESPACE, WORKLOAD_LABEL, type LiveContext, type LiveLoadMetrics } from './seams.js';

/**
 * Offered load as pod CPU usage, the way a real HPA sees it: kwok reports each container's usage from one
 * ClusterResourceUsage (its stock `usage-from-annotation`), whose CPU expression this rewrites so that a pod of a
 * loaded workload (picked by WORKLOAD_LABEL in LIVE_NAMESPACE) uses
 *
 *   (rps / Ready pods / targetRpsPerPod) x HPA_TARGET_UTILIZATION% x the pod's CPU request,
 *
 * so the HPA's utilisation ratio is the sim's rps ratio, and every other pod keeps the stock expression. One patch
 * covers every pod, including pods created after it (they start at the current value, not a template's), and the
 * pod watch re-patches whenever a workload's Ready count changes, so the total stays the offered load.
 *
 * kwok's CEL selector sees only namespaces and names, hence the switch on the label inside the expression. kwok
 * caches one compiled program per distinct expression for its lifetime: a run adds one per load or Ready-count
 * change, which is why values are only re-patched when the expression really changes.
 */

/** kwok's default CPU usage (its stock expression's "1m"): metrics-server drops a container whose CPU counter is 0. */
const MIN_CONTAINER_CORES = 0.001;

const USAGE_REF = { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterResourceUsage', metadata: { name: USAGE_OBJECT_NAME } };

interface UsageValue {
  expression?: string;
  value?: string;
}

interface UsageSpec {
  usages?: Array<{ containers?: string[]; usage?: Record<string, UsageValue> }>;
}

/** A workload's per-container CPU in cores at this load and Ready count (undefined: no pod to size it by yet). */
export function containerCores(load: { rps: number; targetRpsPerPod: number }, pods: readonly V1Pod[]): number | undefined {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  const sample = live[0] ?? pods[0];
  if (!sample) return undefined;
  const containers = sample.spec?.containers ?? [];
  const requestCores = containers.reduce((sum, c) => sum + (parseQuantity(c.resources?.requests?.cpu) ?? 0), 0);
  const ready = live.filter(isReady).length;
  // Before any pod is Ready the HPA ignores them all; one pod's share keeps the value finite until the first is.
  const ratio = load.rps / Math.max(1, ready) / load.targetRpsPerPod;
  const podCores = ratio * (HPA_TARGET_UTILIZATION / 100) * requestCores;
  return Math.max(MIN_CONTAINER_CORES, podCores / Math.max(1, containers.length));
}

/** The ClusterResourceUsage CPU expression: each loaded workload's value, the stock expression for everything else. */
export function usageExpression(values: ReadonlyMap<string, number>, fallback: string): string {
  const branches = [...values.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([workload, cores]) => {
      const selected = `pod.metadata.namespace == ${JSON.stringify(LIVE_NAMESPACE)} && ${JSON.stringify(WORKLOAD_LABEL)} in pod.metadata.labels && pod.metadata.labels[${JSON.stringify(WORKLOAD_LABEL)}] == ${JSON.stringify(workload)}`;
      // Micro-cores: exact enough for a 1m request at a 1% ratio, and a whole number as Quantity wants.
      return `(${selected}) ? Quantity("${Math.round(cores * 1e6)}u") :\n`;
    });
  return `${branches.join('')}(${fallback.trim()})`;
}

export function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Starts watching the live namespace's workload pods; resolves once the watch has listed them. */
export async function startLoadMetrics(ctx: Pick<LiveContext, 'kubeconfigPath' | 'scenario'>): Promise<LiveLoadMetrics> {
  const client = KubeClient.fromFile(ctx.kubeconfigPath);
  const kc = client.kubeconfig;
  const stock = await readStockUsage(client);
  const targets = new Map(ctx.scenario.workloads.flatMap((w: WorkloadSpec) => (w.hpa ? [[w.name, w.hpa.targetRpsPerPod] as const] : [])));
  const loads = new Map<string, number>();
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1Pod>(
    kc,
    `/api/v1/namespaces/${LIVE_NAMESPACE}/pods`,
    () => core.listNamespacedPod({ namespace: LIVE_NAMESPACE, labelSelector: WORKLOAD_LABEL }),
    WORKLOAD_LABEL,
  );
  let stopped = false;
  let applied = stock.cpu;
  let dirty = false;
  let flushing: Promise<void> | undefined;
  let failure: unknown;

  const expression = (): string => {
    const values = new Map<string, number>();
    const byWorkload = new Map<string, V1Pod[]>();
    for (const pod of informer.list(LIVE_NAMESPACE)) {
      const w = pod.metadata?.labels?.[WORKLOAD_LABEL];
      if (w === undefined || !loads.has(w)) continue;
      const list = byWorkload.get(w);
      if (list) list.push(pod);
      else byWorkload.set(w, [pod]);
    }
    for (const [w, rps] of loads) {
      const cores = containerCores({ rps, targetRpsPerPod: targets.get(w)! }, byWorkload.get(w) ?? []);
      if (cores !== undefined) values.set(w, cores);
    }
    return values.size === 0 ? stock.cpu : usageExpression(values, stock.cpu);
  };

  const patch = (cpu: string): Promise<KubernetesObject> =>
    client.objects.patch(
      { ...USAGE_REF, spec: { usages: [{ usage: { ...stock.usage, cpu: { expression: cpu } } }] } },
      undefined,
      undefined,
      FIELD_MANAGER,
      undefined,
      PatchStrategy.MergePatch,
    );

  // One patch in flight at a time; changes arriving meanwhile are folded into the next, so a burst of pod updates
  // costs a few patches, not one each.
  const drain = async (): Promise<void> => {
    try {
      while (dirty && !stopped) {
        dirty = false;
        const next = expression();
        if (next === applied) continue;
        await patch(next);
        applied = next;
      }
    } catch (err) {
      failure = err;
    }
  };
  const flush = (): Promise<void> => {
    dirty = true;
    // Cleared in a later microtask, after the assignment, even when drain() finishes without awaiting anything.
    flushing ??= drain().finally(() => (flushing = undefined));
    return flushing;
  };

  informer.on('add', () => void flush());
  informer.on('update', () => void flush());
  informer.on('delete', () => void flush());
  informer.on('error', () => {
    if (!stopped) void sleep(500).then(() => (stopped ? undefined : informer.start().catch(() => undefined)));
  });
  await informer.start();

  return {
    async setOfferedLoad(workload: string, rps: number): Promise<void> {
      if (!targets.has(workload)) throw new RangeError(`workload '${workload}' has no HPA: its load is not turned into CPU usage`);
      if (!Number.isFinite(rps) || rps < 0) throw new RangeError(`offered load must be a number >= 0, got ${rps}`);
      loads.set(workload, rps);
      await flush();
      if (failure) {
        const cause = failure;
        failure = undefined;
        throw new RunError(`cannot set the pods' CPU usage (patching ClusterResourceUsage ${USAGE_OBJECT_NAME})`, 'check that the cluster is up and was started with the metrics path', { cause });
      }
    },
    async notReading(): Promise<string[]> {
      const left: string[] = [];
      for (const w of targets.keys()) {
        const hpa = await client.read<V2HorizontalPodAutoscaler>('autoscaling/v2', 'HorizontalPodAutoscaler', LIVE_NAMESPACE, w);
        const read = hpa.status?.currentMetrics?.some((m) => m.resource?.current.averageUtilization !== undefined) ?? false;
        if (!read) left.push(w);
      }
      return left;
    },
    async stop(): Promise<void> {
      stopped = true;
      await flushing;
      await informer.stop();
      // Leaves the cluster's usage as it found it, so anything measured afterwards is not driven by a stopped run.
      if (applied !== stock.cpu) await patch(stock.cpu);
    },
  };
}

async function readStockUsage(client: KubeClient): Promise<{ cpu: string; usage: Record<string, UsageValue> }> {
  let obj: KubernetesObject & { spec?: UsageSpec };
  try {
    obj = await client.objects.read(USAGE_REF);
  } catch (cause) {
    throw new RunError(
      `the cluster has no ClusterResourceUsage ${USAGE_OBJECT_NAME}: it was started without the metrics path`,
      'start the control plane with metrics on (`burstlab cluster up --metrics`, or startControlPlane({ metrics: true }))',
      { cause },
    );
  }
  const usages = obj.spec?.usages ?? [];
  const cpu = usages[0]?.usage?.cpu?.expression;
  if (usages.length !== 1 || usages[0]?.containers?.length || cpu === undefined) {
    throw new RunError(`ClusterResourceUsage ${USAGE_OBJECT_NAME} is not kwok's stock object (one usage for every container, CPU by expression)`, 'restart the cluster');
  }
  return { cpu, usage: usages[0]!.usage! };
}
