import type { LatencyDistribution } from '../clock/latency.js';
import type { CloudSpec } from '../../scenarios/schema/scenario-schema.js';

/** How long the simulated cloud takes for each step of a node's life. */
export interface CloudProfile {
  name: string;
  /** EC2 launch request to the kubelet registering the node. */
  launchToRegistered: LatencyDistribution;
  /** Registration to Ready (CNI and daemonsets up). */
  registeredToReady: LatencyDistribution;
  /** Cluster Autoscaler only: SetDesiredCapacity to the ASG's own launch request (the ASG's activity lag). */
  asgDelay: LatencyDistribution;
  /** Terminate request to the instance gone (billing stops). */
  terminate: LatencyDistribution;
}

/**
 * Built-in profiles. `aws`: EKS on EC2, from the figures in DESIGN.md and the seeds (Karpenter with EC2 Fleet
 * "instant" gets a node Ready in about 30-60 s; an ASG adds its own scaling-activity lag before the launch).
 * `fast`: kwok-like nodes for quick what-ifs and tests.
 */
export const PROFILES: Record<CloudSpec['profile'], CloudProfile> = {
  aws: {
    name: 'aws',
    launchToRegistered: { medianMs: 35_000, p90Ms: 50_000 },
    registeredToReady: { medianMs: 12_000, p90Ms: 20_000 },
    asgDelay: { medianMs: 40_000, p90Ms: 90_000 },
    terminate: { medianMs: 30_000, p90Ms: 60_000 },
  },
  fast: {
    name: 'fast',
    launchToRegistered: { medianMs: 2_000, p90Ms: 3_000 },
    registeredToReady: { medianMs: 1_000, p90Ms: 1_500 },
    asgDelay: { medianMs: 1_000, p90Ms: 2_000 },
    terminate: { medianMs: 1_000, p90Ms: 1_000 },
  },
};

export function cloudProfileOf(spec: CloudSpec): CloudProfile {
  const base = PROFILES[spec.profile];
  return {
    name: base.name,
    launchToRegistered: spec.launchToRegistered ?? base.launchToRegistered,
    registeredToReady: spec.registeredToReady ?? base.registeredToReady,
    asgDelay: spec.asgDelay ?? base.asgDelay,
    terminate: spec.terminate ?? base.terminate,
  };
}
