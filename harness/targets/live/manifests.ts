import type { KubernetesObject, V1Namespace, V1PodDisruptionBudget, V1PriorityClass } from '@kubernetes/client-node';
import type { LatencySpec, WorkloadSpec } from '../../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import type { ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import { SHUTDOWN_CAP_MS } from '../../sim/pod-lifecycle.js';
import { daemonSet, deployment, workloadLabels } from '../workloads.js';
import { LIVE_NAMESPACE } from './seams.js';

/** The scenario as the objects a live run applies, in apply order, and what they cannot say as the sim does. */
export interface LiveObjects {
  objects: KubernetesObject[];
  warnings: ScenarioWarning[];
}

/** The label on the namespace burstlab creates, so a shared cluster shows what is the harness's. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'burstlab' } as const;

/** kwok's per-pod stage delays (kind/kwok/stages): start-up, its jitter (an upper bound) and shutdown. */
export const POD_READY_DELAY = 'pod-ready.stage.kwok.x-k8s.io/delay';
export const POD_READY_JITTER = 'pod-ready.stage.kwok.x-k8s.io/jitter-delay';
export const POD_DELETE_DELAY = 'pod-delete.stage.kwok.x-k8s.io/delay';
export const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';

/**
 * The scenario's objects for a kwok cluster: its namespace, PriorityClasses, DaemonSets, PodDisruptionBudgets
 * (before the pods they guard) and Deployments, each workload's pods labelled WORKLOAD_LABEL=<name> plus its `labels`,
 * with its spread and pod (anti-)affinity selecting by the scenario's labelSelectors. Durations the
 * cluster plays (start-up, shutdown) are divided by `speed`, scenario seconds per wall second. Pure.
 */
export function scenarioObjects(s: Scenario, speed: number): LiveObjects {
  const warnings: ScenarioWarning[] = [];
  const namespace: V1Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: LIVE_NAMESPACE, labels: { ...MANAGED_BY } } };
  const objects: KubernetesObject[] = [namespace];
  for (const p of s.cluster.priorityClasses) objects.push(priorityClass(p.name, p.value));
  for (const d of s.cluster.daemonsets) {
    objects.push(daemonSet({ name: d.name, namespace: LIVE_NAMESPACE, cpuMilli: d.resources.cpu, memoryMiB: d.resources.memory, gpu: d.resources.gpu }));
  }
  for (const w of s.workloads) if (w.pdb) objects.push(podDisruptionBudget(w.name, w.pdb));
  s.workloads.forEach((w, i) => {
    const startup = startupDelays(w.startup.imagePull, w.startup.containerStart, speed);
    warnings.push({ path: `workloads[${i}].startup`, message: startupWarning(w, startup, speed) });
    const annotations: Record<string, string> = {
      [POD_READY_DELAY]: `${startup.fromMs}ms`,
      ...(startup.toMs > startup.fromMs ? { [POD_READY_JITTER]: `${startup.toMs}ms` } : {}),
      [POD_DELETE_DELAY]: `${Math.round(Math.min(w.terminationGracePeriod, SHUTDOWN_CAP_MS) / speed)}ms`,
    };
    if (w.doNotDisrupt === true) annotations[DO_NOT_DISRUPT] = 'true';
    else if (w.doNotDisrupt !== false) {
      warnings.push({
        path: `workloads[${i}].doNotDisrupt`,
        message: `a protection for ${w.doNotDisrupt / 1000} s after Ready has no object form (${DO_NOT_DISRUPT} is a plain "true"): on a live target these pods are not protected at all`,
      });
    }
    objects.push(
      deployment({
        name: w.name,
        namespace: LIVE_NAMESPACE,
        replicas: initialReplicas(w),
        cpuMilli: w.resources.cpu,
        memoryMiB: w.resources.memory,
        gpu: w.resources.gpu,
        kwok: true,
        podLabels: w.labels,
        podAnnotations: annotations,
        ...(w.priorityClass === undefined ? {} : { priorityClassName: w.priorityClass }),
        nodeSelector: w.nodeSelector,
        nodeAffinity: w.nodeAffinity,
        tolerations: w.tolerations,
        topologySpread: w.topologySpread,
        podAffinity: w.podAffinity,
        podAntiAffinity: w.podAntiAffinity,
        terminationGracePeriodSeconds: Math.ceil(w.terminationGracePeriod / speed / 1000),
      }),
    );
  });
  return { objects, warnings };
}

/** The replicas a workload starts with: as the sim, an HPA's bounds clamp the scenario's count. */
export function initialReplicas(w: WorkloadSpec): number {
  return w.hpa ? Math.min(w.hpa.maxReplicas, Math.max(w.hpa.minReplicas, w.replicas)) : w.replicas;
}

export function priorityClass(name: string, value: number): V1PriorityClass {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, labels: { ...MANAGED_BY } }, value, globalDefault: false };
}

export function podDisruptionBudget(workload: string, pdb: NonNullable<WorkloadSpec['pdb']>): V1PodDisruptionBudget {
  const value = pdb.percent ? `${pdb.value}%` : pdb.value;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: workload, namespace: LIVE_NAMESPACE, labels: workloadLabels(workload) },
    spec: { selector: { matchLabels: workloadLabels(workload) }, [pdb.kind]: value },
  };
}

/** A pod's start-up on kwok: uniform in [fromMs, toMs) of wall time, kwok's only shape for a per-pod delay. */
export interface StartupDelays {
  fromMs: number;
  toMs: number;
}

/**
 * Fits kwok's uniform start-up delay to the sim's image pull plus container start. The sum's median and 90th
 * percentile are taken as the sums of the parts' (the p90 of a sum is at most that). A uniform [a, b) with that
 * median and p90 has b - a = 2.5 (p90 - median); when that would start below zero, [0, 2 x median) keeps the
 * median and shortens the tail. Divided by `speed`, in wall ms.
 */
export function startupDelays(imagePull: LatencySpec, containerStart: LatencySpec, speed: number): StartupDelays {
  const median = imagePull.medianMs + containerStart.medianMs;
  const p90 = imagePull.p90Ms + containerStart.p90Ms;
  let from = median - 1.25 * (p90 - median);
  let to = from + 2.5 * (p90 - median);
  if (from < 0) {
    from = 0;
    to = 2 * median;
  }
  return { fromMs: Math.round(from / speed), toMs: Math.round(to / speed) };
}

/** In scenario time: the wall delays times `speed`. */
function startupWarning(w: WorkloadSpec, d: StartupDelays, speed: number): string {
  const s = (ms: number): string => `${Math.round(ms) / 1000} s`;
  const { imagePull: pull, containerStart: start } = w.startup;
  const from = d.fromMs * speed;
  const to = d.toMs * speed;
  const shape = from === to ? `a fixed ${s(from)}` : `a delay uniform in [${s(from)}, ${s(to)}) (median ${s((from + to) / 2)}, p90 ${s(from + 0.9 * (to - from))})`;
  return (
    `kwok starts each pod after ${shape}, ` +
    `fitted to image pull + container start (median ${s(pull.medianMs + start.medianMs)}, p90 at most ${s(pull.p90Ms + start.p90Ms)}); ` +
    'the sim draws each log-normal and pulls an image once per node, kwok pays the pull on every pod'
  );
}
