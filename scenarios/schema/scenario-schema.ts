import { z } from 'zod';
import { BOUNDS, DEFAULTS } from './defaults.js';
import { CronSyntaxError, parseCron } from '../../provisioner/disruption/cron.js';
import { faultSchema } from './fault-schema.js';
import { cpu, duration, memory, name, parseDuration, positiveDuration, timeOfDay } from './units.js';

const D = DEFAULTS;

/** A latency distribution: a fixed duration, or log-normal from its median and 90th percentile. */
const latency = z.union([
  duration.transform((ms) => ({ medianMs: ms, p90Ms: ms })),
  z
    .strictObject({ median: duration, p90: duration })
    .refine((v) => v.p90 >= v.median, { message: 'p90 must be at least the median', path: ['p90'] })
    .transform((v) => ({ medianMs: v.median, p90Ms: v.p90 })),
]);

const requirement = z.strictObject({
  key: z.string().min(1),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: z.array(z.string()).optional(),
});

/**
 * A NodePool requirement: node-affinity operators plus Karpenter's `minValues` (carried for the model of launch
 * flexibility; not enforced yet, so a warning names it).
 */
const poolRequirement = requirement.extend({ minValues: z.number().int().min(1).max(50).optional() });

/**
 * A karpenter.sh/v1 disruption budget. `schedule` is cron in UTC (five fields or a macro such as @daily, as upstream's
 * CRD allows) and opens a window of `duration`; upstream requires the two together.
 */
const budget = z
  .strictObject({
    nodes: z.string().regex(/^((100|[0-9]{1,2})%|[0-9]+)$/, "must be a node count like '5' or a percentage like '10%'"),
    schedule: z
      .string()
      .min(1)
      .superRefine((v, ctx) => {
        try {
          parseCron(v);
        } catch (err) {
          if (!(err instanceof CronSyntaxError)) throw err;
          ctx.addIssue({ code: 'custom', message: `'${v}' is not a cron schedule: ${err.message}` });
        }
      })
      .optional(),
    duration: positiveDuration.optional(),
    reasons: z.array(z.enum(['Underutilized', 'Empty', 'Drifted'])).optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.schedule === undefined) !== (b.duration === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give schedule and duration together (a budget window is a cron schedule and how long it stays open)', path: [b.schedule === undefined ? 'schedule' : 'duration'] });
    }
  });

/** A PodDisruptionBudget on a workload's pods: exactly one of minAvailable or maxUnavailable, a count or a percentage. */
const intOrPercent = z.union([
  z.number().int().min(0),
  z.string().regex(/^(100|[0-9]{1,2})%$/, "must be a count like 2 or a percentage like '50%'"),
]);
const pdb = z
  .strictObject({ minAvailable: intOrPercent.optional(), maxUnavailable: intOrPercent.optional() })
  .transform((p, ctx) => {
    const given = p.minAvailable ?? p.maxUnavailable;
    if ((p.minAvailable === undefined) === (p.maxUnavailable === undefined) || given === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of minAvailable or maxUnavailable' });
      return z.NEVER;
    }
    const kind = p.minAvailable !== undefined ? ('minAvailable' as const) : ('maxUnavailable' as const);
    return typeof given === 'number' ? { kind, value: given, percent: false } : { kind, value: Number(given.slice(0, -1)), percent: true };
  });

const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

const toleration = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Equal', 'Exists']).default('Equal'),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
});

const resources = z.strictObject({
  cpu: cpu.refine((m) => m <= BOUNDS.podCpuCores * 1000, { message: `must be at most ${BOUNDS.podCpuCores} cores per pod` }),
  memory: memory.refine((m) => m <= BOUNDS.podMemoryMiB, { message: `must be at most ${BOUNDS.podMemoryMiB / 1024 / 1024}Ti per pod` }),
  gpu: z.number().int().min(0).max(BOUNDS.podGpus).default(0),
});

const topologyKey = z.enum(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);

/**
 * A metav1.LabelSelector over pod labels (a workload's `labels` plus `app: <name>`). Left out, a constraint selects
 * its own workload's pods, the selector a Deployment's pods share.
 */
const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).default({}),
  matchExpressions: z
    .array(
      z
        .strictObject({ key: z.string().min(1), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(z.string()).optional() })
        .refine((e) => (e.operator === 'In' || e.operator === 'NotIn' ? (e.values?.length ?? 0) > 0 : e.values === undefined || e.values.length === 0), {
          message: 'In and NotIn need values; Exists and DoesNotExist take none',
          path: ['values'],
        }),
    )
    .default([]),
});

