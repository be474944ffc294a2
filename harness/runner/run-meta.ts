import type { EksRunFacts } from '../targets/eks/eks-side.js';

/**
 * run.json: facts about one invocation that are not results (wall-clock start, versions, command line).
 * Kept apart from results.json so that file stays byte-identical for the same scenario and seed.
 */
export interface RunMeta {
  schema: 'burstlab/run/v1';
  startedAt: string;
  finishedAt: string;
  burstlabVersion: string;
  nodeVersion: string;
  target: string;
  scenarioFile: string;
  argv: string[];
  /** Versions of live components (kube-apiserver, kwok, k6...) where a live target was used. */
  components: Record<string, string>;
  /** harness/runner/scenario-digest.ts; absent in runs written before it was recorded. */
  scenarioDigest?: string;
  /** A live run's --speed: scenario seconds per wall second. */
  speed?: number;
  /** A live run's request-rate scale (<= 1): the share of the scenario's rates the HTTP load sent. */
  rateScale?: number;
  /**
   * Each arm's external components (LiveAutoscaler.components), by arm: name to version and `<name> settings` to the
   * flags or environment it ran with. Empty for an arm burstlab runs itself; absent on the sim.
   */
  armComponents?: Record<string, Record<string, string>>;
  /** A `--target cluster` run's id: the label value on everything it created (`burstlab cleanup --run <id>`). */
  runId?: string;
  /** An EKS run's EC2 facts of its nodes and the live Spot prices used (harness/targets/eks/eks-side.ts). */
  eks?: EksRunFacts;
  /** The seeds of a multi-seed run (`--seeds`), in the order given; absent for a single-seed run. */
  seeds?: number[];
}

/** The folder of a live run's run folder that holds each arm's control-plane logs and the parts' logs, by arm. */
export const LIVE_ARMS_DIR = 'arms';
