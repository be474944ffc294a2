/**
 * Before a scenario is validated, what users copy from their clusters is turned into burstlab's own form:
 * Karpenter manifests in `cluster.nodePools` (a file reference, or inline) and Cluster Autoscaler flags on an arm.
 * Each converted part remembers where it was written, so later errors and warnings point there.
 */
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { ValidationIssue } from '../../harness/runner/errors.js';
import { expandCaFlags } from './ca-flags.js';
import { DEFAULTS } from './defaults.js';
import { convertManifests, manifestPathOf } from './karpenter-manifest.js';
import { readManifestFile, type Locate, type ManifestObject } from './manifest-source.js';
import type { ScenarioWarning } from './warnings.js';

/** Where a NodePool of the expanded scenario was written. */
type PoolSource = { manifest: Locate } | { index: number };

export interface ExpandedInput {
  value: unknown;
  issues: ValidationIssue[];
  warnings: ScenarioWarning[];
  /** Where the field at `path` of the expanded scenario was written, e.g. a manifest's file, line and path. */
  origin(path: ReadonlyArray<PropertyKey>): string;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `locate` formats a path of the scenario file as written (with its line when known). */
export function expandScenarioInput(value: unknown, file: string, locate: Locate): ExpandedInput {
  const issues: ValidationIssue[] = [];
  const warnings: ScenarioWarning[] = [];
  const pools: PoolSource[] = [];
  const groups = new Map<number, PropertyKey[]>();
  if (!isObject(value)) return { value, issues, warnings, origin: locate };
  const out: Obj = { ...value };
  const cluster = isObject(value.cluster) ? { ...value.cluster } : undefined;
  if (cluster) out.cluster = cluster;
  const zones = Array.isArray(cluster?.zones) && cluster.zones.every((z) => typeof z === 'string') ? (cluster.zones as string[]) : [...DEFAULTS.zones];

  if (cluster && Array.isArray(cluster.nodePools)) {
    const expanded: unknown[] = [];
    cluster.nodePools.forEach((entry: unknown, i) => {
      const at = (p: ReadonlyArray<PropertyKey>): string => locate(['cluster', 'nodePools', i, ...p]);
      let objects: ManifestObject[];
      let zoneMap: Record<string, string> = {};
      if (isObject(entry) && 'manifest' in entry) {
        const ref = manifestReference(entry, at, issues);
        if (!ref) return;
        // Shown as written, relative to the scenario, so warnings in results.json do not depend on the working directory.
        const read = readManifestFile(isAbsolute(ref.manifest) ? ref.manifest : join(dirname(file), ref.manifest), normalize(ref.manifest));
        for (const issue of read.issues) issues.push(issue);
        objects = read.objects;
        zoneMap = ref.zoneMap;
      } else if (isObject(entry) && ('apiVersion' in entry || 'kind' in entry)) {
        objects = [{ value: entry, locate: at }];
      } else {
        expanded.push(entry);
        pools.push({ index: i });
        return;
      }
      const set = convertManifests(objects, zoneMap, zones);
      for (const issue of set.issues) issues.push(issue);
      for (const w of set.warnings) warnings.push(w);
      for (const p of set.pools) {
        expanded.push(p.pool);
        pools.push({ manifest: p.locate });
      }
    });
    cluster.nodePools = expanded;
  }

  if (Array.isArray(value.autoscalers)) {
    const arms = value.autoscalers.map((arm: unknown, i) => {
      if (!isObject(arm) || !('flags' in arm || 'instanceTypes' in arm)) return arm;
      const at = (p: ReadonlyArray<PropertyKey>): string => locate(['autoscalers', i, ...p]);
      const result = expandCaFlags(arm, at);
      for (const issue of result.issues) issues.push(issue);
      for (const w of result.warnings) warnings.push(w);
      if (result.groups.length > 0 && cluster) {
        const list = Array.isArray(cluster.nodeGroups) ? [...(cluster.nodeGroups as unknown[])] : [];
        for (const g of result.groups) {
          groups.set(list.length, ['autoscalers', i, 'flags', g.flag]);
          list.push(g.group);
        }
        cluster.nodeGroups = list;
      }
      return result.arm;
    });
    out.autoscalers = arms;
  }

  const origin = (path: ReadonlyArray<PropertyKey>): string => {
    if (path[0] === 'cluster' && path[1] === 'nodePools' && typeof path[2] === 'number' && pools[path[2]]) {
      const source = pools[path[2]]!;
      const rest = path.slice(3);
      return 'manifest' in source ? source.manifest(manifestPathOf(rest)) : locate(['cluster', 'nodePools', source.index, ...rest]);
    }
    if (path[0] === 'cluster' && path[1] === 'nodeGroups' && typeof path[2] === 'number' && groups.has(path[2])) {
      return locate(groups.get(path[2])!);
    }
    return locate(path);
  };
  return { value: out, issues, warnings, origin };
}

function manifestReference(entry: Obj, at: Locate, issues: ValidationIssue[]): { manifest: string; zoneMap: Record<string, string> } | null {
  const before = issues.length;
  for (const key of Object.keys(entry)) {
    if (key !== 'manifest' && key !== 'zoneMap') issues.push({ path: at([key]), message: `unknown field next to manifest: a reference takes manifest and zoneMap only` });
  }
  if (typeof entry.manifest !== 'string' || entry.manifest.trim() === '') {
    issues.push({ path: at(['manifest']), message: 'must be the path of a YAML file, relative to the scenario file' });
  }
  const zoneMap = entry.zoneMap ?? {};
  if (!isObject(zoneMap) || !Object.values(zoneMap).every((z) => typeof z === 'string')) {
    issues.push({ path: at(['zoneMap']), message: 'must map zone names to zone names, e.g. { us-west-2a: us-east-1a }' });
  }
  return issues.length === before ? { manifest: entry.manifest as string, zoneMap: zoneMap as Record<string, string> } : null;
}
