import type { ValidationIssue } from '../../harness/runner/errors.js';
import type { Catalog } from '../../provisioner/catalog/catalog.js';
import type { FaultSpec } from './fault-schema.js';
import type { ScenarioView } from './partial.js';
import { derivePhases } from './phases.js';
import type { ParsedScenario } from './scenario-schema.js';
import { closest } from './suggest.js';

/** One of `known`, or an error naming the list and the likely intended entry. */
function notOneOf(value: string, known: readonly string[], list: string): string {
  const guess = closest(value, known);
  return `'${value}' is not one of ${list}${known.length ? ` (${known.join(', ')})` : ''}${guess ? `; did you mean '${guess}'?` : ''}`;
}

/** The phases faults may name, when the parts they derive from are well-formed. */
function phaseStarts(s: ScenarioView): ReadonlyMap<string, number> | undefined {
  if (s.duration === undefined || (s.traffic ?? []).some((t) => t === undefined) || (s.phases ?? []).some((p) => p === undefined)) return undefined;
  const phases = derivePhases({ duration: s.duration, traffic: s.traffic ?? [], phases: s.phases } as ParsedScenario);
  return new Map(phases.map((p) => [p.name, p.startMs]));
}

/**
 * Faults that cannot happen in this scenario: a time after its end, a phase, zone, NodePool, node group or instance
 * type it does not have, Spot interruptions of on-demand nodes, offerings the catalog lacks. Each with its path.
 */
export function faultIssues(s: ScenarioView, catalog: Catalog | null): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const issue = (path: string, message: string): void => void issues.push({ path, message });
  const cluster = s.cluster ?? {};
  const zones = cluster.zones?.every((z): z is string => z !== undefined) ? cluster.zones : undefined;
  const pools = cluster.nodePools?.every((p) => p !== undefined) ? cluster.nodePools.map((p) => p!.name) : undefined;
  const groups = cluster.nodeGroups?.every((g) => g !== undefined) ? cluster.nodeGroups.map((g) => g!) : undefined;
  const phases = phaseStarts(s);

  (s.faults ?? []).forEach((f, i) => {
    if (!f) return;
    const at = `faults[${i}]`;
    const start = f.phase !== undefined ? phases?.get(f.phase) : (f.at ?? f.every);
    if (f.phase !== undefined && phases && start === undefined) issue(`${at}.phase`, notOneOf(f.phase, [...phases.keys()], 'the phases'));
    if (start !== undefined && s.duration !== undefined) {
      const last = start + (f.every ?? 0) * ((f.count ?? 1) - 1);
      if (start >= s.duration) issue(`${at}.${f.phase !== undefined ? 'phase' : 'at'}`, 'falls at or after the end of the scenario');
      else if (last >= s.duration) issue(`${at}.count`, `the last of ${f.count} injections (every ${f.every! / 1000}s) falls after the end of the scenario`);
    }
    checkSelection(f, at);
  });
  return issues;

  function checkZone(zone: string, path: string): void {
    if (zones && !zones.includes(zone)) issue(path, notOneOf(zone, zones, 'cluster.zones'));
  }

  function checkType(type: string, path: string): boolean {
    if (!catalog || catalog.get(type)) return true;
    const guess = closest(type, catalog.names());
    issue(path, `'${type}' is not offered in ${zones?.join(', ')}${guess ? `; did you mean '${guess}'?` : ''}`);
    return false;
  }

  function checkSelection(f: FaultSpec, at: string): void {
    if (f.type === 'spot-interruption' || f.type === 'node-failure') {
      const sel = f.select;
      if (sel.zone !== undefined) checkZone(sel.zone, `${at}.select.zone`);
      if (sel.nodePool !== undefined && pools && !pools.includes(sel.nodePool)) issue(`${at}.select.nodePool`, notOneOf(sel.nodePool, pools, 'cluster.nodePools'));
      if (sel.nodeGroup !== undefined && groups) {
        const group = groups.find((g) => g.name === sel.nodeGroup);
        if (!group) issue(`${at}.select.nodeGroup`, notOneOf(sel.nodeGroup, groups.map((g) => g.name), 'cluster.nodeGroups'));
        else if (f.type === 'spot-interruption' && group.capacityType !== 'spot') issue(`${at}.select.nodeGroup`, `'${group.name}' launches ${group.capacityType} instances; only Spot instances are interrupted`);
      }
      if (sel.instanceType !== undefined) checkType(sel.instanceType, `${at}.select.instanceType`);
    }
    if (f.type === 'zone-outage') checkZone(f.zone, `${at}.zone`);
    if (f.type === 'insufficient-capacity') {
      if (f.nodePool !== undefined && pools && !pools.includes(f.nodePool)) issue(`${at}.nodePool`, notOneOf(f.nodePool, pools, 'cluster.nodePools'));
      (f.zones ?? []).forEach((z, j) => checkZone(z, `${at}.zones[${j}]`));
      (f.offerings ?? []).forEach((o, j) => {
        const path = `${at}.offerings[${j}]`;
        if (o.zone !== undefined) checkZone(o.zone, `${path}.zone`);
        if (!checkType(o.instanceType, `${path}.instanceType`) || !catalog) return;
        const type = catalog.get(o.instanceType)!;
        if (!type.offerings.some((x) => (o.zone === undefined || x.zone === o.zone) && (o.capacityType === undefined || x.capacityType === o.capacityType))) {
          issue(path, `${o.instanceType} has no ${[o.capacityType, o.zone && `offering in ${o.zone}`].filter(Boolean).join(' ') || 'offering'} to refuse`);
        }
      });
    }
  }
}