const topologySpread = z.strictObject({
  topologyKey,
  maxSkew: z.number().int().min(1).default(1),
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']).default('DoNotSchedule'),
  labelSelector: labelSelector.optional(),
});

/** A requiredDuringSchedulingIgnoredDuringExecution pod (anti-)affinity term. */
const podAffinityTerm = z.strictObject({ topologyKey, labelSelector: labelSelector.optional() });

const hpa = z.strictObject({
  minReplicas: z.number().int().min(0),
  maxReplicas: z.number().int().min(1),
  targetRpsPerPod: z.number().positive(),
  syncPeriod: positiveDuration.prefault(D.hpa.syncPeriod),
  tolerance: z.number().min(0).max(1).default(D.hpa.tolerance),
  scaleUp: z
    .strictObject({
      stabilizationWindow: duration.prefault(D.hpa.scaleUpStabilization),
      percent: z.number().positive().default(D.hpa.scaleUpPercent),
      pods: z.number().int().positive().default(D.hpa.scaleUpPods),
      period: positiveDuration.prefault(D.hpa.scaleUpPeriod),
    })
    .prefault({}),
  scaleDown: z
    .strictObject({
      stabilizationWindow: duration.prefault(D.hpa.scaleDownStabilization),
      percent: z.number().positive().default(D.hpa.scaleDownPercent),
      period: positiveDuration.prefault(D.hpa.scaleDownPeriod),
    })
    .prefault({}),
});

const workload = z.strictObject({
  name,
  replicas: z.number().int().min(0).default(D.workload.replicas),
  resources,
  priorityClass: z.string().optional(),
  /** Labels on the workload's pods, besides `app: <name>`: what other workloads' labelSelectors match. */
  labels: z.record(z.string(), z.string()).default({}),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  nodeAffinity: z.array(requirement).default([]),
  tolerations: z.array(toleration).default([]),
  topologySpread: z.array(topologySpread).default([]),
  podAffinity: z.array(podAffinityTerm).default([]),
  podAntiAffinity: z.array(podAffinityTerm).default([]),
  /** `karpenter.sh/do-not-disrupt`: true, or a duration for which each pod is protected after it started (status.startTime). */
  doNotDisrupt: z.union([z.boolean(), positiveDuration]).default(false),
  pdb: pdb.optional(),
  startup: z
    .strictObject({
      imagePull: latency.prefault(D.workload.imagePull),
      containerStart: latency.prefault(D.workload.containerStart),
    })
    .prefault({}),
  terminationGracePeriod: duration.prefault(D.workload.terminationGracePeriod),
  hpa: hpa.optional(),
  /** Requests per second one ready pod serves before it saturates; defaults to headroom x the HPA target. */
  capacityRpsPerPod: z.number().positive().optional(),
  baseLatency: duration.prefault(D.workload.baseLatency),
  schedule: z.array(z.strictObject({ at: timeOfDay, replicas: z.number().int().min(0) })).default([]),
});

const trafficShape = z.discriminatedUnion('profile', [
  z.strictObject({ profile: z.literal('constant'), rps: z.number().min(0) }),
  z.strictObject({ profile: z.literal('ramp'), from: z.number().min(0), to: z.number().min(0), start: duration, end: duration }),
  z.strictObject({ profile: z.literal('step'), from: z.number().min(0), to: z.number().min(0), at: duration }),
  z.strictObject({
    profile: z.literal('spike'),
    base: z.number().min(0),
    peak: z.number().min(0),
    at: duration,
    rise: duration.prefault('1m'),
    hold: duration.prefault('5m'),
    decay: duration.prefault('10m'),
  }),
  z.strictObject({
    profile: z.literal('market-open'),
    open: timeOfDay,
    close: timeOfDay,
    offHours: z.number().min(0),
    preOpen: z.number().min(0),
    peak: z.number().min(0),
    plateau: z.number().min(0),
    closeSurge: z.number().min(0),
    preOpenWindow: duration.prefault('45m'),
    spikeWindow: duration.prefault('30m'),
    closeWindow: duration.prefault('45m'),
    afterCloseWindow: duration.prefault('60m'),
  }),
]);

const traffic = z.intersection(
  z.object({ workload: name, noise: z.number().min(0).max(0.5).default(0.03) }),
  trafficShape,
);

