import type { ValidationIssue } from '../runner/errors.js';
import type { TargetName } from '../../provisioner/runtime/events.js';
import type { FaultSpec } from '../../scenarios/schema/fault-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { fisCannot } from './fis/fis-actions.js';
import { kwokCannot } from './kwok/kwok-faults.js';

/**
 * What a target can inject. Each target's back end plays the plan its own way (the sim wraps its world and cloud,
 * harness/chaos/sim/; kwok uses its node-not-ready stage, node deletion, a wrapper of the arm's cloud and the
 * controller's process, harness/chaos/kwok/; EKS runs the FIS templates of harness/chaos/fis/), but every one answers this first, so a fault a target
 * cannot do is a validation error naming the target before anything starts, never a silent skip.
 */
export interface FaultBackend {
  readonly target: TargetName;
  /** Why this target cannot inject the fault in this scenario (its arms, its other faults), or null when it can. */
  cannot(fault: FaultSpec, scenario?: Scenario): string | null;
}

const simBackend: FaultBackend = { target: 'sim', cannot: () => null };

const kwokBackend: FaultBackend = { target: 'kwok', cannot: kwokCannot };
const kindBackend: FaultBackend = { target: 'kind', cannot: () => 'the kind back end is not built; it would share the kwok back end (harness/chaos/kwok/)' };
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
    const why = backend.cannot(f, s);
    return why === null ? [] : [{ path: `faults[${i}]`, message: `target ${target} cannot inject ${f.type}: ${why}` }];
  });
}
