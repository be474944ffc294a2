/**
 * Every default a scenario can leave out, in one place. Values follow the upstream defaults DESIGN.md lists
 * (Karpenter v1, Cluster Autoscaler, the HPA controller) so an omitted setting behaves like the real component.
 */
export const DEFAULTS = {
  seed: 1,
  start: '2026-01-05T00:00:00Z',
  sampleInterval: '15s',
  region: 'us-east-1',
  zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
  cloudProfile: 'aws',
  workload: {
    replicas: 1,
    priority: 0,
    terminationGracePeriod: '30s',
    imagePull: { median: '3s', p90: '8s' },
    containerStart: { median: '2s', p90: '4s' },
    capacityHeadroom: 1.25,
    baseLatency: '40ms',
  },
  hpa: {
    syncPeriod: '15s',
    tolerance: 0.1,
    scaleUpStabilization: '0s',
    scaleDownStabilization: '300s',
    scaleUpPercent: 100,
    scaleUpPods: 4,
    scaleUpPeriod: '15s',
    scaleDownPercent: 100,
    scaleDownPeriod: '15s',
  },
  karpenter: {
    batchIdleDuration: '1s',
    batchMaxDuration: '10s',
    consolidationPolicy: 'WhenEmptyOrUnderutilized',
    consolidateAfter: '30s',
    expireAfter: '720h',
    maxInstanceTypesPerClaim: 60,
    insufficientCapacityTtl: '3m',
  },
  /**
   * What the API server fills in for a karpenter.sh/v1 NodePool manifest that leaves a field out (upstream's CRD
   * defaults). burstlab's own NodePool form keeps its consolidateAfter of 30s above; a pasted manifest behaves as it
   * would on a cluster.
   */
  karpenterV1: {
    consolidationPolicy: 'WhenEmptyOrUnderutilized',
    consolidateAfter: '0s',
    expireAfter: '720h',
  },
  clusterAutoscaler: {
    scanInterval: '10s',
    expander: 'least-waste',
    maxNodesPerScaleUp: 1000,
    scaleDownUtilizationThreshold: 0.5,
    scaleDownUnneededTime: '10m',
    scaleDownDelayAfterAdd: '10m',
    maxNodeProvisionTime: '15m',
  },
  /** Requests above this timeout count as failed in the capacity emulator. */
  requestTimeout: '10s',
} as const;
