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
    /** Upstream's FEATURE_GATES default (v1.14): SpotToSpotConsolidation=false. */
    spotToSpotConsolidation: false,
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
  /** A Spot interruption knob's defaults: EC2's two-minute warning, the rebalance recommendation sent with it (as FIS does). */
  spotInterruptions: {
    warning: '2m',
    rebalanceLead: '0s',
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
  /**
   * kube-scheduler's percentageOfNodesToScore: 0 is its adaptive default (50% of the nodes at 100 nodes, one point
   * less per 125 nodes, at least 5%, and never fewer than 100 nodes); 100 filters and scores every node.
   */
  scheduler: {
    percentageOfNodesToScore: 0,
  },
  /** Requests above this timeout count as failed in the capacity emulator. */
  requestTimeout: '10s',
} as const;

/**
 * What one plan may ask of the machine. A scenario above a budget is a validation error stating the estimate and the
 * budget, rather than minutes of running followed by running out of memory. The market-open scenario needs about
 * 7,500 workload pods and 30,000 pods with its daemonsets; the defaults leave room for it at ten times its scale.
 * `--max-pods` and `--max-nodes` on `run` and `validate` override the first two.
 */
export const BUDGET = {
  /** Workload pods at their largest (replicas, HPA maximum, schedule) plus one pod per daemonset per node. */
  maxPods: 400_000,
  /** Nodes the arm that can launch the most may reach (node group maxima; NodePool limits or one node per pod). */
  maxNodes: 100_000,
  /** Control-loop steps over the run, every arm: traffic samples, HPA syncs, cluster-autoscaler scans. */
  maxSteps: 5_000_000,
} as const;

/** Bounds on single values, beyond any real machine or useful run: larger is a typo, not a test. */
export const BOUNDS = {
  /** 31 days of simulated time. */
  durationMs: 31 * 24 * 3_600_000,
  /** Requests of one pod or daemonset: cores and MiB (the largest EC2 types have 448 vCPU and 24 TiB). */
  podCpuCores: 1_024,
  podMemoryMiB: 32 * 1024 * 1024,
  podGpus: 64,
  /** Spot interruptions per instance-hour: one a minute is already a cloud no workload could run on. */
  spotInterruptionsPerHour: 60,
  /** The interruption warning AWS FIS can give: durationBeforeInterruption PT2M..PT15M. */
  spotWarningMs: { min: 120_000, max: 900_000 },
  /** How much earlier than the warning a rebalance recommendation may come (EC2 sends it up to tens of minutes ahead). */
  rebalanceLeadMs: 3_600_000,
} as const;
