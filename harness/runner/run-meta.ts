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
  /** The seeds of a multi-seed run (`--seeds`), in the order given; absent for a single-seed run. */
  seeds?: number[];
}

/** The folder of a live run's run folder that holds each arm's control-plane logs and the parts' logs, by arm. */
export const LIVE_ARMS_DIR = 'arms';
