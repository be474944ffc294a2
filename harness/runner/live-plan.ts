import type { KubernetesObject } from '@kubernetes/client-node';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { formatScenarioDuration } from './human-units.js';

/**
 * What `burstlab run --target kwok --dry-run` adds to the plan: the speed and the wall time it takes, and the objects
 * each arm's fresh cluster gets, in apply order.
 */
export function describeLivePlan(s: Scenario, speed: number, objects: readonly KubernetesObject[]): string {
  const wall = s.duration / speed;
  const lines = [
    `speed: ${speed} scenario second(s) per wall second: each arm plays ${formatScenarioDuration(s.duration)} in ${formatScenarioDuration(wall)} of wall time, ` +
      `after its control plane starts and its initial replicas are Ready; ${s.autoscalers.length} arm(s) one after another`,
    `objects applied to each arm's cluster (${objects.length}, in order):`,
    ...objects.map((o) => `  ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`),
  ];
  return lines.join('\n') + '\n';
}
