/**
 * Reading a saved run directory (results.json, events.jsonl, run.json) for `burstlab report` and `compare`.
 * A missing or malformed file is the user's input to fix: a ValidationError (exit 2) naming the file and the path.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SEEDS_RESULTS_SCHEMA, type SeedsResults } from '../harness/metrics/aggregate.js';
import { DEFINITIONS } from '../harness/metrics/definitions.js';
import { RESULTS_SCHEMA, type DisruptionMetrics, type Results } from '../harness/metrics/results.js';
import type { RunEvent } from '../provisioner/runtime/events.js';
import { EventLogError, readJsonl } from '../harness/recorder/jsonl.js';
import { UsageError, ValidationError, type ValidationIssue } from '../harness/runner/errors.js';
import type { RunMeta } from '../harness/runner/run-meta.js';

export interface SavedRun {
  dir: string;
  /** A multi-seed run's first seed: the run its charts and slowest pods show. */
  results: Results;
  events: RunEvent[];
  meta: RunMeta;
  /** Every seed's results, in the run's seed order; absent (one seed: `results`) for a single-seed run. */
  seeds?: Results[];
  /** A multi-seed run's results.json: medians and spreads per arm. */
  aggregate?: SeedsResults;
}

const num = z.number();
const quantiles = z.object({ count: num, p50: num, p90: num, p99: num, max: num, mean: num });
const requests = z.object({ total: num, failed: num, successRate: num });
const phase = z.object({ name: z.string(), startS: num, endS: num });
const podCounts = z.object({ created: num, ready: num, neverReady: num, abandoned: num });
const counts = z.record(z.string(), num);

const NO_DISRUPTION: DisruptionMetrics = {
  decisions: { total: 0, byMethod: {}, byReason: {} },
  nodesRemoved: 0,
  nodesReplaced: 0,
  savingsPerHourUSD: 0,
  interruptions: { total: 0, byKind: {} },
  podsDisrupted: { total: 0, byCause: {} },
  podSecondsUnavailable: { total: 0, byCause: {} },
  blocked: { total: 0, byReason: {}, nodes: 0, evictionsByPdb: 0 },
};

const disruption = z.object({
  decisions: z.object({ total: num, byMethod: counts, byReason: counts }),
  nodesRemoved: num,
  nodesReplaced: num,
  savingsPerHourUSD: num,
  interruptions: z.object({ total: num, byKind: counts }),
  podsDisrupted: z.object({ total: num, byCause: counts }),
  podSecondsUnavailable: z.object({ total: num, byCause: counts }),
  blocked: z.object({ total: num, byReason: counts, nodes: num, evictionsByPdb: num }),
});

// Typed against Results, so a change to the results shape that this schema misses fails to compile.
/** harness/metrics/fault-impact.ts; absent from runs that injected no fault. */
const faultImpact = z.object({
  id: z.string(),
  fault: z.string(),
  atS: num,
  endedS: num.nullable(),
  targets: num,
  detail: z.string(),
  impactWindow: z.object({ startS: num, endS: num, seconds: num, open: z.boolean() }),
  pods: z.object({ displaced: num, recovered: num, unrecovered: num, notReplaced: num, delayed: num }),
  recovery: quantiles,
  requests: requests.extend({ latencyP95Ms: num }),
  sloMinutesInViolation: num.nullable(),
  capacity: z.object({ lostNodes: num, lostCpuMilli: num, lostUSDPerHour: num, boughtNodes: num, boughtCpuMilli: num, boughtUSDPerHour: num }),
  slo: z.object({ passed: z.boolean(), checks: z.array(z.object({ metric: z.string(), op: z.enum(['<=', '>=']), threshold: num, actual: num.nullable(), passed: z.boolean() })) }).optional(),
});

