import { DiscoveryV1Api, makeInformer, type KubeConfig, type V1EndpointSlice } from '@kubernetes/client-node';
import { sleep } from '../clock/wall-clock.js';

/** The label the EndpointSlice controller puts on every slice of a Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Ready endpoints per Service across its slices. An endpoint counts when `conditions.ready` is true or unset (the
 * API says consumers should read unset as ready); one listed in two slices at once (the controller moving it) counts
 * once, by its target pod, else its first address.
 */
export function readyEndpoints(slices: readonly V1EndpointSlice[]): Map<string, number> {
  const seen = new Map<string, Set<string>>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) continue;
    let ids = seen.get(service);
    if (!ids) seen.set(service, (ids = new Set()));
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      const ref = e.targetRef;
      ids.add(ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}/${ref.uid ?? ''}` : (e.addresses[0] ?? ''));
    }
  }
  return new Map([...seen].map(([service, ids]) => [service, ids.size]));
}

export interface ReadyEndpointsWatch {
  /** Watch errors it recovered from, for the run's diagnostics. */
  errors: string[];
  stop(): Promise<void>;
}

/** Calls `onChange(service, ready)` with a Service's Ready endpoint count; `services` always get a first call (0 when no slice exists yet). */
export type ReadyEndpointsFeed = (onChange: (service: string, ready: number) => void) => Promise<ReadyEndpointsWatch>;

/**
 * Watches the EndpointSlices of `services` in `namespace` and reports each one's Ready endpoint count whenever it
 * changes. Resolves once the first list is in, so every count reported afterwards is current.
 */
export function endpointSliceFeed(kc: KubeConfig, namespace: string, services: readonly string[]): ReadyEndpointsFeed {
  return async (onChange) => {
    const api = kc.makeApiClient(DiscoveryV1Api);
    const selector = `${SERVICE_NAME_LABEL} in (${services.join(',')})`;
    const informer = makeInformer<V1EndpointSlice>(
      kc,
      `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
      () => api.listNamespacedEndpointSlice({ namespace, labelSelector: selector }),
      selector,
    );
    const last = new Map<string, number>();
    const errors: string[] = [];
    let stopped = false;
    const publish = (): void => {
      const counts = readyEndpoints(informer.list(namespace));
      for (const service of services) {
        const n = counts.get(service) ?? 0;
        if (last.get(service) === n) continue;
        last.set(service, n);
        onChange(service, n);
      }
    };
    informer.on('add', publish);
    informer.on('update', publish);
    informer.on('delete', publish);
    // The informer stops on an error; restarted, it resumes from its last resource version.
    informer.on('error', (err: unknown) => {
      if (stopped) return;
      errors.push(`EndpointSlice watch: ${err instanceof Error ? err.message : String(err)}`);
      void sleep(500).then(() => (stopped ? undefined : informer.start().catch(() => undefined)));
    });
    await informer.start();
    publish();
    return {
      errors,
      async stop() {
        stopped = true;
        await informer.stop();
      },
    };
  };
}
