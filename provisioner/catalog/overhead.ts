import type { Resources } from '../api/resources.js';

/**
 * The EKS-optimised AMI's node overhead, as Karpenter computes it for AWS:
 * - kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% of every core above four;
 * - kube-reserved memory: 11 MiB per pod the node may run, plus 255 MiB;
 * - system-reserved: 100m CPU and 100 MiB (the values commonly set in EKS NodePools; the AMI sets none itself);
 * - eviction threshold: memory.available < 100 MiB;
 * - VM overhead: 7.5% of memory is not visible to the kubelet (Karpenter's vmMemoryOverheadPercent default).
 */
export const SYSTEM_RESERVED = { cpu: 100, memory: 100 } as const;
export const EVICTION_HARD_MEMORY_MIB = 100;
export const VM_MEMORY_OVERHEAD = 0.075;

export function kubeReservedCpuMilli(vcpu: number): number {
  const tiers: Array<[cores: number, share: number]> = [
    [1, 0.06],
    [1, 0.01],
    [2, 0.005],
    [Infinity, 0.0025],
  ];
  let left = vcpu;
  let reserved = 0;
  for (const [cores, share] of tiers) {
    const take = Math.min(left, cores);
    reserved += take * 1000 * share;
    left -= take;
    if (left <= 0) break;
  }
  return Math.round(reserved);
}

export function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}

export function capacityOf(vcpu: number, memoryMiB: number, maxPods: number, gpu: number): Resources {
  return { cpu: vcpu * 1000, memory: Math.floor(memoryMiB * (1 - VM_MEMORY_OVERHEAD)), pods: maxPods, gpu };
}

export function allocatableOf(capacity: Resources): Resources {
  return {
    cpu: capacity.cpu - kubeReservedCpuMilli(capacity.cpu / 1000) - SYSTEM_RESERVED.cpu,
    memory: capacity.memory - kubeReservedMemoryMiB(capacity.pods) - SYSTEM_RESERVED.memory - EVICTION_HARD_MEMORY_MIB,
    pods: capacity.pods,
    gpu: capacity.gpu,
  };
}
