import type { FaultSpec } from '../../../scenarios/schema/fault-schema.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { formatScenarioDuration } from '../../runner/human-units.js';

/** The eviction timeouts of the scenario's faults that take nodes NotReady, each with its path. */
function notReadyTimeouts(s: Pick<Scenario, 'faults'>): Array<{ path: string; ms: number }> {
  return (s.faults ?? []).flatMap((f, i) =>
    (f.type === 'node-failure' && f.mode === 'not-ready') || f.type === 'zone-outage' ? [{ path: `faults[${i}]`, ms: f.evictionTimeout }] : [],
  );
}

/**
 * The taint-based eviction timeout a kwok cluster runs with for the scenario's faults (the API server's default
 * tolerations of the not-ready and unreachable taints), or undefined when no fault takes a node NotReady.
 */
export function notReadyEvictionMs(s: Pick<Scenario, 'faults'>): number | undefined {
  return notReadyTimeouts(s)[0]?.ms;
}

/**
 * Why kwok cannot inject the fault in this scenario, or null. The bundled arms take every fault (their cloud is
 * wrapped, their process restarted); the karpenter-upstream arm launches through its own kwok provider inside its
 * own process, which burstlab neither wraps nor restarts, so faults that act on its cloud or process are refused.
 * A Spot interruption reaches it as the loss of the node at the deadline (its kwok provider has no interruption
 * queue), as for Cluster Autoscaler. The eviction timeout is one per cluster.
 */
export function kwokCannot(f: FaultSpec, s?: Pick<Scenario, 'faults' | 'autoscalers'>): string | null {
  const upstream = (s?.autoscalers ?? []).filter((a) => a.kind === 'karpenter-upstream').map((a) => a.name);
  if (upstream.length > 0) {
    const arms = `the karpenter-upstream arm${upstream.length > 1 ? 's' : ''} ${upstream.join(', ')}`;
    if (f.type === 'insufficient-capacity' || f.type === 'api-throttling' || f.type === 'zone-outage') {
      return `${arms} launch${upstream.length > 1 ? '' : 'es'} through Karpenter's own kwok provider, whose launches burstlab cannot refuse`;
    }
    if (f.type === 'autoscaler-crash') return `killing and restarting the process of ${arms} is not built (the bundled arms can crash)`;
  }
  if ((f.type === 'node-failure' && f.mode === 'not-ready') || f.type === 'zone-outage') {
    // The cluster runs with the first one's (notReadyEvictionMs): a later fault that wants another is refused.
    const other = notReadyTimeouts(s ?? {})[0];
    if (other && other.ms !== f.evictionTimeout) {
      return `a kwok cluster has one taint-based eviction timeout (the API server's default toleration), and this fault's ${formatScenarioDuration(f.evictionTimeout)} differs from ${other.path}'s ${formatScenarioDuration(other.ms)}`;
    }
  }
  return null;
}