const resultsSchema: z.ZodType<Results> = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  scenario: z.object({ name: z.string(), description: z.string(), durationS: num.positive(), seed: num, target: z.enum(['sim', 'kwok', 'kind', 'eks', 'cluster']) }),
  phases: z.array(phase),
  pricing: z.object({ onDemand: z.string(), spot: z.string(), spotInterruptions: z.string().optional() }),
  // Runs saved before the disruption metric existed had no disruption events to define it for.
  definitions: z.object({
    podToReady: z.string(),
    // Runs saved before these were written down computed them the same way, except that a node never Ready was left out.
    decisionLatency: z.string().default(DEFINITIONS.decisionLatency),
    nodeLaunchLatency: z.string().default(DEFINITIONS.nodeLaunchLatency),
    costLowerBound: z.string(), idleShare: z.string(),
    disruptionImpact: z.string().default(DEFINITIONS.disruptionImpact),
  }),
  // Runs saved before warnings were recorded have none to show.
  warnings: z.array(z.object({ path: z.string(), message: z.string() })).default([]),
  autoscalers: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      podToReady: quantiles.extend({ split: z.object({ waitingForNode: quantiles, scheduling: quantiles, startup: quantiles }) }),
      decisionLatency: quantiles,
      nodeLaunchLatency: quantiles,
      nodes: z.object({ peak: num, average: num, launched: num, terminated: num }),
      nodeHours: z.record(z.string(), num),
      instanceTypes: z.record(z.string(), num),
      cost: z.object({ totalUSD: num, byCapacityType: z.record(z.string(), num), atOnDemandUSD: num.nullable().default(null), lowerBoundUSD: num, ratioToLowerBound: num.nullable(), per1kRequestsUSD: num, idleShare: num }),
      podMinutesPending: num,
      // Runs saved before the waits were recorded have only the counts.
      pods: podCounts.extend({ readyWait: quantiles.optional(), abandonedWait: quantiles.optional() }),
      requests: requests.extend({ latencyP95Ms: num }),
      sloMinutesInViolation: num.nullable(),
      phases: z.array(phase.extend({ pods: podCounts, podToReady: quantiles, requests, peakPendingPods: num, peakNodes: num })),
      slowestPods: z.array(
        z.object({
          pod: z.string(),
          workload: z.string(),
          createdS: num,
          readyS: num.nullable(),
          podToReadyS: num,
          dominantPhase: z.string(),
          node: z.string().nullable(),
          nodeLaunchedS: num.nullable(),
          nodeReadyS: num.nullable(),
          instanceType: z.string().nullable(),
        }),
      ),
      unsatisfiable: z.array(z.object({ pod: z.string(), reason: z.string(), atS: num })),
      // Runs saved before the metric existed: their sim took no capacity away but empty nodes, logged without a cause.
      disruption: disruption.default(NO_DISRUPTION),
      faults: z.array(faultImpact).optional(),
      slo: z.object({ passed: z.boolean(), checks: z.array(z.object({ metric: z.string(), op: z.enum(['<=', '>=']), threshold: num, actual: num, passed: z.boolean() })) }),
    }),
  ),
  comparison: z.object({
    metrics: z.array(z.object({ metric: z.string(), better: z.enum(['lower', 'higher']), values: z.record(z.string(), num.nullable()), winner: z.string().nullable() })),
  }),
});

const spread = z.object({ median: num, min: num, max: num, n: num });

const seedsResultsSchema: z.ZodType<SeedsResults> = z.object({
  schema: z.literal(SEEDS_RESULTS_SCHEMA),
  scenario: z.object({ name: z.string(), description: z.string(), durationS: num.positive(), target: z.enum(['sim', 'kwok', 'kind', 'eks', 'cluster']), seeds: z.array(num).min(1) }),
  runs: z.array(z.object({ seed: num, dir: z.string().regex(/^seeds\/\d+$/, 'a folder seeds/<seed> inside the run') })).min(1),
  sloRule: z.string(),
  pricing: z.object({ onDemand: z.string(), spot: z.string(), spotInterruptions: z.string().optional() }),
  autoscalers: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      metrics: z.record(z.string(), spread),
      slo: z.object({
        passed: z.boolean(),
        seedsFailed: num,
        checks: z.array(z.object({ metric: z.string(), op: z.enum(['<=', '>=']), threshold: num, actual: spread, passed: z.boolean(), seedsFailed: num })),
      }),
    }),
  ),
});