const nodeGroup = z.strictObject({
  name,
  instanceType: z.string().min(1),
  capacityType: z.enum(['on-demand', 'spot']).default('on-demand'),
  zones: z.array(z.string()).optional(),
  min: z.number().int().min(0),
  max: z.number().int().min(0),
  initial: z.number().int().min(0).optional(),
  /** False for a fixed group (system nodes): no autoscaler changes it. */
  autoscaled: z.boolean().default(true),
  priority: z.number().int().default(0),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z.array(taint).default([]),
});

/**
 * A Karpenter NodePool in burstlab's own flat form; karpenter.sh/v1 manifests are converted to it
 * (karpenter-manifest.ts). Fields that are not modelled yet are carried, not dropped, and warned about
 * (nodepool-warnings.ts), so a later model reads them from here.
 */
const nodePool = z.strictObject({
  name,
  weight: z.number().int().min(0).max(100).default(0),
  requirements: z.array(poolRequirement).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  /** Node annotations; `karpenter.sh/do-not-disrupt: "true"` keeps its nodes from graceful disruption. */
  annotations: z.record(z.string(), z.string()).default({}),
  taints: z.array(taint).default([]),
  /** Taints a node starts with and some agent removes; pods need not tolerate them. */
  startupTaints: z.array(taint).default([]),
  limits: z.strictObject({ cpu: cpu.optional(), memory: memory.optional() }).default({}),
  /** Limits on other resources (`nodes`, `nvidia.com/gpu`, ...), as written; not enforced. */
  otherLimits: z.record(z.string(), z.string()).default({}),
  /**
   * How long a node may drain before the pods still blocking it (do-not-disrupt, PDBs) are deleted and the node is
   * terminated; absent means wait for ever, as upstream.
   */
  terminationGracePeriod: duration.optional(),
  nodeClassRef: z.strictObject({ group: z.string().min(1), kind: z.string().min(1), name: z.string().min(1) }).optional(),
  /** A static NodePool's node count (alpha upstream); not modelled. */
  replicas: z.number().int().min(0).optional(),
  disruption: z
    .strictObject({
      consolidationPolicy: z.enum(['WhenEmpty', 'WhenEmptyOrUnderutilized', 'Balanced']).default(D.karpenter.consolidationPolicy),
      consolidateAfter: z.union([z.literal('Never'), duration]).prefault(D.karpenter.consolidateAfter),
      expireAfter: z.union([z.literal('Never'), duration]).prefault(D.karpenter.expireAfter),
      /** Absent means upstream's default, one budget of `nodes: 10%`. */
      budgets: z.array(budget).max(50).optional(),
    })
    .prefault({}),
});

/** One NodePool in burstlab's form: a live target parses what the API stored with it, defaults and all. */
export const nodePoolSchema = nodePool;

/**
 * The cloud stops offering instance types, or offerings of a type (a zone, a capacity type, or both), as when a type
 * is retired or a zone loses it. Nothing can launch from them after; nodes running on them drift (upstream's
 * InstanceTypeNotFound).
 */
const withdrawal = z
  .strictObject({
    instanceTypes: z.array(z.string().min(1)).min(1).optional(),
    offerings: z
      .array(
        z
          .strictObject({ instanceType: z.string().min(1), zone: z.string().min(1).optional(), capacityType: z.enum(['on-demand', 'spot']).optional() })
          .refine((o) => o.zone !== undefined || o.capacityType !== undefined, { message: 'name a zone, a capacityType, or both (to withdraw every offering of the type, list it in instanceTypes)' }),
      )
      .min(1)
      .optional(),
  })
  .refine((w) => w.instanceTypes !== undefined || w.offerings !== undefined, { message: 'give instanceTypes, offerings, or both' })
  .transform((w) => ({ instanceTypes: w.instanceTypes ?? [], offerings: w.offerings ?? [] }));

/**
 * A change mid-run, at `at` (time since the start). Either a NodePool spec change, as `kubectl apply` of an edited
 * NodePool (`nodePool` and `set`: the pool's requirements, labels or taints are replaced by the ones given; nodes that
 * no longer match drift), or a change of what the cloud offers (`withdraw`).
 */
