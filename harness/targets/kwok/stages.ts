import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/** Default delays of the kwok stages; a node or pod can still override its own through the stage's annotations. */
export interface StageDelays {
  /** Node registered -> Ready: the instance's boot time. */
  nodeReadyMs: number;
  /** Pod bound -> Running and Ready: container start-up. */
  podReadyMs: number;
  /** Uniform extra start-up time in [0, jitter). */
  podReadyJitterMs: number;
  /** Deletion requested -> pod gone: container shutdown. */
  podDeleteMs: number;
}

/** The control plane's own floor: every simulated delay zero, so what remains is API, scheduler and controllers. */
export const NO_DELAYS: StageDelays = { nodeReadyMs: 0, podReadyMs: 0, podReadyJitterMs: 0, podDeleteMs: 0 };

/**
 * kwok's own options. It plays stages with 4 workers for pods and 4 for nodes by default, which makes kwok, not
 * the control plane, the limit of a 1,000-pod burst (a real cluster has one kubelet per node working at once).
 * kwok applies no defaults to a configuration read from a file, so every option with a default is spelled out
 * (kwok v0.8.0's defaults; the pod CIDR widened from /24 so a thousand pods get distinct IPs); flags still win.
 */
export function kwokOptions(parallelism: number): string {
  return stringify({
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokConfiguration',
    options: {
      cidr: '10.0.0.0/16',
      manageAllNodes: false,
      enableDebuggingHandlers: true,
      enableContentionProfiling: false,
      enableProfilingHandler: true,
      podPlayStageParallelism: parallelism,
      nodePlayStageParallelism: parallelism,
      nodeLeaseParallelism: 4,
      podsOnNodeSyncParallelism: 1,
      enablePodsOnNodeSyncListPager: true,
      enablePodsOnNodeSyncStreamWatch: false,
    },
  });
}

/** Reads kind/kwok/stages/*.yaml and sets the delays: the stages passed to `kwok --config`. */
export function kwokStagesConfig(stagesDir: string, delays: StageDelays): string {
  const files = readdirSync(stagesDir).filter((f) => f.endsWith('.yaml')).sort();
  const docs: string[] = [];
  // kwok's jitter is the delay's upper bound, and a bound below the duration replaces it: so it is set only
  // when there is jitter, as duration + jitter.
  const jitter: Array<[string, number]> = delays.podReadyJitterMs > 0 ? [['jitterDurationMilliseconds', delays.podReadyMs + delays.podReadyJitterMs]] : [];
  const set: Record<string, Array<[string, number]>> = {
    'node-initialize': [['durationMilliseconds', delays.nodeReadyMs]],
    'pod-ready': [['durationMilliseconds', delays.podReadyMs], ...jitter],
    'pod-delete': [['durationMilliseconds', delays.podDeleteMs]],
  };
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(join(stagesDir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const name = doc.getIn(['metadata', 'name']);
      for (const [key, value] of set[String(name)] ?? []) {
        if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} ${key} must be a whole number of ms >= 0, got ${value}`);
        doc.setIn(['spec', 'delay', key], value);
      }
      docs.push(doc.toString());
    }
  }
  return docs.join('---\n');
}
