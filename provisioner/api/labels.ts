/** Well-known label keys (karpenter.sh/v1, karpenter.k8s.aws and Kubernetes) that requirements may name. */
export const LABEL = {
  instanceType: 'node.kubernetes.io/instance-type',
  zone: 'topology.kubernetes.io/zone',
  region: 'topology.kubernetes.io/region',
  hostname: 'kubernetes.io/hostname',
  arch: 'kubernetes.io/arch',
  os: 'kubernetes.io/os',
  capacityType: 'karpenter.sh/capacity-type',
  nodepool: 'karpenter.sh/nodepool',
  nodegroup: 'eks.amazonaws.com/nodegroup',
  instanceCategory: 'karpenter.k8s.aws/instance-category',
  instanceFamily: 'karpenter.k8s.aws/instance-family',
  instanceGeneration: 'karpenter.k8s.aws/instance-generation',
  instanceSize: 'karpenter.k8s.aws/instance-size',
  instanceCpu: 'karpenter.k8s.aws/instance-cpu',
  instanceMemory: 'karpenter.k8s.aws/instance-memory',
  instanceGpuCount: 'karpenter.k8s.aws/instance-gpu-count',
  instanceGpuManufacturer: 'karpenter.k8s.aws/instance-gpu-manufacturer',
  instanceHypervisor: 'karpenter.k8s.aws/instance-hypervisor',
} as const;

/** Keys whose value depends on the offering (zone, capacity type), not on the instance type alone. */
export const OFFERING_KEYS: ReadonlySet<string> = new Set([LABEL.zone, LABEL.capacityType]);


/** Keys an instance type itself determines: the only ones checked against a type's labels. */
export const TYPE_KEYS: ReadonlySet<string> = new Set([
  LABEL.instanceType,
  LABEL.arch,
  LABEL.os,
  LABEL.region,
  LABEL.instanceCategory,
  LABEL.instanceFamily,
  LABEL.instanceGeneration,
  LABEL.instanceSize,
  LABEL.instanceCpu,
  LABEL.instanceMemory,
  LABEL.instanceGpuCount,
  LABEL.instanceGpuManufacturer,
  LABEL.instanceHypervisor,
]);
