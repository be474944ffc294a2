import type { KubernetesObject, V1Deployment, V1PriorityClass } from '@kubernetes/client-node';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import type { ScenarioWarning } from '../../../scenarios/schema/warnings.js';
import { RunError } from '../../runner/errors.js';
import { KWOK_TOLERATION } from '../kwok-nodes.js';
import { KubeClient } from '../kube-client.js';
import { codeOf, describeApiError } from '../live/api-errors.js';
import { liveObjects } from '../live/execute-live.js';
import type { LiveObjects } from '../live/manifests.js';
import type { LiveParts } from '../live/parts.js';
import { LIVE_NAMESPACE } from '../live/seams.js';
import { RUN_LABEL, withRunLabel } from './run-label.js';

/** How the workloads' pods run on the cluster: on kwok's fake nodes (a kwok control plane) or as real pause pods. */
export type PodMode = 'kwok' | 'real';

/**
 * The objects a `--target cluster` run applies: the kwok target's (live/manifests.ts and the parts'), every one
 * labelled RUN_LABEL=<runId>, less what would reach beyond the run's namespace: the scenario's DaemonSets (they
 * tolerate every taint and so would put a pod on each of the user's nodes; the cluster's own DaemonSets are its
 * node overhead). With `pods: 'real'` the kwok plumbing (the `type: kwok` selector, kwok's taint toleration, its
 * stage delays) is taken off the pods, which then start as the cluster starts them. Pure.
 */
export function clusterObjects(scenario: Scenario, speed: number, parts: Pick<LiveParts, 'objects'>, runId: string, pods: PodMode): LiveObjects {
  const planned = liveObjects(scenario, speed, parts);
  const warnings: ScenarioWarning[] = [];
  const objects: KubernetesObject[] = [];
  for (const obj of planned.objects) {
    if (obj.kind === 'DaemonSet') continue;
    objects.push(withRunLabel(pods === 'real' && obj.kind === 'Deployment' ? withoutKwok(obj as V1Deployment) : obj, runId));
  }
  if (scenario.cluster.daemonsets.length > 0) {
    warnings.push({ path: 'cluster.daemonsets', message: "not applied to a user's cluster (they would put a pod on every node): the cluster's own DaemonSets are its node overhead" });
  }
  const startup = pods === 'real' ? planned.warnings.filter((w) => !/^workloads\[\d+\]\.startup$/.test(w.path)) : planned.warnings;
  if (pods === 'real') warnings.push({ path: 'workloads', message: 'pods start as the cluster starts them (pause containers): the scenario\'s image pull and container start are not played' });
  return { objects, warnings: [...startup, ...warnings] };
}

function withoutKwok(d: V1Deployment): V1Deployment {
  const pod = d.spec!.template.spec!;
  const nodeSelector = Object.fromEntries(Object.entries(pod.nodeSelector ?? {}).filter(([k, v]) => !(k === 'type' && v === 'kwok')));
  const tolerations = (pod.tolerations ?? []).filter((t) => t.key !== KWOK_TOLERATION.key);
  const annotations = Object.fromEntries(Object.entries(d.spec!.template.metadata?.annotations ?? {}).filter(([k]) => !k.endsWith('.stage.kwok.x-k8s.io/delay') && !k.endsWith('.stage.kwok.x-k8s.io/jitter-delay')));
  const { nodeSelector: _ns, tolerations: _t, ...rest } = pod;
  return {
    ...d,
    spec: {
      ...d.spec!,
      template: {
        metadata: { ...d.spec!.template.metadata, annotations },
        spec: { ...rest, ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}), ...(tolerations.length > 0 ? { tolerations } : {}) },
      },
    },
  };
}

/**
 * Checks, reading only, that the run may apply its objects: the namespace must not exist (another run's, or the
 * user's), and a PriorityClass the scenario names may already exist only with the scenario's value: then the run
 * uses it and leaves it alone (it is dropped from what is applied, so it never carries the run label and cleanup
 * never deletes it). Returns the objects to apply and what was reused, as warnings.
 */
export async function claimObjects(client: KubeClient, objects: readonly KubernetesObject[], runId: string): Promise<LiveObjects> {
  const ns = await readOrNull(client, 'v1', 'Namespace', '', LIVE_NAMESPACE);
  if (ns) {
    const owner = ns.metadata?.labels?.[RUN_LABEL];
    throw new RunError(
      `the namespace ${LIVE_NAMESPACE} already exists${owner ? ` (burstlab run ${owner})` : ' and is not burstlab\'s'}: a run needs it to itself`,
      owner ? `if that run is over, remove it: burstlab cleanup --run ${owner} --kubeconfig <file>` : `burstlab never touches what it did not create: rename or delete that namespace yourself`,
    );
  }
  const out: KubernetesObject[] = [];
  const warnings: ScenarioWarning[] = [];
  for (const obj of objects) {
    if (obj.kind !== 'PriorityClass') {
      out.push(obj);
      continue;
    }
    const want = obj as V1PriorityClass;
    const have = (await readOrNull(client, 'scheduling.k8s.io/v1', 'PriorityClass', '', want.metadata!.name!)) as V1PriorityClass | null;
    if (!have) out.push(obj);
    else if (have.value === want.value) warnings.push({ path: 'cluster.priorityClasses', message: `PriorityClass ${want.metadata!.name} exists on the cluster with the scenario's value ${want.value}: used as it is, and left in place` });
    else {
      throw new RunError(
        `PriorityClass ${want.metadata!.name} exists on the cluster with value ${have.value}, the scenario says ${want.value} (run ${runId} applied nothing)`,
        'rename the scenario\'s priority class, or give it the cluster\'s value',
      );
    }
  }
  return { objects: out, warnings };
}

async function readOrNull(client: KubeClient, apiVersion: string, kind: string, namespace: string, name: string): Promise<KubernetesObject | null> {
  try {
    return await client.objects.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
  } catch (err) {
    if (codeOf(err) === 404) return null;
    throw new RunError(`could not read ${kind} ${name} on the cluster (${describeApiError(err)})`, 'check the kubeconfig, its context and that the cluster is reachable', { cause: err });
  }
}
