import type { Resources } from '../../provisioner/api/resources.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import type { ClusterState } from '../../provisioner/state/cluster-state.js';
import type { StatePod } from '../../provisioner/state/state-pod.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import type { Random } from '../../provisioner/runtime/random.js';
import type { VirtualClock } from '../clock/virtual-clock.js';
import type { Recorder } from '../../provisioner/runtime/recorder.js';

/** What every part of one simulated arm shares. Built once per arm by the Simulation. */
export interface World {
  scenario: Scenario;
  clock: VirtualClock;
  random: Random;
  recorder: Recorder;
  state: ClusterState;
  catalog: Catalog;
  overhead: Resources;
  /** Asks the scheduler to run a cycle soon (coalesced). */
  wakeScheduler(): void;
  /** Listeners told when a pod first fails to schedule: the autoscalers' trigger. */
  onUnschedulable: Array<(pod: StatePod) => void>;
  /** Listeners told when a pod is gone, so its workload can replace it. */
  onPodGone: Array<(pod: StatePod, reason: string) => void>;
  /** A workload's Ready pods (not being deleted) and desired replicas: what its PodDisruptionBudget is checked against. */
  workloadHealth(workload: string): { healthy: number; expected: number };
}
