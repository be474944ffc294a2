/**
 * Each named cloud profile reproduces the case study it is calibrated on, within 15%, measured from a run's
 * results the way the study measured it: pods that need a new node, from waiting to Ready.
 */
import { describe, expect, it } from 'vitest';
import { arm, run, scenarioData } from '../../support/scenarios.js';

/**
 * Two ready pods, then a scheduled scale-up to 30 at 00:05. One pod per node (hostname anti-affinity), so every new
 * pod needs a new node in both arms and each arm launches 28: enough samples for node-launch quantiles.
 */
function scaleUpOn(profile: string): Record<string, unknown> {
  return scenarioData({
    duration: '20m',
    cloud: { profile },
    cluster: {
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
      nodeGroups: [{ name: 'ng-m5-xlarge', instanceType: 'm5.xlarge', min: 1, max: 50 }],
      nodePools: [{ name: 'default', requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }] }],
    },
    workloads: [{ name: 'web', replicas: 2, resources: { cpu: '1', memory: '1Gi' }, podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname' }], schedule: [{ at: '00:05', replicas: 30 }] }],
  });
}

const within = (actual: number, claimed: number, share = 0.15): void => {
  expect(actual).toBeGreaterThanOrEqual(claimed * (1 - share));
  expect(actual).toBeLessThanOrEqual(claimed * (1 + share));
};

describe('the gloat-2023 cloud profile', () => {
  it('gives Cluster Autoscaler a pod-to-ready p50 of about 7 minutes for pods that need a new node', async () => {
    const { results } = await run(scaleUpOn('gloat-2023'));
    const ca = arm(results, 'cluster-autoscaler');
    expect(ca.pods.created).toBe(28);
    within(ca.podToReady.p50, 7 * 60);
  });

  it('gives Karpenter a mean pod-to-ready of 1-1.5 minutes for the same pods', async () => {
    const { results } = await run(scaleUpOn('gloat-2023'));
    const k = arm(results, 'karpenter');
    within(k.podToReady.mean, 75);
    expect(k.podToReady.mean).toBeGreaterThanOrEqual(60);
    expect(k.podToReady.mean).toBeLessThanOrEqual(90);
  });
});

describe('the cordial-fleet-instant cloud profile', () => {
  it('starts Karpenter nodes in 30 s or less: launch request to Ready p50 under 30 s, p90 about 30 s', async () => {
    const { results } = await run(scaleUpOn('cordial-fleet-instant'));
    const k = arm(results, 'karpenter');
    expect(k.nodeLaunchLatency.count).toBe(28);
    expect(k.nodeLaunchLatency.p50).toBeLessThanOrEqual(30);
    within(k.nodeLaunchLatency.p90, 30);
  });
});

describe('the aws cloud profile', () => {
  it('starts a node in about 47 s median, between the tuned 30 s and the minute of an untuned one', async () => {
    const { results } = await run(scaleUpOn('aws'));
    within(arm(results, 'karpenter').nodeLaunchLatency.p50, 47);
  });
});
