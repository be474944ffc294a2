import type { LatencyDistribution } from '../clock/latency.js';
import type { CloudSpec } from '../../scenarios/schema/scenario-schema.js';

/**
 * How long the simulated cloud takes for each step of a node's life. Each latency is log-normal from its median
 * and 90th percentile (harness/clock/latency.ts). A node's launch-to-Ready is `launchToRegistered` +
 * `registeredToReady`, plus `asgDelay` on the Cluster Autoscaler path.
 */
export interface CloudProfile {
  name: string;
  /** Launch request (EC2 Fleet / RunInstances call) to the kubelet registering the Node object: boot and join. */
  launchToRegistered: LatencyDistribution;
  /** Registration to Ready: CNI up, daemonsets running, the Ready condition set. */
  registeredToReady: LatencyDistribution;
  /** Cluster Autoscaler only: SetDesiredCapacity to the ASG's own launch request (the ASG's scaling-activity lag). */
  asgDelay: LatencyDistribution;
  /** Terminate request to the instance gone (billing stops). */
  terminate: LatencyDistribution;
}

const s = (x: number): number => x * 1000;

/**
 * Built-in profiles. Sources are the case studies in the project's seeds (../shared/seeds); every number a source
 * does not give is an assumption and says so. test/unit/sim/cloud-profiles.test.ts runs each named profile and
 * checks it reproduces its claim within 15%.
 */
export const PROFILES: Record<CloudSpec['profile'], CloudProfile> = {
  /*
   * aws: an untuned EKS node, launch to Ready about 47 s median (35 s boot and join + 12 s to Ready), 70 s at p90.
   * Sources: between Cordial's tuned "node startup time of 30 seconds or less" (Bottlerocket, EC2 Fleet "instant")
   * and the AWS Karpenter demo in the seeds ("maybe a minute or so to spin up the nodes"). Assumed: the split
   * between boot and Ready; the ASG lag (40 s / 90 s) and termination (30 s / 60 s), which no seed measures.
   */
  aws: {
    name: 'aws',
    launchToRegistered: { medianMs: s(35), p90Ms: s(50) },
    registeredToReady: { medianMs: s(12), p90Ms: s(20) },
    asgDelay: { medianMs: s(40), p90Ms: s(90) },
    terminate: { medianMs: s(30), p90Ms: s(60) },
  },
  /* fast: kwok-like nodes Ready about 3 s after launch, for what-ifs and tests; never for comparing speed. */
  fast: {
    name: 'fast',
    launchToRegistered: { medianMs: s(2), p90Ms: s(3) },
    registeredToReady: { medianMs: s(1), p90Ms: s(1.5) },
    asgDelay: { medianMs: s(1), p90Ms: s(2) },
    terminate: { medianMs: s(1), p90Ms: s(1) },
  },
  /*
   * gloat-2023. Source: Osher Levi, "Managed K8s still need to be managed: How we utilize Karpenter to handle
   * resources issues", Gloat, 13 March 2023: Cluster Autoscaler takes "about 7 minutes from the time we have a pod
   * waiting for scheduling, until the time we've provisioned a new node and it's in a ready state"; with Karpenter
   * "the average time was 1-1.5 minutes". Claim reproduced: for pods that need a new node, Cluster Autoscaler
   * pod-to-ready p50 about 7 min, Karpenter about 1.25 min.
   * Assumed: both autoscalers launch the same EC2 nodes, so boot and join (50 s / 65 s) and Ready (15 s / 20 s) are
   * shared, sized so Karpenter (1-10 s batching + 65 s node + 5 s pod start-up) lands mid-range at 75 s. Gloat does
   * not break its 7 minutes down: everything the ASG path added (the ASG's scaling activity, its launch-template
   * bootstrap) is put in the ASG lag, 345 s / 390 s, so CA's scan (up to 10 s) + lag + node + start-up is 7 min.
   */
  'gloat-2023': {
    name: 'gloat-2023',
    launchToRegistered: { medianMs: s(50), p90Ms: s(65) },
    registeredToReady: { medianMs: s(15), p90Ms: s(20) },
    asgDelay: { medianMs: s(345), p90Ms: s(390) },
    terminate: { medianMs: s(30), p90Ms: s(60) },
  },
  /*
   * cordial-fleet-instant. Source: "Cordial's journey implementing Bottlerocket and Karpenter in Amazon EKS" (AWS
   * Containers blog): "Karpenter's interaction with EC2 Fleet API of the type 'instant' to provision nodes helped us
   * achieve a node startup time of 30 seconds or less". Claim reproduced: Karpenter node launch request to Ready,
   * p50 under 30 s and p90 about 30 s.
   * Assumed: the split, Bottlerocket boot and join 18 s / 22 s then Ready 6 s / 8 s (the sum is the claim). Cordial
   * gives no ASG figure for this setup: the ASG lag and termination are the aws profile's assumptions.
   */
  'cordial-fleet-instant': {
    name: 'cordial-fleet-instant',
    launchToRegistered: { medianMs: s(18), p90Ms: s(22) },
    registeredToReady: { medianMs: s(6), p90Ms: s(8) },
    asgDelay: { medianMs: s(40), p90Ms: s(90) },
    terminate: { medianMs: s(30), p90Ms: s(60) },
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