const change = z
  .strictObject({
    at: duration,
    nodePool: name.optional(),
    set: z
      .strictObject({
        requirements: z.array(poolRequirement).optional(),
        labels: z.record(z.string(), z.string()).optional(),
        taints: z.array(taint).optional(),
      })
      .refine((v) => v.requirements !== undefined || v.labels !== undefined || v.taints !== undefined, { message: 'set at least one of requirements, labels, taints' })
      .optional(),
    withdraw: withdrawal.optional(),
  })
  .transform((c, ctx) => {
    if (c.withdraw !== undefined) {
      if (c.nodePool !== undefined || c.set !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'a withdrawal is the cloud\'s, not a NodePool\'s: give either nodePool and set, or withdraw, in one change', path: [c.nodePool !== undefined ? 'nodePool' : 'set'] });
        return z.NEVER;
      }
      return { kind: 'withdraw' as const, at: c.at, withdraw: c.withdraw };
    }
    if (c.nodePool === undefined || c.set === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: c.nodePool === undefined && c.set === undefined ? 'give nodePool and set (a NodePool change) or withdraw (the cloud stops offering types)' : `give ${c.nodePool === undefined ? 'nodePool' : 'set'} too`,
        path: [c.nodePool === undefined ? 'nodePool' : 'set'],
      });
      return z.NEVER;
    }
    return { kind: 'nodePool' as const, at: c.at, nodePool: c.nodePool, set: c.set };
  });

const karpenterArm = z.strictObject({
  name,
  kind: z.literal('karpenter'),
  batchIdleDuration: duration.prefault(D.karpenter.batchIdleDuration),
  batchMaxDuration: duration.prefault(D.karpenter.batchMaxDuration),
  maxInstanceTypesPerClaim: z.number().int().min(1).default(D.karpenter.maxInstanceTypesPerClaim),
  insufficientCapacityTtl: duration.prefault(D.karpenter.insufficientCapacityTtl),
  /** Upstream's `--feature-gates` that change what is modelled, with upstream's defaults. */
  featureGates: z
    .strictObject({
      /** SpotToSpotConsolidation: replace a Spot node by a cheaper Spot node (upstream: alpha, off by default). */
      spotToSpotConsolidation: z.boolean().default(D.karpenter.spotToSpotConsolidation),
    })
    .prefault({}),
});

/**
 * The real Karpenter with its kwok cloud provider, run as a process against a live kwok control plane (never on the
 * sim). Its settings are upstream's environment variables (BATCH_IDLE_DURATION, BATCH_MAX_DURATION, FEATURE_GATES,
 * LOG_LEVEL). maxInstanceTypesPerClaim and insufficientCapacityTtl are accepted so that a karpenter arm can be copied
 * as is, but upstream fixes them (60 types, 3 minutes): set, they are warnings.
 */
const karpenterUpstreamArm = z.strictObject({
  name,
  kind: z.literal('karpenter-upstream'),
  batchIdleDuration: duration.prefault(D.karpenter.batchIdleDuration),
  batchMaxDuration: duration.prefault(D.karpenter.batchMaxDuration),
  featureGates: z
    .strictObject({
      spotToSpotConsolidation: z.boolean().default(D.karpenter.spotToSpotConsolidation),
    })
    .prefault({}),
  logLevel: z.enum(['debug', 'info', 'error']).default('info'),
  maxInstanceTypesPerClaim: z.number().int().min(1).optional(),
  insufficientCapacityTtl: duration.optional(),
});

/**
 * Whatever autoscaler a user's cluster already runs, measured in place (`burstlab run --target cluster`): burstlab
 * neither starts nor configures it. `detect` says what to look for (auto: Karpenter's CRDs first, then Cluster
 * Autoscaler's Deployment and status ConfigMap); what it finds, with versions and flags, goes into run.json.
 */
const externalArm = z.strictObject({
  name,
  kind: z.literal('external'),
  detect: z.enum(['auto', 'karpenter', 'cluster-autoscaler']).default('auto'),
});

const clusterAutoscalerArm = z.strictObject({
  name,
  kind: z.literal('cluster-autoscaler'),
  scanInterval: positiveDuration.prefault(D.clusterAutoscaler.scanInterval),
  expander: z.enum(['least-waste', 'price', 'most-pods', 'random', 'priority']).default(D.clusterAutoscaler.expander),
  maxNodesPerScaleUp: z.number().int().min(1).default(D.clusterAutoscaler.maxNodesPerScaleUp),
  scaleDownUtilizationThreshold: z.number().min(0).max(1).default(D.clusterAutoscaler.scaleDownUtilizationThreshold),
  scaleDownUnneededTime: duration.prefault(D.clusterAutoscaler.scaleDownUnneededTime),
  scaleDownDelayAfterAdd: duration.prefault(D.clusterAutoscaler.scaleDownDelayAfterAdd),
  maxNodeProvisionTime: positiveDuration.prefault(D.clusterAutoscaler.maxNodeProvisionTime),
});

