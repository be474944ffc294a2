import type { KubernetesObject } from '@kubernetes/client-node';
import { LABEL } from '../../../provisioner/api/labels.js';
import type { Resources } from '../../../provisioner/api/resources.js';
import type { LaunchRequest } from '../../../provisioner/cloudprovider/cloud-provider.js';
import { KARPENTER_API } from './karpenter-crds.js';

/** A karpenter.sh/v1 NodeClaim status condition, as Karpenter's lifecycle controller sets them. */
export interface ClaimCondition {
  type: 'Launched' | 'Registered' | 'Initialized' | 'Ready';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  lastTransitionTime: string;
}

/** kwok's provider ID scheme, as Karpenter's kwok provider writes it. */
export function providerId(node: string): string {
  return `kwok://${node}`;
}

/**
 * The NodeClaim Karpenter would create for a launch: named like the node, labelled with its NodePool and offering,
 * its requirements pinning the chosen instance type, zone and capacity type (Karpenter lists every type the claim
 * allowed; the launch already chose one), the pool's taints and its node class.
 */
export function nodeClaimObject(request: LaunchRequest, nodeClassRef: { group: string; kind: string; name: string }): KubernetesObject {
  const pin = (key: string, value: string): { key: string; operator: 'In'; values: string[] } => ({ key, operator: 'In', values: [value] });
  return {
    apiVersion: `${KARPENTER_API.group}/${KARPENTER_API.version}`,
    kind: 'NodeClaim',
    metadata: {
      name: request.name,
      labels: {
        ...request.labels,
        [LABEL.nodepool]: request.owner,
        [LABEL.instanceType]: request.type.name,
        [LABEL.zone]: request.zone,
        [LABEL.capacityType]: request.capacityType,
      },
    },
    spec: {
      nodeClassRef,
      requirements: [
        pin(LABEL.nodepool, request.owner),
        pin(LABEL.instanceType, request.type.name),
        pin(LABEL.zone, request.zone),
        pin(LABEL.capacityType, request.capacityType),
      ],
      ...(request.taints.length > 0 ? { taints: request.taints } : {}),
    },
  } as KubernetesObject;
}

/** The claim's status: the instance's provider ID, capacity and allocatable, the node once registered, the conditions. */
export function nodeClaimStatus(request: LaunchRequest, conditions: readonly ClaimCondition[], nodeName?: string): Record<string, unknown> {
  const quantities = (r: Resources): Record<string, string> => ({
    cpu: `${r.cpu}m`,
    memory: `${r.memory}Mi`,
    pods: String(r.pods),
    ...(r.gpu > 0 ? { 'nvidia.com/gpu': String(r.gpu) } : {}),
  });
  return {
    providerID: providerId(request.name),
    capacity: quantities(request.type.capacity),
    allocatable: quantities(request.type.allocatable),
    ...(nodeName ? { nodeName } : {}),
    conditions,
  };
}
