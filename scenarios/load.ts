import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ValidationError, type ValidationIssue } from '../harness/runner/errors.js';
import { formatPath } from './schema/paths.js';
import { derivePhases } from './schema/phases.js';
import { scenarioSchema } from './schema/scenario-schema.js';
import type { Scenario } from './schema/scenario.js';
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
  const parsed = scenarioSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issues: ValidationIssue[] = parsed.error.issues.map((i) => ({
      path: withLine(formatPath(i.path), i.path, doc, lines),
      message: i.message,
    }));
    throw new ValidationError(file, issues, HINT);
  }
  const semantic = semanticIssues(parsed.data);
  if (semantic.length > 0) {
    throw new ValidationError(
      file,
      semantic.map((i) => ({ ...i, path: withLine(i.path, pathParts(i.path), doc, lines) })),
      HINT,
    );
  }
  return {
    ...parsed.data,
    file,
    phases: derivePhases(parsed.data),
    priorities: new Map(parsed.data.cluster.priorityClasses.map((p) => [p.name, p.value])),
    warnings: [],
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