const interruptionRate = z
  .number()
  .min(0)
  .max(BOUNDS.spotInterruptionsPerHour, { message: `must be at most ${BOUNDS.spotInterruptionsPerHour} interruptions per instance-hour` });

/**
 * Spot reclaims the sim raises: each running Spot instance is interrupted at `ratePerHour` (a Poisson rate per
 * instance-hour, for its offering), with the 2-minute-style warning before the cloud terminates it and a rebalance
 * recommendation `rebalanceLead` earlier. An override applies to the instances of one type, one zone, or both.
 */
const spotInterruptions = z.strictObject({
  ratePerHour: interruptionRate,
  warning: duration
    .prefault(D.spotInterruptions.warning)
    .refine((ms) => ms >= BOUNDS.spotWarningMs.min && ms <= BOUNDS.spotWarningMs.max, { message: 'must be within 2m..15m (PT2M..PT15M, the range AWS FIS accepts)' }),
  rebalanceLead: duration
    .prefault(D.spotInterruptions.rebalanceLead)
    .refine((ms) => ms <= BOUNDS.rebalanceLeadMs, { message: `must be at most ${BOUNDS.rebalanceLeadMs / 3_600_000}h` }),
  overrides: z
    .array(
      z
        .strictObject({ instanceType: z.string().min(1).optional(), zone: z.string().min(1).optional(), ratePerHour: interruptionRate })
        .refine((o) => o.instanceType !== undefined || o.zone !== undefined, { message: 'name an instanceType, a zone, or both' }),
    )
    .default([]),
});

const cloud = z
  .strictObject({
    profile: z.enum(['aws', 'fast', 'gloat-2023', 'cordial-fleet-instant']).default(D.cloudProfile),
    launchToRegistered: latency.optional(),
    registeredToReady: latency.optional(),
    asgDelay: latency.optional(),
    terminate: latency.optional(),
    spotInterruptions: spotInterruptions.optional(),
  })
  .prefault({});

export const SLO_METRICS = [
  'podToReady.p50',
  'podToReady.p90',
  'podToReady.p99',
  'podToReady.max',
  'decisionLatency.p99',
  'nodeLaunchLatency.p99',
  'requests.successRate',
  'requests.latencyP95Ms',
  'cost.totalUSD',
  'cost.ratioToLowerBound',
  'podMinutesPending',
  'pods.abandoned',
  'pods.neverReady',
  'sloMinutesInViolation',
] as const;

/** The unit each SLO metric is stated in, in results.json. */
export const SLO_UNITS: Record<(typeof SLO_METRICS)[number], 'seconds' | 'ms' | 'minutes' | 'fraction' | 'number'> = {
  'podToReady.p50': 'seconds',
  'podToReady.p90': 'seconds',
  'podToReady.p99': 'seconds',
  'podToReady.max': 'seconds',
  'decisionLatency.p99': 'seconds',
  'nodeLaunchLatency.p99': 'seconds',
  'requests.successRate': 'fraction',
  'requests.latencyP95Ms': 'ms',
  'cost.totalUSD': 'number',
  'cost.ratioToLowerBound': 'number',
  'podMinutesPending': 'minutes',
  'pods.abandoned': 'number',
  'pods.neverReady': 'number',
  'sloMinutesInViolation': 'minutes',
};

