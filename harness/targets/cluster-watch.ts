import { CoreV1Api, makeInformer, type Informer, type KubeConfig, type ObjectCache, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { sleep } from '../clock/wall-clock.js';
import type { LiveRecorder } from '../recorder/live-recorder.js';

/** Pod and node informers feeding a LiveRecorder; their caches answer "how many pods are Ready" without polling the API. */
export interface ClusterWatch {
  pods: ObjectCache<V1Pod>;
  nodes: ObjectCache<V1Node>;
  /** Errors the watches hit and recovered from, for the run's diagnostics. */
  errors: string[];
  stop(): Promise<void>;
}

/** What the watches feed: a LiveRecorder, or something that decides when to hand observations to one. */
export type ClusterObserver = Pick<LiveRecorder, 'observePod' | 'observeNode'>;

/**
 * Starts watching pods (in `namespace`, or everywhere; only those `podLabelSelector` selects, when given) and nodes.
 * Resolves once both have listed what exists and their watches are open, so nothing created afterwards is missed.
 */
export async function watchCluster(kc: KubeConfig, recorder: ClusterObserver, namespace?: string, podLabelSelector?: string): Promise<ClusterWatch> {
  const core = kc.makeApiClient(CoreV1Api);
  const podPath = namespace ? `/api/v1/namespaces/${namespace}/pods` : '/api/v1/pods';
  const labelSelector = podLabelSelector === undefined ? {} : { labelSelector: podLabelSelector };
  const pods = makeInformer<V1Pod>(
    kc,
    podPath,
    () => (namespace ? core.listNamespacedPod({ namespace, ...labelSelector }) : core.listPodForAllNamespaces(labelSelector)),
    podLabelSelector,
  );
  const nodes = makeInformer<V1Node>(kc, '/api/v1/nodes', () => core.listNode());
  const errors: string[] = [];
  let stopped = false;
  // Objects delivered before both first lists are done existed before recording started.
  let listed = false;

  const wire = <T extends V1Pod | V1Node>(informer: Informer<T>, observe: (obj: T, gone: boolean, initial: boolean) => void, what: string): void => {
    informer.on('add', (obj) => observe(obj, false, !listed));
    informer.on('update', (obj) => observe(obj, false, !listed));
    informer.on('delete', (obj) => observe(obj, true, !listed));
    // The informer stops on an error; it resumes from its last resource version once restarted.
    informer.on('error', (err: unknown) => {
      if (stopped) return;
      errors.push(`${what} watch: ${err instanceof Error ? err.message : String(err)}`);
      void sleep(500).then(() => (stopped ? undefined : informer.start().catch(() => undefined)));
    });
  };
  wire(pods, (p, gone, initial) => recorder.observePod(p, gone, initial), 'pod');
  wire(nodes, (n, gone, initial) => recorder.observeNode(n, gone, initial), 'node');
  await Promise.all([pods.start(), nodes.start()]);
  listed = true;
  return {
    pods,
    nodes,
    errors,
    async stop() {
      stopped = true;
      await Promise.all([pods.stop(), nodes.stop()]);
    },
  };
}
