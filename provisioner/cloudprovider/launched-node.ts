import { LABEL } from '../api/labels.js';
import type { Resources } from '../api/resources.js';
import { StateNode } from '../state/state-node.js';
import type { LaunchRequest } from './cloud-provider.js';

/** The labels a node launched for `request` carries: its type's, the request's, and its zone, capacity type and name. */
export function launchedLabels(request: LaunchRequest): Record<string, string> {
  return {
    ...request.type.labels,
    ...request.labels,
    [LABEL.zone]: request.zone,
    [LABEL.capacityType]: request.capacityType,
    [LABEL.hostname]: request.name,
  };
}

/**
 * The node a launch becomes, as the cluster state holds it (phase 'launching'): what the sim's cloud adds to its
 * world, and what the provisioner counts for a launch still in flight, before any node of that name is seen.
 */
export function launchedNode(request: LaunchRequest, overhead: Resources, launchedAt: number, initial: boolean): StateNode {
  const { type } = request;
  return new StateNode({
    name: request.name,
    instanceType: type.name,
    zone: request.zone,
    capacityType: request.capacityType,
    pricePerHour: request.pricePerHour,
    capacity: type.capacity,
    allocatable: type.allocatable,
    labels: launchedLabels(request),
    // Its own list: a node's taints change on their own (a kubelet that stops reporting), never its template's.
    taints: [...request.taints],
    owner: request.owner,
    ownerKind: request.ownerKind,
    overhead,
    launchedAt,
    initial,
  });
}
