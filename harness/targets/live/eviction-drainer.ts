import { PatchStrategy, setHeaderOptions, type CoreV1Api } from '@kubernetes/client-node';
import type { ClusterActions } from '../../../provisioner/api/cluster-actions.js';
import type { Clock } from '../../../provisioner/runtime/clock.js';
import type { DisruptionReason } from '../../../provisioner/runtime/events.js';
import type { StateNode } from '../../../provisioner/state/state-node.js';
import type { StatePod } from '../../../provisioner/state/state-pod.js';
import { codeOf, describeApiError } from './api-errors.js';

export interface LiveActionsDeps {
  core: CoreV1Api;
  clock: Clock;
  log(line: string): void;
  /** How long (scenario time) before asking again for an eviction a PodDisruptionBudget refused (HTTP 429). */
  retryMs?: number;
}

/** Karpenter's eviction queue backs off up to 10 s; the Terminator asks again every 5 s. */
const EVICTION_RETRY_MS = 5_000;

/**
 * ClusterActions on a real API server: cordon sets spec.unschedulable; evict goes through the Eviction API, so the
 * API server applies the real PodDisruptionBudgets: a refusal (HTTP 429) is logged and asked again after
 * `retryMs` until the pod is gone; deletePod deletes at once (grace period 0), as a drain whose deadline came does.
 * The state is not written here: the informers show the pod terminating and gone, and the node cordoned; only the
 * cordon is marked at once, so the provisioner stops counting the node's room before the watch catches up.
 */
export class LiveClusterActions implements ClusterActions {
  /** Pods with an eviction asked for or waiting to be asked again. */
  private readonly evicting = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: LiveActionsDeps) {}

  cordon(node: StateNode, reason: string): void {
    if (node.cordoned) return;
    node.cordoned = true;
    const body = { spec: { unschedulable: true } };
    this.deps.core
      .patchNode({ name: node.name, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))
      .catch((err: unknown) => this.deps.log(`cordon ${node.name} (${reason}) failed: ${describeApiError(err)}`));
  }

  evict(pod: StatePod, cause?: DisruptionReason): void {
    if (this.evicting.has(pod.name)) return;
    this.evicting.add(pod.name);
    void this.tryEvict(pod, cause, 1);
  }

  deletePod(pod: StatePod, cause: DisruptionReason): void {
    const { namespace, name } = split(pod.name);
    this.deps.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch((err: unknown) => {
      if (codeOf(err) !== 404) this.deps.log(`delete pod ${pod.name} (${cause}) failed: ${describeApiError(err)}`);
    });
  }

  /** No more retries are scheduled; evictions already sent stand. */
  stop(): void {
    this.stopped = true;
  }

  private async tryEvict(pod: StatePod, cause: DisruptionReason | undefined, attempt: number): Promise<void> {
    const { namespace, name } = split(pod.name);
    try {
      await this.deps.core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } } });
      this.evicting.delete(pod.name);
    } catch (err) {
      const code = codeOf(err);
      if (code === 404 || pod.phase === 'gone') {
        this.evicting.delete(pod.name);
        return;
      }
      if (this.stopped) return;
      const retry = this.deps.retryMs ?? EVICTION_RETRY_MS;
      // 429: a PodDisruptionBudget allows no disruption now; anything else (a conflict, a hiccup) is tried again too.
      this.deps.log(`eviction of ${pod.name}${cause ? ` (${cause})` : ''} refused, attempt ${attempt}: ${describeApiError(err)}; asking again in ${retry / 1000} s`);
      this.deps.clock.setTimer(retry, () => {
        if (this.stopped || pod.phase === 'gone' || pod.phase === 'terminating') {
          this.evicting.delete(pod.name);
          return;
        }
        void this.tryEvict(pod, cause, attempt + 1);
      });
    }
  }
}

function split(podName: string): { namespace: string; name: string } {
  const slash = podName.indexOf('/');
  return { namespace: podName.slice(0, slash), name: podName.slice(slash + 1) };
}
