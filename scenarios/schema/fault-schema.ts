import { z } from 'zod';
import { BOUNDS } from './defaults.js';
import { duration, name, parseDuration, positiveDuration } from './units.js';

/** The fault types a scenario can inject (harness/chaos/ plays them; scenarios/README.md, "faults"). */
export const FAULT_TYPES = ['spot-interruption', 'node-failure', 'zone-outage', 'insufficient-capacity', 'autoscaler-crash', 'api-throttling'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** Kubernetes' default tolerations (node.kubernetes.io/not-ready and unreachable, NoExecute) last 300 s. */
export const DEFAULT_EVICTION_TIMEOUT_MS = 300_000;

/** Which nodes a fault hits: every field given must match (a node group or a NodePool, not both). */
const selector = z
  .strictObject({
    nodePool: name.optional(),
    nodeGroup: name.optional(),
    zone: z.string().min(1).optional(),
    capacityType: z.enum(['on-demand', 'spot']).optional(),
    instanceType: z.string().min(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .refine((s) => s.nodePool === undefined || s.nodeGroup === undefined, { message: 'a node belongs to a NodePool or a node group: give one of nodePool, nodeGroup' });

/** When: `at` (time since the start) or the start of a named `phase`, optionally repeated `count` times `every` period. */
const when = {
  at: duration.optional(),
  phase: z.string().min(1).optional(),
  every: positiveDuration.optional(),
  count: z.number().int().min(1).max(1000).optional(),
};

/** How many of the selected nodes: a count or a percentage (of the nodes the selector matches at that instant). */
const howMany = {
  nodes: z.number().int().min(1).optional(),
  percent: z.number().gt(0).max(100, { message: 'a percentage of the selected nodes: at most 100' }).optional(),
};

/** A per-fault SLO on its impact (harness/metrics/fault-impact.ts), e.g. `recovery.p99 <= 3m`. */
export const FAULT_SLO_METRICS = ['recovery.p50', 'recovery.p99', 'recovery.max', 'impactWindow', 'pods.displaced', 'pods.unrecovered', 'requests.failed', 'sloMinutesInViolation'] as const;
export type FaultSloMetric = (typeof FAULT_SLO_METRICS)[number];
const SECONDS: ReadonlySet<string> = new Set(['recovery.p50', 'recovery.p99', 'recovery.max', 'impactWindow']);

const faultSlo = z
  .strictObject({ metric: z.enum(FAULT_SLO_METRICS), max: z.union([z.string(), z.number()]) })
  .transform((s, ctx) => {
    let threshold: number | null;
    if (s.metric === 'sloMinutesInViolation') {
      const ms = parseDuration(s.max);
      threshold = ms === null ? null : typeof s.max === 'number' ? s.max : ms / 60_000;
    } else if (SECONDS.has(s.metric)) {
      const ms = parseDuration(s.max);
      threshold = ms === null ? null : typeof s.max === 'number' ? s.max : ms / 1000;
    } else {
      threshold = typeof s.max === 'number' && s.max >= 0 ? s.max : null;
    }
    if (threshold === null) {
      ctx.addIssue({ code: 'custom', message: `'${s.max}' is not valid for ${s.metric}: expected ${SECONDS.has(s.metric) || s.metric === 'sloMinutesInViolation' ? 'a duration like 3m' : 'a number'}`, path: ['max'] });
      return z.NEVER;
    }
    return { metric: s.metric, op: '<=' as const, threshold };
  });

const common = { name: name.optional(), ...when, slo: z.array(faultSlo).default([]) };

const spotInterruption = z.strictObject({
  type: z.literal('spot-interruption'),
  ...common,
  select: selector.prefault({}),
  ...howMany,
  /** FIS' durationBeforeInterruption: the rebalance recommendation at once, the interruption warning 2 minutes before the end. */
  durationBeforeInterruption: duration
    .prefault('2m')
    .refine((ms) => ms >= BOUNDS.spotWarningMs.min && ms <= BOUNDS.spotWarningMs.max, { message: 'must be within 2m..15m (PT2M..PT15M, the range AWS FIS accepts)' }),
});

const nodeFailure = z.strictObject({
  type: z.literal('node-failure'),
  ...common,
  select: selector.prefault({}),
  ...howMany,
  /** not-ready: the kubelet stops (pods evicted after evictionTimeout); terminate: the instance is gone at once. */
  mode: z.enum(['not-ready', 'terminate']).default('not-ready'),
  evictionTimeout: duration.prefault(`${DEFAULT_EVICTION_TIMEOUT_MS / 1000}s`),
  /** For not-ready: the kubelet comes back after this long; absent, it never does. */
  duration: positiveDuration.optional(),
});

const zoneOutage = z.strictObject({
  type: z.literal('zone-outage'),
  ...common,
  zone: z.string().min(1),
  duration: positiveDuration,
  evictionTimeout: duration.prefault(`${DEFAULT_EVICTION_TIMEOUT_MS / 1000}s`),
});

const offering = z.strictObject({ instanceType: z.string().min(1), zone: z.string().min(1).optional(), capacityType: z.enum(['on-demand', 'spot']).optional() });

const insufficientCapacity = z
  .strictObject({
    type: z.literal('insufficient-capacity'),
    ...common,
    duration: positiveDuration,
    /** Offerings named one by one (a type, optionally narrowed to a zone and a capacity type). */
    offerings: z.array(offering).min(1).optional(),
    /** Every offering in these zones (what FIS' capacity-error actions can do). */
    zones: z.array(z.string().min(1)).min(1).optional(),
    /** Every offering of a capacity type, or (with `cheapest`) the cheapest of them. */
    capacityType: z.enum(['on-demand', 'spot']).optional(),
    /** The N cheapest offerings per vCPU (of `capacityType`, of the types `nodePool` allows when given). */
    cheapest: z.number().int().min(1).max(500).optional(),
    nodePool: name.optional(),
  })
  .superRefine((f, ctx) => {
    const forms = [f.offerings, f.capacityType, f.zones].filter((x) => x !== undefined).length;
    if (forms !== 1) {
      ctx.addIssue({ code: 'custom', message: 'give one of offerings, zones, or a capacityType (optionally with cheapest)', path: [f.offerings === undefined ? 'offerings' : 'capacityType'] });
    }
    if (f.cheapest === undefined && f.nodePool !== undefined) ctx.addIssue({ code: 'custom', message: 'nodePool narrows cheapest: give cheapest too', path: ['nodePool'] });
  });

const autoscalerCrash = z.strictObject({ type: z.literal('autoscaler-crash'), ...common, duration: positiveDuration });

const apiThrottling = z.strictObject({ type: z.literal('api-throttling'), ...common, duration: positiveDuration });

export const faultSchema = z
  .discriminatedUnion('type', [spotInterruption, nodeFailure, zoneOutage, insufficientCapacity, autoscalerCrash, apiThrottling])
  .superRefine((f, ctx) => {
    if (f.at !== undefined && f.phase !== undefined) ctx.addIssue({ code: 'custom', message: 'give at or phase, not both', path: ['phase'] });
    if (f.at === undefined && f.phase === undefined && f.every === undefined) ctx.addIssue({ code: 'custom', message: 'say when: at, phase, or every with count', path: ['at'] });
    if ((f.every === undefined) !== (f.count === undefined)) ctx.addIssue({ code: 'custom', message: 'give every and count together', path: [f.every === undefined ? 'every' : 'count'] });
    if ('select' in f && f.nodes !== undefined && f.percent !== undefined) ctx.addIssue({ code: 'custom', message: 'give nodes or percent, not both', path: ['percent'] });
    if ('select' in f && f.nodes === undefined && f.percent === undefined) ctx.addIssue({ code: 'custom', message: 'say how many of the selected nodes: nodes or percent', path: ['nodes'] });
    if (f.type === 'spot-interruption' && f.select.capacityType === 'on-demand') ctx.addIssue({ code: 'custom', message: 'only Spot instances are interrupted', path: ['select', 'capacityType'] });
  });

export type FaultSpec = z.output<typeof faultSchema>;
export type FaultSloSpec = z.output<typeof faultSlo>;
export type NodeSelectorSpec = z.output<typeof selector>;
