/**
 * Kubernetes manifests as users keep them: one file with one or many YAML documents, or `kubectl get ... -o yaml`
 * output (a `List` with `items`), or an object written inline in the scenario. Each object keeps a way back to
 * where it was written, so every message points into the user's own file and line.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { ValidationIssue } from '../../harness/runner/errors.js';
import { formatPath } from './paths.js';

/** Turns a path inside a manifest into `file:line Kind/name spec.x` (file and line when known). */
export type Locate = (path: ReadonlyArray<PropertyKey>) => string;

export interface ManifestObject {
  value: unknown;
  locate: Locate;
}

/**
 * The line of the field at `path` (its key's line, where the field is written), or its nearest ancestor's when the
 * path does not exist (a missing field).
 */
export function lineAt(doc: Document, lines: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  let node: unknown = doc.contents;
  let last: unknown = node;
  for (const key of path) {
    let at: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      [node, at] = [pair?.value, pair?.key];
    } else if (isSeq(node)) {
      node = node.items[key as number];
      at = node;
    } else break;
    if (!at) break;
    last = at;
  }
  const range = (last as { range?: [number, number, number] } | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}

function describe(value: unknown): string {
  const v = value as { kind?: unknown; metadata?: { name?: unknown } } | null;
  const kind = typeof v?.kind === 'string' ? v.kind : 'object';
  const name = typeof v?.metadata?.name === 'string' ? `/${v.metadata.name}` : '';
  return `${kind}${name}`;
}

/**
 * Reads a manifest file: every non-empty document, with the items of a `List` (or `NodePoolList`, ...) unpacked.
 * `shown` is the path printed in messages. Returns problems instead of throwing, so they join the scenario's.
 */
export function readManifestFile(file: string, shown: string): { objects: ManifestObject[]; issues: ValidationIssue[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    return { objects: [], issues: [{ path: shown, message: `cannot read the manifest: ${(cause as Error).message}` }] };
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const all = Array.isArray(docs) ? docs : [];
  const issues: ValidationIssue[] = [];
  for (const doc of all) {
    for (const e of doc.errors) issues.push({ path: `${shown}:${lines.linePos(e.pos[0]).line}`, message: `not valid YAML: ${e.message.split('\n')[0]!}` });
  }
  if (issues.length > 0) return { objects: [], issues };
  const objects: ManifestObject[] = [];
  for (const doc of all) {
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const at = (prefix: PropertyKey[], item: unknown): Locate => (path) => {
      const full = [...prefix, ...path];
      const line = lineAt(doc, lines, full);
      return `${shown}${line === undefined ? '' : `:${line}`} ${describe(item)}${path.length ? ` ${formatPath(path)}` : ''}`;
    };
    const list = value as { kind?: unknown; items?: unknown };
    if (typeof list.kind === 'string' && list.kind.endsWith('List') && Array.isArray(list.items)) {
      list.items.forEach((item, i) => objects.push({ value: item, locate: at(['items', i], item) }));
    } else {
      objects.push({ value, locate: at([], value) });
    }
  }
  if (objects.length === 0) issues.push({ path: shown, message: 'holds no manifest' });
  return { objects, issues };
}
