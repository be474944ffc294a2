import type { ValidationIssue } from '../../harness/runner/errors.js';
import { withDefaultRequirements } from '../../provisioner/api/nodepool.js';
import { compatibleTypes } from '../../provisioner/provisioning/nodepool-types.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import { catalogFor } from './catalog-cache.js';
import type { WithdrawalSpec } from './scenario-schema.js';
import { faultIssues } from './fault-checks.js';
import { closest } from './suggest.js';
import type { ScenarioView } from './partial.js';

/** The entries of a list that parsed, each with its index in the file. */
function entries<T>(list: ReadonlyArray<T | undefined> | undefined): Array<[T, number]> {
  const out: Array<[T, number]> = [];
  (list ?? []).forEach((item, i) => {
    if (item !== undefined) out.push([item, i]);
  });
  return out;
}

/**
 * Checks that need the whole scenario (cross references, ordering) or the instance catalog. They run on the
 * well-formed parts of the file even when other parts have schema errors, and skip what they cannot know: a check
 * that needs a malformed part is left until that part is fixed. Every problem is collected, each with its path, so
 * the user fixes the file in one pass.
 */
/** A withdrawal names types the catalog offers, and offerings those types have (zones of the cluster). */
function withdrawalIssues(w: WithdrawalSpec, at: string, catalog: Catalog, zones: readonly string[], issue: (path: string, message: string) => void): void {
  const unknown = (name: string): string => {
    const guess = closest(name, catalog.names());
    return `'${name}' is not offered in ${zones.join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`;
  };
  w.instanceTypes.forEach((name, j) => {
    if (!catalog.get(name)) issue(`${at}.instanceTypes[${j}]`, unknown(name));
  });
  w.offerings.forEach((o, j) => {
    const type = catalog.get(o.instanceType);
    if (!type) return issue(`${at}.offerings[${j}].instanceType`, unknown(o.instanceType));
    if (o.zone !== undefined && !zones.includes(o.zone)) {
      const guess = closest(o.zone, zones);
      return issue(`${at}.offerings[${j}].zone`, `'${o.zone}' is not one of cluster.zones (${zones.join(', ')})${guess ? `; did you mean '${guess}'?` : ''}`);
    }
    if (!type.offerings.some((x) => (o.zone === undefined || x.zone === o.zone) && (o.capacityType === undefined || x.capacityType === o.capacityType))) {
      issue(`${at}.offerings[${j}]`, `${o.instanceType} has no ${[o.capacityType, o.zone && `offering in ${o.zone}`].filter(Boolean).join(' ')}${o.zone ? '' : ' offering'} to withdraw`);
    }
  });
}

