import type { ValidationIssue } from '../runner/errors.js';
import type { TargetName } from '../../provisioner/runtime/events.js';
import type { FaultSpec, FaultType } from '../../scenarios/schema/fault-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { fisCannot } from './fis/fis-actions.js';

/**
 * What a target can inject. Each target's back end plays the plan its own way (the sim wraps its world and cloud,
 * harness/chaos/sim/; kwok will use node stages, node deletion, its cloud provider's failure knobs and the controller
 * process; EKS runs the FIS templates of harness/chaos/fis/), but every one answers this first, so a fault a target
 * cannot do is a validation error naming the target before anything starts, never a silent skip.
 */
export interface FaultBackend {
  readonly target: TargetName;
  /** Why this target cannot inject the fault, or null when it can. */
  cannot(fault: FaultSpec): string | null;
}

const simBackend: FaultBackend = { target: 'sim', cannot: () => null };

/** The kwok back end lands with `burstlab run --target kwok`; until then it says so for every fault rather than skip one. */
const KWOK_PENDING: Record<FaultType, string> = {
  'spot-interruption': 'the kwok back end does not send interruption notices yet',
  'node-failure': 'the kwok back end does not drive the node-not-ready stage from faults yet',
  'zone-outage': 'the kwok back end does not take zones down yet',
  'insufficient-capacity': "the kwok back end does not set its cloud provider's capacity knobs yet",
  'autoscaler-crash': 'the kwok back end does not kill the controller process yet',
  'api-throttling': "the kwok back end does not set its cloud provider's throttling knob yet",
};
const kwokBackend: FaultBackend = { target: 'kwok', cannot: (f) => KWOK_PENDING[f.type] };
const kindBackend: FaultBackend = { target: 'kind', cannot: (f) => `the kind back end is not built; ${KWOK_PENDING[f.type].replace('kwok back end', 'kwok back end it would share')}` };
/**
 * FIS, except for a shortage of chosen offerings (FIS fails launches per zone only): the arms burstlab runs on EKS
 * launch through its own EC2 provider, which refuses those offerings itself (harness/targets/eks/offering-refusals.ts).
 */
const eksBackend: FaultBackend = { target: 'eks', cannot: (f) => (f.type === 'insufficient-capacity' ? null : fisCannot(f)) };

export const FAULT_BACKENDS: Readonly<Record<TargetName, FaultBackend>> = { sim: simBackend, kwok: kwokBackend, kind: kindBackend, eks: eksBackend };

/** Every fault of the scenario the target cannot inject, at its path, naming the target. */
export function faultTargetIssues(s: Scenario, target: TargetName): ValidationIssue[] {
  const backend = FAULT_BACKENDS[target];
  return (s.faults ?? []).flatMap((f, i) => {
    const why = backend.cannot(f);
    return why === null ? [] : [{ path: `faults[${i}]`, message: `target ${target} cannot inject ${f.type}: ${why}` }];
  });
}
