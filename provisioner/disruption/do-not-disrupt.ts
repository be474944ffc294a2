import type { StatePod } from '../state/state-pod.js';

/**
 * Upstream's IsDoNotDisruptActive (pkg/utils/pod/scheduling.go), for every path that may take a pod away gracefully
 * (consolidation and drift candidates, the drains of expiration and interruption before their grace period, and
 * termination): `karpenter.sh/do-not-disrupt: "true"` protects the pod for good; a duration protects it until that
 * long after it started (status.startTime, when the kubelet took it), and a pod not started yet is protected, as
 * upstream fails safe.
 */
export function doNotDisruptActive(pod: StatePod, now: number): boolean {
  if (pod.spec.doNotDisrupt) return true;
  const forMs = pod.spec.doNotDisruptForMs;
  if (forMs === undefined) return false;
  return pod.startedAt === null || now - pod.startedAt < forMs;
}

/** The protection in words, for a `disruption.blocked` detail. */
export function describeDoNotDisrupt(pod: StatePod): string {
  const forMs = pod.spec.doNotDisruptForMs;
  if (pod.spec.doNotDisrupt || forMs === undefined) return `pod ${pod.name} has karpenter.sh/do-not-disrupt`;
  const until = pod.startedAt === null ? 'from when it starts' : `after it started, until ${Math.ceil((pod.startedAt + forMs) / 1000)} s into the run`;
  return `pod ${pod.name} has karpenter.sh/do-not-disrupt for ${forMs / 1000} s ${until}`;
}
