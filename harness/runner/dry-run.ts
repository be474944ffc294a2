import type { AutoscalerSpec, PoolChangeSpec, SpotInterruptionsSpec, WithdrawalSpec } from '../../scenarios/schema/scenario-schema.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';
import { catalogFor } from '../../scenarios/schema/catalog-cache.js';
import { faultPlan } from '../chaos/plan.js';
import { trafficPlan } from '../traffic/plan.js';
import { formatCpuQuantity, formatMemoryQuantity, formatScenarioDuration, formatSloThreshold, formatVcpu } from './human-units.js';

/**
 * What `burstlab run --dry-run` prints: the plan a run would play, in the units a scenario file is written in
 * (cores, GiB, '3m', '99.5%'), so it can be checked against the YAML by eye.
 */
export function describePlan(s: Scenario, seed: number, target = 'sim'): string {
  const lines = [
    `scenario ${s.name} (${s.file}): ${formatScenarioDuration(s.duration)} from ${s.start}, seed ${seed}, target ${target}`,
    `cluster: ${s.cluster.region} ${s.cluster.zones.join(', ')}; daemonsets: ${s.cluster.daemonsets.map((d) => d.name).join(', ') || 'none'}`,
    `spot interruptions: ${describeSpotInterruptions(s.cloud.spotInterruptions)}`,
    'arms:',
    ...s.autoscalers.map((a) => `  ${a.name} (${a.kind}): ${describeArm(a)}`),
    'node groups:',
    ...listOrNone(s.cluster.nodeGroups.map((g) => `  ${g.name}: ${g.instanceType} ${g.capacityType}, ${g.initial ?? g.min} at start, ${g.min}..${g.max}${g.autoscaled ? '' : ' (fixed)'}`)),
    'NodePools:',
    ...listOrNone(
      s.cluster.nodePools.map(
        (p) =>
          `  ${p.name}: weight ${p.weight}, ${p.requirements.length} requirement(s), ${describeLimits(p.limits)}, ${describeDisruption(p.disruption)}` +
          (p.terminationGracePeriod === undefined ? '' : `, drains for at most ${formatScenarioDuration(p.terminationGracePeriod)}`),
      ),
    ),
    'workloads:',
    ...s.workloads.map(
      (w) =>
        `  ${w.name}: ${w.replicas} replica(s) of ${formatCpuQuantity(w.resources.cpu)} / ${formatMemoryQuantity(w.resources.memory)}` +
        (w.hpa ? `, HPA ${w.hpa.minReplicas}..${w.hpa.maxReplicas} at ${w.hpa.targetRpsPerPod} rps/pod` : '') +
        (w.pdb ? `, PDB ${w.pdb.kind} ${w.pdb.value}${w.pdb.percent ? '%' : ''}` : '') +
        (w.doNotDisrupt === true ? ', do-not-disrupt' : typeof w.doNotDisrupt === 'number' ? `, do-not-disrupt for ${formatScenarioDuration(w.doNotDisrupt)} after it starts` : ''),
    ),
    'changes:',
    ...listOrNone(
      s.changes.map((c) =>
        c.kind === 'nodePool'
          ? `  at ${formatScenarioDuration(c.at)}: ${c.nodePool} gets new ${describeChange(c.set)} (nodes that no longer match drift)`
          : `  at ${formatScenarioDuration(c.at)}: the cloud stops offering ${describeWithdrawal(c.withdraw)} (nodes on them drift: InstanceTypeNotFound)`,
      ),
    ),
    ...(s.faults
      ? [
          `faults (each arm gets the same plan; which nodes are hit is drawn per arm, from the injection's own stream of seed ${seed}):`,
          ...listOrNone(
            faultPlan(s, catalogFor(s.cluster.region, s.cluster.zones), seed).map(
              (p) => `  at ${formatScenarioDuration(p.atMs)}${p.untilMs === undefined ? '' : `..${formatScenarioDuration(p.untilMs)}`}: ${p.id} ${p.fault.type}: ${p.detail}`,
            ),
          ),
        ]
      : []),
    'traffic plan (requests/s, before noise):',
    ...listOrNone(
      trafficPlan(s).map(
        (r) =>
          `  ${r.workload.padEnd(16)} ${r.phase.padEnd(18)} ${formatScenarioDuration(r.startS * 1000).padStart(6)}..${formatScenarioDuration(r.endS * 1000).padEnd(6)} ` +
          `min ${r.minRps}  mean ${r.meanRps}  max ${r.maxRps}`,
      ),
    ),
    'SLOs:',
    ...listOrNone(s.slo.map((x) => `  ${x.metric} ${x.op} ${formatSloThreshold(x.metric, x.threshold)}`)),
  ];
  return lines.join('\n') + '\n';
}

