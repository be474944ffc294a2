import type { ZodType } from 'zod';
import { scenarioSchema, type ParsedScenario } from './scenario-schema.js';
import { elementOf } from './schema-walk.js';

/** A list whose malformed entries are holes, so every well-formed entry keeps its index (and its path). */
type Slots<T> = T extends ReadonlyArray<infer E> ? ReadonlyArray<E | undefined> : T;
type Section<T> = { [K in keyof T]?: Slots<T[K]> };

/**
 * The well-formed parts of a scenario that may have schema errors elsewhere: each top-level field and each field of
 * `cluster` parsed on its own (absent when malformed), each list entry on its own (a hole when malformed). The
 * cross-reference checks run on this view, so one pass reports schema and cross-reference problems together.
 */
export type ScenarioView = Omit<Section<ParsedScenario>, 'cluster'> & {
  cluster?: Section<ParsedScenario['cluster']>;
  /** Names the file declares, malformed entries included: a reference to them is not a dangling one. */
  declared: { workloads: ReadonlySet<string>; priorityClasses: ReadonlySet<string>; trafficTargets: ReadonlySet<string> };
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(schema: ZodType, value: unknown): unknown {
  const element = Array.isArray(value) ? elementOf(schema) : null;
  if (element) return (value as unknown[]).map((entry) => lenient(element, entry));
  return lenient(schema, value);
}

/**
 * The parsed value, or undefined when it is malformed. Unknown keys alone do not make it malformed here: they are
 * reported by the strict pass, and the rest of the entry is still worth checking (a misspelt key should not hide a
 * dangling reference in the same workload).
 */
function lenient(schema: ZodType, value: unknown): unknown {
  const first = schema.safeParse(value);
  if (first.success) return first.data;
  if (!first.error.issues.every((i) => i.code === 'unrecognized_keys')) return undefined;
  const stripped = structuredClone(value);
  for (const issue of first.error.issues) {
    const target = issue.path.reduce<unknown>((v, key) => (isRecord(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[key] : undefined), stripped);
    if (isRecord(target) && issue.code === 'unrecognized_keys') for (const key of issue.keys) delete target[key];
  }
  const second = schema.safeParse(stripped);
  return second.success ? second.data : undefined;
}

function section(shape: Record<string, ZodType>, value: unknown): Record<string, unknown> {
  const raw = isRecord(value) ? value : {};
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, field(schema, raw[key])]));
}

/** Names (the `key` field) of the entries of a raw list, well-formed or not. */
function namesIn(list: unknown, key: string): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(list)) for (const entry of list) if (isRecord(entry) && typeof entry[key] === 'string') out.add(entry[key]);
  return out;
}

export function partialParse(value: unknown): ScenarioView {
  const raw = isRecord(value) ? value : {};
  const { cluster: clusterSchema, ...rest } = scenarioSchema.shape;
  const view = section(rest, raw);
  const rawCluster = isRecord(raw.cluster) ? raw.cluster : undefined;
  return {
    ...view,
    ...(rawCluster ? { cluster: section(clusterSchema.shape, rawCluster) } : {}),
    declared: {
      workloads: namesIn(raw.workloads, 'name'),
      priorityClasses: namesIn(rawCluster?.priorityClasses, 'name'),
      trafficTargets: namesIn(raw.traffic, 'workload'),
    },
  } as ScenarioView;
}
