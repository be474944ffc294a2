import type { ForcefulDisruption } from '../lifecycle/forceful.js';
import type { IceCache } from '../provisioning/ice-cache.js';
import type { ClusterState } from '../state/cluster-state.js';
import { interruptionAction, type InterruptionKind } from './actions.js';

export interface InterruptionDeps {
  state: ClusterState;
  /** The provisioner's insufficient-capacity cache. */
  ice: Pick<IceCache, 'markUnavailable'>;
  forceful: ForcefulDisruption;
}

/**
 * Karpenter's interruption controller: it reads the cloud's notices about its own nodes (those of a NodePool; other
 * instances are not its business) and acts on them as `interruptionAction` says. The cloud terminates a reclaimed
 * instance at its deadline whatever the drain has done by then.
 */
export class InterruptionController {
  constructor(private readonly deps: InterruptionDeps) {}

  /** Acts on one notice; resolves once the disruption it started has its replacements accepted and its drain begun. */
  async handle(nodeName: string, kind: InterruptionKind): Promise<void> {
    const node = this.deps.state.nodes.get(nodeName);
    if (!node || !node.alive || node.ownerKind !== 'nodepool') return;
    const action = interruptionAction(kind);
    if (action.kind === 'none') return;
    if (action.markUnavailable) this.deps.ice.markUnavailable(node.instanceType, node.zone, node.capacityType);
    await this.deps.forceful.disrupt(node, 'interruption', 'Interrupted');
  }
}