function describeArm(a: AutoscalerSpec): string {
  if (a.kind === 'cluster-autoscaler') {
    return `scan every ${formatScenarioDuration(a.scanInterval)}, expander ${a.expander}, scale down after ${formatScenarioDuration(a.scaleDownUnneededTime)} unneeded`;
  }
  if (a.kind === 'external') {
    return `the autoscaler the cluster already runs (detect: ${a.detect}), measured in place (target cluster only)`;
  }
  if (a.kind === 'karpenter-upstream') {
    return `the real Karpenter (kwok provider, target kwok only), batches pods for ${formatScenarioDuration(a.batchIdleDuration)} idle / ${formatScenarioDuration(a.batchMaxDuration)} max`;
  }
  return `batches pods for ${formatScenarioDuration(a.batchIdleDuration)} idle / ${formatScenarioDuration(a.batchMaxDuration)} max, up to ${a.maxInstanceTypesPerClaim} instance types per launch`;
}

function describeDisruption(d: Scenario['cluster']['nodePools'][number]['disruption']): string {
  const after = (v: number | 'Never'): string => (v === 'Never' ? 'never' : `after ${formatScenarioDuration(v)}`);
  const budgets = (d.budgets ?? [{ nodes: '10%' }])
    .map((b) => `nodes ${b.nodes}${b.reasons ? ` for ${b.reasons.join('/')}` : ''}${b.schedule ? ` in '${b.schedule}' for ${formatScenarioDuration(b.duration!)}` : ''}`)
    .join('; ');
  return `consolidation ${d.consolidationPolicy} ${after(d.consolidateAfter)}, nodes expire ${after(d.expireAfter)}, budgets ${budgets}`;
}

function describeWithdrawal(w: WithdrawalSpec): string {
  const offerings = w.offerings.map((o) => `${o.instanceType} ${[o.capacityType, o.zone && `in ${o.zone}`].filter(Boolean).join(' ')}`);
  return [...w.instanceTypes, ...offerings].join(', ');
}

function describeChange(set: PoolChangeSpec['set']): string {
  const parts = [
    ...(set.requirements ? [`${set.requirements.length} requirement(s)`] : []),
    ...(set.labels ? [`labels ${Object.entries(set.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}`] : []),
    ...(set.taints ? [`taints ${set.taints.map((t) => `${t.key}:${t.effect}`).join(', ') || 'none'}`] : []),
  ];
  return parts.join(', ');
}

function describeSpotInterruptions(spec: SpotInterruptionsSpec | undefined): string {
  if (!spec) return 'none';
  const overrides = spec.overrides.map((o) => `${[o.instanceType, o.zone].filter((x) => x !== undefined).join(' in ')} ${o.ratePerHour}`);
  return (
    `${spec.ratePerHour} per Spot instance-hour, warning ${formatScenarioDuration(spec.warning)}, rebalance recommendation ${formatScenarioDuration(spec.rebalanceLead)} before it` +
    (overrides.length ? `; overrides: ${overrides.join(', ')}` : '')
  );
}

function describeLimits(limits: { cpu?: number; memory?: number }): string {
  const parts = [
    ...(limits.cpu === undefined ? [] : [formatVcpu(limits.cpu)]),
    ...(limits.memory === undefined ? [] : [formatMemoryQuantity(limits.memory)]),
  ];
  return parts.length ? `limits ${parts.join(', ')}` : 'no limits';
}

function listOrNone(lines: string[]): string[] {
  return lines.length ? lines : ['  none'];
}
