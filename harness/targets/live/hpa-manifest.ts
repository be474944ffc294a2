import type { V2HorizontalPodAutoscaler, V2HPAScalingRules } from '@kubernetes/client-node';
import type { WorkloadSpec } from '../../../scenarios/schema/scenario-schema.js';
import { UsageError } from '../../runner/errors.js';
import { checkSpeed } from '../kwok/speed.js';
import { LIVE_NAMESPACE, WORKLOAD_LABEL } from './seams.js';

/**
 * The CPU utilisation (percent of the pods' request) every live HPA targets. LiveLoadMetrics makes a pod's usage
 * (rps per Ready pod / targetRpsPerPod) x this x its request, so the HPA's ratio is the sim's rps ratio.
 */
export const HPA_TARGET_UTILIZATION = 50;

/** The autoscaling/v2 API's bounds on behaviour fields (validation of HorizontalPodAutoscalerBehavior). */
const MAX_STABILIZATION_S = 3_600;
const MAX_PERIOD_S = 1_800;

export interface HpaManifest {
  manifest: V2HorizontalPodAutoscaler & { metadata: { name: string; namespace: string } };
  /** Where the live HPA cannot be what the scenario says (rounding, API limits): each says what it is instead. */
  warnings: string[];
}

/**
 * The real HPA for a scenario workload's `hpa`: on CPU Utilization of the workload's Deployment (same name, in
 * LIVE_NAMESPACE), with the scenario's behaviour. Its windows and periods are scenario time, so they are divided by
 * `speed`; the API counts them in whole seconds (periods at least 1 s), which is where rounding shows. The HPA sync
 * period is the controller's flag, not the HPA's: see `controllerSyncPeriodMs`.
 */
export function hpaManifest(workload: WorkloadSpec, speed: number): HpaManifest {
  checkSpeed(speed);
  const hpa = workload.hpa;
  const path = `workloads.${workload.name}.hpa`;
  if (!hpa) throw new RangeError(`${path} is not set: a workload without an HPA gets none`);
  const warnings: string[] = [];
  const seconds = (ms: number, field: string, min: number, max: number): number => {
    const exact = ms / 1000 / speed;
    const s = Math.max(min, Math.round(exact));
    if (s > max) throw new UsageError(`${path}.${field} is ${ms / 1000} s, ${exact} s wall at speed ${speed}; the HPA API allows at most ${max} s`, 'raise --speed or shorten it');
    if (s !== exact) warnings.push(`${path}.${field}: ${ms / 1000} s runs as ${s} s wall at speed ${speed} (${s * speed} s of scenario time): the HPA API counts whole seconds`);
    return s;
  };
  const percent = (value: number, field: string): number => {
    const whole = Math.max(1, Math.round(value));
    if (whole !== value) warnings.push(`${path}.${field}: ${value}% runs as ${whole}%: the HPA API takes whole percents`);
    return whole;
  };
  const minReplicas = Math.max(1, hpa.minReplicas);
  if (minReplicas !== hpa.minReplicas) {
    warnings.push(`${path}.minReplicas: 0 runs as 1: an HPA on CPU cannot scale to zero (HPAScaleToZero is alpha and needs an Object or External metric)`);
  }
  const tolerance = String(hpa.tolerance);
  const scaleUp: V2HPAScalingRules = {
    stabilizationWindowSeconds: seconds(hpa.scaleUp.stabilizationWindow, 'scaleUp.stabilizationWindow', 0, MAX_STABILIZATION_S),
    // The larger of the two, as the sim's HPA and Kubernetes' default scale-up behaviour take.
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: percent(hpa.scaleUp.percent, 'scaleUp.percent'), periodSeconds: seconds(hpa.scaleUp.period, 'scaleUp.period', 1, MAX_PERIOD_S) },
      { type: 'Pods', value: hpa.scaleUp.pods, periodSeconds: seconds(hpa.scaleUp.period, 'scaleUp.period', 1, MAX_PERIOD_S) },
    ],
    tolerance,
  };
  const scaleDown: V2HPAScalingRules = {
    stabilizationWindowSeconds: seconds(hpa.scaleDown.stabilizationWindow, 'scaleDown.stabilizationWindow', 0, MAX_STABILIZATION_S),
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: percent(hpa.scaleDown.percent, 'scaleDown.percent'), periodSeconds: seconds(hpa.scaleDown.period, 'scaleDown.period', 1, MAX_PERIOD_S) }],
    tolerance,
  };
  return {
    manifest: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: workload.name, namespace: LIVE_NAMESPACE, labels: { [WORKLOAD_LABEL]: workload.name } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name },
        minReplicas,
        maxReplicas: hpa.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: HPA_TARGET_UTILIZATION } } }],
        behavior: { scaleUp, scaleDown },
      },
    },
    warnings: unique(warnings),
  };
}

/**
 * The HPA controller's sync period, in scenario time, for kube-controller-manager (one flag for every HPA): the
 * shortest of the workloads' `hpa.syncPeriod`, with a warning when they differ, since a live cluster cannot honour
 * one per HPA. Undefined when no workload has an HPA.
 */
export function controllerSyncPeriodMs(workloads: readonly WorkloadSpec[]): { ms: number | undefined; warnings: string[] } {
  const periods = workloads.flatMap((w) => (w.hpa ? [{ name: w.name, ms: w.hpa.syncPeriod }] : []));
  if (periods.length === 0) return { ms: undefined, warnings: [] };
  const ms = periods.reduce((min, p) => Math.min(min, p.ms), Infinity);
  const others = periods.filter((p) => p.ms !== ms);
  const warnings = others.map(
    (p) => `workloads.${p.name}.hpa.syncPeriod: ${p.ms / 1000} s runs as ${ms / 1000} s: kube-controller-manager has one HPA sync period for every HPA`,
  );
  return { ms, warnings };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
