/** Labels a kubelet may set on its own Node (k8s.io/kubelet's well-known list); NodeRestriction refuses other kubernetes.io ones. */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);
const KUBELET_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

/** Whether a kubelet may register with this label (`--node-labels`); the rest are set by an admin after the join. */
export function kubeletMaySet(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return true;
  const domain = key.slice(0, slash);
  const restricted = domain === 'kubernetes.io' || domain === 'k8s.io' || domain.endsWith('.kubernetes.io') || domain.endsWith('.k8s.io');
  if (!restricted) return true;
  return KUBELET_LABELS.has(key) || KUBELET_NAMESPACES.some((ns) => domain === ns || domain.endsWith(`.${ns}`));
}