export function semanticIssues(s: ScenarioView): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const issue = (path: string, message: string): void => void issues.push({ path, message });
  const cluster = s.cluster ?? {};

  const unique = (items: ReadonlyArray<{ name: string } | undefined> | undefined, path: string): void => {
    const seen = new Set<string>();
    for (const [item, i] of entries(items)) {
      if (seen.has(item.name)) issue(`${path}[${i}].name`, `'${item.name}' is used twice; names must be unique`);
      seen.add(item.name);
    }
  };
  unique(s.workloads, 'workloads');
  unique(s.autoscalers, 'autoscalers');
  unique(cluster.nodeGroups, 'cluster.nodeGroups');
  unique(cluster.nodePools, 'cluster.nodePools');
  unique(cluster.priorityClasses, 'cluster.priorityClasses');
  unique(cluster.daemonsets, 'cluster.daemonsets');

  // A zone list with a malformed entry is unknown: checking against the rest would report false problems.
  const zones = cluster.zones?.every((z): z is string => z !== undefined) ? cluster.zones : undefined;
  const catalog = cluster.region !== undefined && zones !== undefined ? catalogFor(cluster.region, zones) : null;
  if (catalog && catalog.types.length === 0) {
    issue('cluster.zones', `no instance type is offered in ${zones!.join(', ')} of ${cluster.region}; check the region and zone names`);
  }
  const hasCatalog = catalog !== null && catalog.types.length > 0;

  for (const [w, i] of entries(s.workloads)) {
    const at = `workloads[${i}]`;
    if (w.priorityClass !== undefined && cluster.priorityClasses !== undefined && !s.declared.priorityClasses.has(w.priorityClass)) {
      issue(`${at}.priorityClass`, `'${w.priorityClass}' is not defined in cluster.priorityClasses`);
    }
    if (w.hpa) {
      if (w.hpa.minReplicas > w.hpa.maxReplicas) issue(`${at}.hpa.minReplicas`, `minReplicas ${w.hpa.minReplicas} exceeds maxReplicas ${w.hpa.maxReplicas}`);
      if (s.traffic !== undefined && !s.declared.trafficTargets.has(w.name)) issue(`${at}.hpa`, `the HPA scales on request rate, but no traffic entry targets '${w.name}'`);
    }
    if (s.duration !== undefined) {
      w.schedule.forEach((entry, j) => {
        if (entry.at > s.duration!) issue(`${at}.schedule[${j}].at`, 'falls after the end of the scenario');
      });
    }
  }

  for (const [t, i] of entries(s.traffic)) {
    const at = `traffic[${i}]`;
    if (s.workloads !== undefined && !s.declared.workloads.has(t.workload)) issue(`${at}.workload`, `'${t.workload}' is not one of the workloads`);
    if (t.profile === 'ramp' && t.start >= t.end) issue(`${at}.end`, 'the ramp must end after it starts');
    if (t.profile === 'market-open' && t.open >= t.close) issue(`${at}.close`, 'the close must come after the open');
    if (t.profile === 'market-open' && s.duration !== undefined && t.close > s.duration) issue(`${at}.close`, 'the close falls after the end of the scenario');
  }
  const perWorkload = new Map<string, number>();
  for (const [t, i] of entries(s.traffic)) {
    if (perWorkload.has(t.workload)) issue(`traffic[${i}].workload`, `'${t.workload}' already has traffic (traffic[${perWorkload.get(t.workload)}])`);
    perWorkload.set(t.workload, i);
  }

  for (const [g, i] of entries(cluster.nodeGroups)) {
    const at = `cluster.nodeGroups[${i}]`;
    if (g.min > g.max) issue(`${at}.min`, `min ${g.min} exceeds max ${g.max}`);
    if (g.initial !== undefined && (g.initial < g.min || g.initial > g.max)) issue(`${at}.initial`, `initial ${g.initial} is outside min..max (${g.min}..${g.max})`);
    if (!hasCatalog) continue;
    const type = catalog.get(g.instanceType);
    if (!type) issue(`${at}.instanceType`, `'${g.instanceType}' is not offered in ${zones!.join(', ')}`);
    else if (!type.offerings.some((o) => o.capacityType === g.capacityType)) issue(`${at}.capacityType`, `${g.instanceType} has no ${g.capacityType} offering`);
    (g.zones ?? []).forEach((z, j) => {
      if (!zones!.includes(z)) issue(`${at}.zones[${j}]`, `'${z}' is not one of cluster.zones`);
    });
    const groupZones = g.zones ?? zones!;
    if (type && !type.offerings.some((o) => o.capacityType === g.capacityType && groupZones.includes(o.zone))) {
      issue(`${at}.zones`, `${g.instanceType} has no ${g.capacityType} offering in ${groupZones.join(', ')}`);
    }
  }

  if (hasCatalog) {
    for (const [p, i] of entries(cluster.nodePools)) {
      if (compatibleTypes(catalog, withDefaultRequirements(p.requirements, p.labels)).length === 0) {
        issue(`cluster.nodePools[${i}].requirements`, 'no instance type in the catalog satisfies these requirements');
      }
    }
  }

  (s.cloud?.spotInterruptions?.overrides ?? []).forEach((o, i) => {
    const at = `cloud.spotInterruptions.overrides[${i}]`;
    if (o.zone !== undefined && zones !== undefined && !zones.includes(o.zone)) issue(`${at}.zone`, `'${o.zone}' is not one of cluster.zones`);
    if (o.instanceType !== undefined && hasCatalog && !catalog.get(o.instanceType)?.offerings.some((x) => x.capacityType === 'spot')) {
      issue(`${at}.instanceType`, `'${o.instanceType}' has no spot offering in ${zones!.join(', ')}`);
    }
  });
  const poolsByName = new Map(entries(cluster.nodePools).map(([p]) => [p.name, p]));
  for (const [c, i] of entries(s.changes)) {
    const at = `changes[${i}]`;
    if (s.duration !== undefined && c.at > s.duration) issue(`${at}.at`, 'falls after the end of the scenario');
    if (c.kind === 'withdraw') {
      if (hasCatalog) withdrawalIssues(c.withdraw, `${at}.withdraw`, catalog, zones!, issue);
      continue;
    }
    const pool = poolsByName.get(c.nodePool);
    // A malformed NodePool entry could be the one named: only a list that parsed whole can say a name is missing.
    if (cluster.nodePools !== undefined && cluster.nodePools.every((p) => p !== undefined) && !pool) {
      issue(`${at}.nodePool`, `'${c.nodePool}' is not one of cluster.nodePools${poolsByName.size ? ` (${[...poolsByName.keys()].join(', ')})` : ''}`);
    }
    if (pool && hasCatalog && c.set.requirements !== undefined) {
      if (compatibleTypes(catalog, withDefaultRequirements(c.set.requirements, c.set.labels ?? pool.labels)).length === 0) {
        issue(`${at}.set.requirements`, 'no instance type in the catalog satisfies these requirements');
      }
    }
  }

  for (const [a, i] of entries(s.autoscalers)) {
    if ((a.kind === 'karpenter' || a.kind === 'karpenter-upstream') && cluster.nodePools !== undefined && cluster.nodePools.length === 0) {
      issue(`autoscalers[${i}]`, `a ${a.kind} arm needs at least one entry in cluster.nodePools`);
    }
    if (a.kind === 'cluster-autoscaler' && cluster.nodeGroups !== undefined && !cluster.nodeGroups.some((g) => g === undefined || g.autoscaled)) {
      issue(`autoscalers[${i}]`, 'a cluster-autoscaler arm needs at least one autoscaled entry in cluster.nodeGroups');
    }
  }

  for (const [p, i] of entries(s.phases)) {
    if (p.start >= p.end) issue(`phases[${i}].end`, 'a phase must end after it starts');
    if (s.duration !== undefined && p.end > s.duration) issue(`phases[${i}].end`, 'falls after the end of the scenario');
  }
  if (s.duration !== undefined && s.sampleInterval !== undefined && s.sampleInterval > s.duration) {
    issue('sampleInterval', `is longer than the scenario's duration; no traffic sample would complete`);
  }
  for (const i of faultIssues(s, hasCatalog ? catalog : null)) issues.push(i);
  return issues;
}
