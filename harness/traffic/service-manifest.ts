import type { V1Service } from '@kubernetes/client-node';
import { LIVE_NAMESPACE, WORKLOAD_LABEL } from '../targets/live/seams.js';

/** The port the Service declares; nothing listens on it (the load goes to the loopback stand-in), it only names one. */
export const SERVICE_PORT = 80;

/**
 * A workload's Service, selecting its pods, so that the EndpointSlice controller keeps real EndpointSlices of its
 * Ready pods (labelled kubernetes.io/service-name=<workload>), which the loopback stand-in's capacity follows.
 * Headless: nothing routes to a cluster IP, so none is allocated from the control plane's service range.
 */
export function workloadService(workload: string, namespace = LIVE_NAMESPACE): V1Service {
  const labels = { [WORKLOAD_LABEL]: workload };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: workload, namespace, labels },
    spec: {
      clusterIP: 'None',
      selector: labels,
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: SERVICE_PORT, protocol: 'TCP' }],
    },
  };
}