const metaSchema: z.ZodType<RunMeta> = z.object({
  schema: z.literal('burstlab/run/v1'),
  startedAt: z.string(),
  finishedAt: z.string(),
  burstlabVersion: z.string(),
  nodeVersion: z.string(),
  target: z.string(),
  scenarioFile: z.string(),
  argv: z.array(z.string()),
  components: z.record(z.string(), z.string()),
  armComponents: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  runId: z.string().optional(),
  scenarioDigest: z.string().optional(),
  seeds: z.array(num).optional(),
});

const HINT =
  'a run directory is what `burstlab run <scenario> --out <dir>` writes: results.json, events.jsonl (or events.jsonl.gz) and run.json (with --seeds: results.json, run.json and seeds/<seed>/)';

/** The run's event log: events.jsonl, or events.jsonl.gz from `run --events-gzip`; null when neither is there. */
export function eventLogIn(dir: string): string | null {
  for (const name of ['events.jsonl', 'events.jsonl.gz']) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

export async function readRunDir(dir: string): Promise<SavedRun> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`run directory not found: ${dir}`, HINT);
  if (isSeedsRun(dir)) return readSeedsRunDir(dir);
  const log = eventLogIn(dir);
  const missing = ['results.json', 'events.jsonl', 'run.json'].filter((f) => (f === 'events.jsonl' ? !log : !existsSync(join(dir, f))));
  if (missing.length) throw new UsageError(`${dir} is not a run directory: missing ${missing.join(', ')}`, HINT);
  const results = parseJsonFile(join(dir, 'results.json'), resultsSchema);
  const meta = parseJsonFile(join(dir, 'run.json'), metaSchema);
  return { dir, results, events: await readEvents(log!), meta };
}

/** A multi-seed run: its results.json names the seeds schema (any other content is read as a single-seed run). */
function isSeedsRun(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { schema?: unknown }).schema === SEEDS_RESULTS_SCHEMA;
  } catch {
    return false;
  }
}

async function readSeedsRunDir(dir: string): Promise<SavedRun> {
  const aggregate = parseJsonFile(join(dir, 'results.json'), seedsResultsSchema);
  const log = eventLogIn(join(dir, aggregate.runs[0]!.dir));
  const files = ['run.json', ...aggregate.runs.map((r) => join(r.dir, 'results.json'))];
  const missing = [...files.filter((f) => !existsSync(join(dir, f))), ...(log ? [] : [join(aggregate.runs[0]!.dir, 'events.jsonl')])];
  if (missing.length) throw new UsageError(`${dir} is not a complete multi-seed run directory: missing ${missing.join(', ')}`, HINT);
  const meta = parseJsonFile(join(dir, 'run.json'), metaSchema);
  const seeds = aggregate.runs.map((r) => parseJsonFile(join(dir, r.dir, 'results.json'), resultsSchema));
  const events = await readEvents(log!);
  return { dir, results: seeds[0]!, events, meta, seeds, aggregate };
}

async function readEvents(file: string): Promise<RunEvent[]> {
  try {
    return await readJsonl(file);
  } catch (err) {
    if (err instanceof EventLogError) throw new ValidationError(file, [{ path: `line ${err.line}`, message: err.message }], HINT);
    if (isZlibError(err)) throw new ValidationError(file, [{ path: '', message: `not a readable gzip file: ${err.message}` }], HINT);
    throw err;
  }
}

/** zlib's errors (a truncated or corrupt .gz) carry codes like Z_BUF_ERROR and Z_DATA_ERROR. */
function isZlibError(err: unknown): err is Error {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_');
}

function parseJsonFile<T>(file: string, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ValidationError(file, [{ path: '', message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` }], HINT);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues: ValidationIssue[] = parsed.error.issues.slice(0, 20).map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new ValidationError(file, issues, HINT);
  }
  return parsed.data;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
