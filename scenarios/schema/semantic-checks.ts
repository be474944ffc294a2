import type { ValidationIssue } from '../../harness/runner/errors.js';
import { Catalog } from '../../provisioner/catalog/catalog.js';
import { withDefaultRequirements } from '../../provisioner/api/nodepool.js';
import { compatibleTypes } from '../../provisioner/provisioning/nodepool-types.js';
import type { ParsedScenario } from './scenario-schema.js';

/**
 * Checks that need the whole scenario (cross references, ordering) or the instance catalog. Every problem is
 * collected, each with its path, so the user fixes the file in one pass.
 */
export function semanticIssues(s: ParsedScenario): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const issue = (path: string, message: string): void => void issues.push({ path, message });

  const unique = (items: ReadonlyArray<{ name: string }>, path: string): void => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.name)) issue(`${path}[${i}].name`, `'${item.name}' is used twice; names must be unique`);
      seen.add(item.name);
    });
  };
  unique(s.workloads, 'workloads');
  unique(s.autoscalers, 'autoscalers');
  unique(s.cluster.nodeGroups, 'cluster.nodeGroups');
  unique(s.cluster.nodePools, 'cluster.nodePools');
  unique(s.cluster.priorityClasses, 'cluster.priorityClasses');
  unique(s.cluster.daemonsets, 'cluster.daemonsets');

  const catalog = new Catalog({ region: s.cluster.region, zones: s.cluster.zones });
  if (catalog.types.length === 0) {
    issue('cluster.zones', `no instance type is offered in ${s.cluster.zones.join(', ')} of ${s.cluster.region}; check the region and zone names`);
  }

  const priorityNames = new Set(s.cluster.priorityClasses.map((p) => p.name));
  const workloadNames = new Set(s.workloads.map((w) => w.name));
  s.workloads.forEach((w, i) => {
    const at = `workloads[${i}]`;
    if (w.priorityClass !== undefined && !priorityNames.has(w.priorityClass)) {
      issue(`${at}.priorityClass`, `'${w.priorityClass}' is not defined in cluster.priorityClasses`);
    }
    if (w.hpa) {
      if (w.hpa.minReplicas > w.hpa.maxReplicas) issue(`${at}.hpa.minReplicas`, `minReplicas ${w.hpa.minReplicas} exceeds maxReplicas ${w.hpa.maxReplicas}`);
      if (!s.traffic.some((t) => t.workload === w.name)) issue(`${at}.hpa`, `the HPA scales on request rate, but no traffic entry targets '${w.name}'`);
    }
    w.schedule.forEach((entry, j) => {
      if (entry.at > s.duration) issue(`${at}.schedule[${j}].at`, 'falls after the end of the scenario');
    });
  });

  s.traffic.forEach((t, i) => {
    const at = `traffic[${i}]`;
    if (!workloadNames.has(t.workload)) issue(`${at}.workload`, `'${t.workload}' is not one of the workloads`);
    if (t.profile === 'ramp' && t.start >= t.end) issue(`${at}.end`, 'the ramp must end after it starts');
    if (t.profile === 'market-open' && t.open >= t.close) issue(`${at}.close`, 'the close must come after the open');
    if (t.profile === 'market-open' && t.close > s.duration) issue(`${at}.close`, 'the close falls after the end of the scenario');
  });
  const perWorkload = new Map<string, number>();
  s.traffic.forEach((t, i) => {
    if (perWorkload.has(t.workload)) issue(`traffic[${i}].workload`, `'${t.workload}' already has traffic (traffic[${perWorkload.get(t.workload)}])`);
    perWorkload.set(t.workload, i);
  });

  s.cluster.nodeGroups.forEach((g, i) => {
    const at = `cluster.nodeGroups[${i}]`;
    const type = catalog.get(g.instanceType);
    if (!type) issue(`${at}.instanceType`, `'${g.instanceType}' is not offered in ${s.cluster.zones.join(', ')}`);
    else if (!type.offerings.some((o) => o.capacityType === g.capacityType)) issue(`${at}.capacityType`, `${g.instanceType} has no ${g.capacityType} offering`);
    (g.zones ?? []).forEach((z, j) => {
      if (!s.cluster.zones.includes(z)) issue(`${at}.zones[${j}]`, `'${z}' is not one of cluster.zones`);
    });
    const groupZones = g.zones ?? s.cluster.zones;
    if (type && !type.offerings.some((o) => o.capacityType === g.capacityType && groupZones.includes(o.zone))) {
      issue(`${at}.zones`, `${g.instanceType} has no ${g.capacityType} offering in ${groupZones.join(', ')}`);
    }
    if (g.min > g.max) issue(`${at}.min`, `min ${g.min} exceeds max ${g.max}`);
    if (g.initial !== undefined && (g.initial < g.min || g.initial > g.max)) issue(`${at}.initial`, `initial ${g.initial} is outside min..max (${g.min}..${g.max})`);
  });

  s.cluster.nodePools.forEach((p, i) => {
    if (catalog.types.length > 0 && compatibleTypes(catalog, withDefaultRequirements(p.requirements, p.labels)).length === 0) {
      issue(`cluster.nodePools[${i}].requirements`, 'no instance type in the catalog satisfies these requirements');
    }
  });

  s.autoscalers.forEach((a, i) => {
    if (a.kind === 'karpenter' && s.cluster.nodePools.length === 0) {
      issue(`autoscalers[${i}]`, 'a karpenter arm needs at least one entry in cluster.nodePools');
    }
    if (a.kind === 'cluster-autoscaler' && !s.cluster.nodeGroups.some((g) => g.autoscaled)) {
      issue(`autoscalers[${i}]`, 'a cluster-autoscaler arm needs at least one autoscaled entry in cluster.nodeGroups');
    }
  });

  (s.phases ?? []).forEach((p, i) => {
    if (p.start >= p.end) issue(`phases[${i}].end`, 'a phase must end after it starts');
    if (p.end > s.duration) issue(`phases[${i}].end`, 'falls after the end of the scenario');
  });
  return issues;
}
