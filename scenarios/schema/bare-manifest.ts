import { basename } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ValidationError } from '../../harness/runner/errors.js';

type Obj = { apiVersion?: unknown; kind?: unknown; items?: unknown; metadata?: { name?: unknown }; spec?: unknown };

function firstObject(input: string | object): Obj | null {
  if (typeof input !== 'string') return input as Obj;
  for (const doc of parseAllDocuments(input)) {
    if (!('toJS' in doc) || doc.errors.length > 0) return null;
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) return typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : null;
  }
  return null;
}

/**
 * A Kubernetes manifest (top-level `apiVersion` and `kind`) where a scenario is expected: an error that says so and
 * shows how a scenario uses it, instead of a list of unknown fields.
 */
export function bareManifestError(input: string | object, file: string): ValidationError | null {
  const v = firstObject(input);
  if (!v || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') return null;
  const items = Array.isArray(v.items) ? (v.items as Obj[]) : [];
  const kinds = [...new Set((items.length ? items : [v]).map((o) => String(o?.kind)))].join(', ');
  const what = `a Kubernetes manifest (${kinds}${items.length ? ` in a ${v.kind}` : `, ${v.apiVersion}`}), not a burstlab scenario`;
  const ref = `./${basename(file)}`;
  let hint: string;
  if (/NodePool|EC2NodeClass/.test(kinds)) {
    hint = `reference it from a scenario, relative to the scenario file: cluster: { nodePools: [{ manifest: ${ref} }] }; scenarios/nodepools/docs-example.yaml is a complete example`;
  } else if (kinds === 'Deployment' && JSON.stringify(v.spec ?? {}).includes('cluster-autoscaler')) {
    hint = 'copy its container args into a scenario\'s arm: { name: ca, kind: cluster-autoscaler, flags: ["--nodes=1:10:my-asg", ...], instanceTypes: { my-asg: m5.large } }';
  } else {
    hint = 'a scenario describes the cluster, workloads, traffic and autoscalers in its own form: scenarios/README.md documents it and scenarios/quickstart.yaml is an example';
  }
  return new ValidationError(file, [{ path: '', message: what }], hint);
}
