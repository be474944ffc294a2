import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { core } from 'zod';
import { ValidationError, type ValidationIssue } from '../harness/runner/errors.js';
import { budgetIssues, planScale, type Budget } from './schema/budget.js';
import { bareManifestError } from './schema/bare-manifest.js';
import { BUDGET } from './schema/defaults.js';
import { feasibilityWarnings } from './schema/feasibility.js';
import { selectorWarnings } from './schema/selector-warnings.js';
import { upstreamArmWarnings } from './schema/upstream-warnings.js';
import { withdrawalWarnings } from './schema/withdrawal-warnings.js';
import { partialParse } from './schema/partial.js';
import { formatPath } from './schema/paths.js';
import { derivePhases } from './schema/phases.js';
import { scenarioSchema } from './schema/scenario-schema.js';
import type { Scenario } from './schema/scenario.js';
import { nodePoolWarnings } from './schema/nodepool-warnings.js';
import { expandScenarioInput, type ExpandedInput } from './schema/scenario-input.js';
import { knownKeysAt } from './schema/schema-walk.js';
import { semanticIssues } from './schema/semantic-checks.js';
import { closest } from './schema/suggest.js';
import { topLevelIssue } from './schema/top-level.js';

const HINT = 'fix the listed fields; scenarios/README.md documents every field and its default';

export interface LoadOptions {
  /** Overrides of the plan budget (BUDGET in schema/defaults.ts); `--max-pods` and `--max-nodes` set these. */
  budget?: Partial<Budget>;
}

/** Reads, parses and validates a scenario file; throws ValidationError listing every problem. */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ValidationError(file, [{ path: '', message: `cannot read the file: ${(cause as Error).message}` }], 'check the path');
  }
  return parseScenario(text, file, options);
}

/**
 * Validates scenario YAML text (or an already-parsed object) into a Scenario, in stages: the YAML itself; what the
 * document is (empty, a list, a bare Kubernetes manifest, ...); Karpenter manifests and Cluster Autoscaler flags
 * turned into burstlab's own form; then every schema, cross-reference and budget problem together, in one pass.
 * A valid scenario carries warnings for what it accepts but does not model or cannot happen (see schema/warnings.ts).
 */
export function parseScenario(text: string | object, file = '<scenario>', options: LoadOptions = {}): Scenario {
  const bare = bareManifestError(text, file);
  if (bare) throw bare;
  const written = typeof text === 'string' ? readYaml(text, file) : new Source(text);
  const top = topLevelIssue(written.value);
  if (top) throw new ValidationError(file, [top], 'a scenario file starts with fields such as `name:` and `duration:`; see scenarios/*.yaml');

  const expanded = expandScenarioInput(written.value, file, (path) => written.withLine(formatPath(path), path));
  const source = written.expandedTo(expanded);
  const parsed = scenarioSchema.safeParse(source.value);
  const schemaIssues = parsed.success ? [] : parsed.error.issues.flatMap((i) => describe(i, source));
  const view = partialParse(source.value);
  // A manifest or flag that could not be converted leaves a gap the cross-references would misread (a pool missing,
  // a group half-made); they are checked once the conversion is clean.
  const crossIssues = expanded.issues.length > 0 ? [] : [...semanticIssues(view), ...budgetIssues(planScale(view), { ...BUDGET, ...options.budget })].map((i) => ({
    ...i,
    path: source.withLine(i.path, pathParts(i.path)),
  }));
  if (!parsed.success || expanded.issues.length > 0 || crossIssues.length > 0) {
    throw new ValidationError(file, inFileOrder([...expanded.issues, ...schemaIssues, ...crossIssues]), HINT);
  }

  const scenario: Scenario = {
    ...parsed.data,
    file,
    phases: derivePhases(parsed.data),
    priorities: new Map(parsed.data.cluster.priorityClasses.map((p) => [p.name, p.value])),
    warnings: [
      ...expanded.warnings,
      ...parsed.data.cluster.nodePools.flatMap((p, i) => nodePoolWarnings(p, (f) => expanded.origin(['cluster', 'nodePools', i, ...f]))),
    ],
  };
  for (const w of [...feasibilityWarnings(scenario), ...withdrawalWarnings(scenario), ...upstreamArmWarnings(scenario), ...selectorWarnings(scenario)]) {
    scenario.warnings.push({ ...w, path: source.withLine(w.path, pathParts(w.path)) });
  }
  return scenario;
}

/** The parsed value and, for YAML text, where each path sits in the file. */
class Source {
  constructor(
    readonly value: unknown,
    private readonly doc?: Document,
    private readonly lines?: LineCounter,
    private readonly expansion?: ExpandedInput,
  ) {}

  /** The same file after expansion: its value is the expanded scenario, and converted parts point where they were written. */
  expandedTo(expansion: ExpandedInput): Source {
    return new Source(expansion.value, this.doc, this.lines, expansion);
  }

