import type { V1Deployment } from '@kubernetes/client-node';
import { KWOK_TOLERATION } from './kwok-nodes.js';

export interface DeploymentSpec {
  name: string;
  namespace: string;
  replicas: number;
  cpuMilli: number;
  memoryMiB: number;
  /** Only onto kwok's fake nodes (tolerating their taint); false for clusters with real kubelets. */
  kwok: boolean;
  /** On every pod: e.g. a kwok stage's per-pod delay, `pod-ready.stage.kwok.x-k8s.io/delay: 2s`. */
  podAnnotations?: Record<string, string>;
}

/** A stateless Deployment with resource requests: the unit of a traffic-driven burst. */
export function deployment(spec: DeploymentSpec): V1Deployment {
  const labels = { app: spec.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(spec.podAnnotations ? { annotations: spec.podAnnotations } : {}) },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.k8s.io/pause:3.10',
              resources: { requests: { cpu: `${spec.cpuMilli}m`, memory: `${spec.memoryMiB}Mi` } },
            },
          ],
          ...(spec.kwok ? { tolerations: [{ ...KWOK_TOLERATION }], nodeSelector: { type: 'kwok' } } : {}),
        },
      },
    },
  };
}
