import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ValidationError, type ValidationIssue } from '../harness/runner/errors.js';
import { bareManifestError } from './schema/bare-manifest.js';
import { nodePoolWarnings } from './schema/nodepool-warnings.js';
import { formatPath } from './schema/paths.js';
import { derivePhases } from './schema/phases.js';
import { scenarioSchema } from './schema/scenario-schema.js';
import type { Scenario } from './schema/scenario.js';
import { expandScenarioInput } from './schema/scenario-input.js';
import { semanticIssues } from './schema/semantic-checks.js';

const HINT = 'fix the listed fields; scenarios/README.md documents every field and its default';

/** Reads, parses and validates a scenario file; throws ValidationError listing every problem. */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ValidationError(file, [{ path: '', message: `cannot read the file: ${(cause as Error).message}` }], 'check the path');
  }
  return parseScenario(text, file);
}

/** Validates scenario YAML text (or an already-parsed object) into a Scenario. */
export function parseScenario(text: string | object, file = '<scenario>'): Scenario {
  let value: unknown = text;
  let doc: Document | undefined;
  const lines = new LineCounter();
  const bare = bareManifestError(text, file);
  if (bare) throw bare;
  if (typeof text === 'string') {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
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
    value = doc.toJS();
  }
  // Manifests and CA flags become burstlab's own form first; `origin` maps paths back to where they were written.
  const expanded = expandScenarioInput(value ?? {}, file, (path) => withLine(formatPath(path), path, doc, lines));
  const parsed = scenarioSchema.safeParse(expanded.value);
  if (!parsed.success || expanded.issues.length > 0) {
    const issues: ValidationIssue[] = [
      ...expanded.issues,
      ...(parsed.error?.issues ?? []).map((i) => ({ path: expanded.origin(i.path), message: i.message })),
    ];
    throw new ValidationError(file, issues, HINT);
  }
  const semantic = semanticIssues(parsed.data);
  if (semantic.length > 0) {
    throw new ValidationError(
      file,
      semantic.map((i) => ({ ...i, path: expanded.origin(pathParts(i.path)) })),
      HINT,
    );
  }
  return {
    ...parsed.data,
    file,
    phases: derivePhases(parsed.data),
    priorities: new Map(parsed.data.cluster.priorityClasses.map((p) => [p.name, p.value])),
    warnings: [
      ...expanded.warnings,
      ...parsed.data.cluster.nodePools.flatMap((p, i) => nodePoolWarnings(p, parsed.data.duration, (f) => expanded.origin(['cluster', 'nodePools', i, ...f]))),
    ],
  };
}

/** Appends ` (line N)` when the YAML document has a node at that path, so errors point into the file. */
function withLine(formatted: string, path: ReadonlyArray<PropertyKey>, doc: Document | undefined, lines: LineCounter): string {
  if (!doc || path.length === 0) return formatted;
  let node: unknown = doc.contents;
  let last: unknown = node;
  for (const key of path) {
    if (isMap(node)) node = node.get(key as string, true);
    else if (isSeq(node)) node = node.get(key as number, true);
    else break;
    if (node) last = node;
  }
  const range = (last as { range?: [number, number, number] } | undefined)?.range;
  return range ? `${formatted} (line ${lines.linePos(range[0]).line})` : formatted;
}

function pathParts(path: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}