  /** Appends ` (line N)` when the YAML document has a node at that path, so errors point into the file. */
  withLine(formatted: string, path: ReadonlyArray<PropertyKey>): string {
    if (this.expansion) {
      // A part converted from a manifest or from flags sits elsewhere than its path in the expanded scenario says.
      const written = new Source(this.value, this.doc, this.lines);
      const origin = this.expansion.origin(path);
      if (origin !== written.withLine(formatPath(path), path)) return origin;
      return written.withLine(formatted, path);
    }
    if (!this.doc || !this.lines || path.length === 0) return formatted;
    let node: unknown = this.doc.contents;
    let last: unknown = node;
    for (const key of path) {
      if (isMap(node)) node = node.get(key as string, true);
      else if (isSeq(node)) node = node.get(key as number, true);
      else break;
      if (node) last = node;
    }
    // A field missing from the top level has no place in the file worth pointing at (line 1 would mislead).
    if (last === this.doc.contents && path.length > 0) return formatted;
    const range = (last as { range?: [number, number, number] } | undefined)?.range;
    return range ? `${formatted} (line ${this.lines.linePos(range[0]).line})` : formatted;
  }
}

function readYaml(text: string, file: string): Source {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      file,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { path: `line ${pos.line}:${pos.col}`, message: e.message.split('\n')[0]! };
      }),
      'the file is not valid YAML',
    );
  }
  return new Source(doc.toJS(), doc, lines);
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A zod issue in the words of the file: one issue per unknown key (with a suggestion), "required" for a missing field. */
function describe(issue: core.$ZodIssue, source: Source): ValidationIssue[] {
  const path = issue.path as PropertyKey[];
  const formatted = formatPath(path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(scenarioSchema, path, source.value).filter((k) => !issue.keys.includes(k));
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      return {
        path: source.withLine(formatted || '(root)', [...path, key]),
        message: `unknown field '${key}'${guess ? `; did you mean '${guess}'?` : ''}`,
      };
    });
  }
  const value = valueAt(source.value, path);
  const choices = allowedValues(issue);
  if (choices && typeof value === 'string') {
    const guess = closest(value, choices);
    const listed = choices.map((c) => `'${c}'`).join(', ');
    return [{ path: source.withLine(formatted, path), message: `'${value}' is not one of ${listed}${guess ? `; did you mean '${guess}'?` : ''}` }];
  }
  if (issue.code === 'invalid_union' && value !== undefined && value !== null) {
    // A union (e.g. a duration or {median, p90}) fails as a whole; the option that matched the value's kind says why.
    const relevant = issue.errors.filter((errors) => !errors.every(wrongKind));
    if (relevant.length === 1) return relevant[0]!.flatMap((e) => describe({ ...e, path: [...path, ...e.path] } as core.$ZodIssue, source));
  }
  const typeError = issue.code === 'invalid_type' || issue.code === 'invalid_union';
  const message = typeError && value === undefined ? `required field is missing${misspelling(path, source.value)}` : typeError && value === null ? 'has no value' : issue.message;
  return [{ path: source.withLine(formatted, path), message }];
}

/** The string values an enum, a literal or a discriminated union's tag accepts, when the issue is one of those. */
function allowedValues(issue: core.$ZodIssue): string[] | undefined {
  const values = issue.code === 'invalid_value' ? issue.values : issue.code === 'invalid_union' && 'options' in issue ? (issue as { options?: unknown[] }).options : undefined;
  return values && values.length > 0 && values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
}

/** The value is not of the kind an option takes at all (a mapping where a string or number goes): not its reason. */
function wrongKind(issue: core.$ZodIssue): boolean {
  if (issue.path.length > 0) return false;
  return issue.code === 'invalid_type' || (issue.code === 'invalid_union' && issue.errors.every((errors) => errors.every(wrongKind)));
}

/** For a missing field, an unknown key beside it that looks like a misspelling of it (zod reports no unknown keys of a union it could not match). */
function misspelling(path: ReadonlyArray<PropertyKey>, value: unknown): string {
  const field = path.at(-1);
  const parent = valueAt(value, path.slice(0, -1));
  if (typeof field !== 'string' || typeof parent !== 'object' || parent === null || Array.isArray(parent)) return '';
  const known = new Set(knownKeysAt(scenarioSchema, path.slice(0, -1), value));
  const guess = closest(field, Object.keys(parent).filter((k) => !known.has(k)));
  return guess ? ` (is '${guess}' a misspelling of it?)` : '';
}

/** Top to bottom, as the user fixes them; problems with no line (missing top-level fields) first. */
function inFileOrder(issues: ValidationIssue[]): ValidationIssue[] {
  const line = (i: ValidationIssue): number => Number(/\(line (\d+)\)$/.exec(i.path)?.[1] ?? 0);
  return [...issues].sort((a, b) => line(a) - line(b));
}

function pathParts(path: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}
