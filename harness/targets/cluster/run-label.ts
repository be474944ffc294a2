import { randomBytes } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * The label every object a `--target cluster` run creates carries, valued with the run's id: what
 * `burstlab cleanup --run <id>` deletes, and all it deletes, also after a crash.
 */
export const RUN_LABEL = 'burstlab.io/run';

/** A label value: at most 63 characters, alphanumerics with '-', '_' or '.' inside. */
const RUN_ID = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

/**
 * A new run id: the scenario's name (cut to fit), the wall time to the second and four random hex digits, e.g.
 * `kwok-burst-20261125t131500-3fa2`, so two runs of one scenario in the same second still differ.
 */
export function newRunId(scenarioName: string, wallIso: string): string {
  const stamp = wallIso.replace(/\.\d+Z$|Z$/, '').replace(/[-:]/g, '').toLowerCase();
  const slug = scenarioName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63 - stamp.length - 7) || 'run';
  return `${slug.replace(/-+$/, '')}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export function isRunId(s: string): boolean {
  return RUN_ID.test(s);
}

/** The object with the run label added (a copy): on its metadata and, for a workload, on its pod template too. */
export function withRunLabel<T extends KubernetesObject>(obj: T, runId: string): T {
  const out = { ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata?.labels, [RUN_LABEL]: runId } } };
  const spec = (obj as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec;
  if (spec?.template) {
    (out as { spec?: unknown }).spec = { ...spec, template: { ...spec.template, metadata: { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, [RUN_LABEL]: runId } } } };
  }
  return out;
}
