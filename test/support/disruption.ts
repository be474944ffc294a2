/**
 * Builders for disruption tests: a Karpenter-only scenario (no Cluster Autoscaler arm, no node groups) whose one
 * NodePool consolidates after a minute unless told otherwise, and readers for the disruption events of its run.
 */
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { eventsOf, run, type ScenarioData } from './scenarios.js';

export interface DisruptionRunOptions {
  duration?: string;
  /** Fields of the one NodePool, `default`, merged over a c/m/r on-demand pool with consolidateAfter 1m. */
  pool?: Record<string, unknown>;
  workloads: unknown[];
  changes?: unknown[];
  zones?: string[];
  priorityClasses?: Array<{ name: string; value: number }>;
  /** The karpenter arm's featureGates (upstream's defaults when absent). */
  featureGates?: Record<string, boolean>;
}

export function disruptionScenario(o: DisruptionRunOptions): ScenarioData {
  const pool = o.pool ?? {};
  return {
    duration: o.duration ?? '30m',
    start: '2026-01-05T00:00:00Z',
    cluster: {
      zones: o.zones ?? ['us-east-1a'],
      daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
      ...(o.priorityClasses ? { priorityClasses: o.priorityClasses } : {}),
      nodeGroups: [],
      nodePools: [
        {
          name: 'default',
          requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }],
          ...pool,
          disruption: { consolidateAfter: '1m', ...(pool.disruption as object | undefined) },
        },
      ],
    },
    workloads: o.workloads,
    ...(o.changes ? { changes: o.changes } : {}),
    autoscalers: [{ name: 'karpenter', kind: 'karpenter', ...(o.featureGates ? { featureGates: o.featureGates } : {}) }],
  };
}

export async function disruptionRun(o: DisruptionRunOptions): Promise<RunEvent[]> {
  return (await run(disruptionScenario(o))).events;
}

export const decisions = (events: readonly RunEvent[]) => eventsOf(events, 'karpenter', 'disruption.decided');
export const blocked = (events: readonly RunEvent[]) => eventsOf(events, 'karpenter', 'disruption.blocked');

/** A workload of `cpu` per pod that scales by the given schedule (time of day -> replicas), starting at `replicas`. */
export function steppedWorkload(name: string, cpu: string, replicas: number, steps: Array<[string, number]>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    replicas,
    resources: { cpu, memory: '256Mi' },
    terminationGracePeriod: '0s',
    schedule: steps.map(([at, n]) => ({ at, replicas: n })),
    ...extra,
  };
}

/** When each node was launched, by name. */
export function launchTimes(events: readonly RunEvent[]): Map<string, number> {
  return new Map(eventsOf(events, 'karpenter', 'node.launched').map((e) => [e.node, e.t]));
}