/** An SLO as a threshold in results.json's units: durations in seconds (ms for *Ms), rates as fractions. */
const slo = z
  .strictObject({
    metric: z.enum(SLO_METRICS),
    max: z.union([z.string(), z.number()]).optional(),
    min: z.union([z.string(), z.number()]).optional(),
  })
  .transform((s, ctx) => {
    if ((s.max === undefined) === (s.min === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of max or min' });
      return z.NEVER;
    }
    const raw = (s.max ?? s.min)!;
    const unit = SLO_UNITS[s.metric];
    let threshold: number | null;
    if (unit === 'fraction') {
      const n = typeof raw === 'number' ? raw : raw.trim().endsWith('%') ? Number(raw.trim().slice(0, -1)) / 100 : Number.NaN;
      threshold = Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
    } else if (unit === 'number') {
      threshold = typeof raw === 'number' ? raw : null;
    } else {
      const ms = parseDuration(raw);
      const perUnit = { seconds: 1000, ms: 1, minutes: 60_000 }[unit];
      threshold = ms === null ? null : typeof raw === 'number' ? raw : ms / perUnit;
    }
    if (threshold === null) {
      const expect = { fraction: 'a fraction like 99.5% or 0.995', number: 'a number', seconds: 'a duration like 90s (or seconds)', ms: 'a duration like 500ms (or milliseconds)', minutes: 'a duration like 5m (or minutes)' }[unit];
      ctx.addIssue({ code: 'custom', message: `'${raw}' is not valid for ${s.metric}: expected ${expect}`, path: [s.max !== undefined ? 'max' : 'min'] });
      return z.NEVER;
    }
    return { metric: s.metric, op: s.max !== undefined ? ('<=' as const) : ('>=' as const), threshold };
  });

export const scenarioSchema = z.strictObject({
  name,
  description: z.string().default(''),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(D.seed),
  duration: positiveDuration.refine((ms) => ms <= BOUNDS.durationMs, { message: `must be at most ${BOUNDS.durationMs / 3_600_000}h (31 days)` }),
  start: z.iso.datetime({ offset: true }).default(D.start),
  sampleInterval: positiveDuration.prefault(D.sampleInterval),
  requestTimeout: positiveDuration.prefault(D.requestTimeout),
  cluster: z.strictObject({
    region: z.string().default(D.region),
    zones: z.array(z.string()).min(1).default([...D.zones]),
    priorityClasses: z.array(z.strictObject({ name, value: z.number().int() })).default([]),
    daemonsets: z.array(z.strictObject({ name, resources })).default([]),
    nodeGroups: z.array(nodeGroup).default([]),
    nodePools: z.array(nodePool).default([]),
    scheduler: z
      .strictObject({
        percentageOfNodesToScore: z.number().int().min(0).max(100).default(D.scheduler.percentageOfNodesToScore),
      })
      .prefault({}),
  }),
  cloud,
  workloads: z.array(workload).min(1),
  traffic: z.array(traffic).default([]),
  autoscalers: z.array(z.discriminatedUnion('kind', [karpenterArm, clusterAutoscalerArm, karpenterUpstreamArm, externalArm])).min(1),
  slo: z.array(slo).default([]),
  phases: z.array(z.strictObject({ name: z.string().min(1), start: duration, end: duration })).optional(),
  changes: z.array(change).default([]),
  /** Faults to inject (harness/chaos/); absent, nothing is injected and the run is what it was without the field. */
  faults: z.array(faultSchema).optional(),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type WorkloadSpec = ParsedScenario['workloads'][number];
export type TrafficSpec = ParsedScenario['traffic'][number];
export type NodeGroupSpec = ParsedScenario['cluster']['nodeGroups'][number];
export type NodePoolSpec = ParsedScenario['cluster']['nodePools'][number];
export type AutoscalerSpec = ParsedScenario['autoscalers'][number];
export type KarpenterSpec = Extract<AutoscalerSpec, { kind: 'karpenter' }>;
export type ClusterAutoscalerSpec = Extract<AutoscalerSpec, { kind: 'cluster-autoscaler' }>;
export type KarpenterUpstreamSpec = Extract<AutoscalerSpec, { kind: 'karpenter-upstream' }>;
export type ExternalArmSpec = Extract<AutoscalerSpec, { kind: 'external' }>;
/** The arms burstlab runs itself (the sim's models; on kwok, as live controllers). */
export type BundledAutoscalerSpec = KarpenterSpec | ClusterAutoscalerSpec;
export type LatencySpec = { medianMs: number; p90Ms: number };
export type SloSpec = ParsedScenario['slo'][number];
export type CloudSpec = ParsedScenario['cloud'];
export type SpotInterruptionsSpec = NonNullable<CloudSpec['spotInterruptions']>;
export type RequirementSpec = z.output<typeof requirement>;
export type PoolRequirementSpec = z.output<typeof poolRequirement>;
export type BudgetSpec = z.output<typeof budget>;
export type PdbSpec = z.output<typeof pdb>;
export type ChangeSpec = ParsedScenario['changes'][number];
export type PoolChangeSpec = Extract<ChangeSpec, { kind: 'nodePool' }>;
export type WithdrawalSpec = Extract<ChangeSpec, { kind: 'withdraw' }>['withdraw'];
export type TaintSpec = z.output<typeof taint>;
export type TolerationSpec = z.output<typeof toleration>;
