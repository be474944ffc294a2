/**
 * Karpenter v1 manifests as users write them: `karpenter.sh/v1` NodePool, converted to burstlab's own NodePool form
 * (scenario-schema.ts) with every field carried, and `karpenter.k8s.aws/v1` EC2NodeClass, read for what it could
 * change in the model. Shapes, defaults and validation rules follow upstream's API (pkg/apis/v1/nodepool.go,
 * nodeclaim.go and the AWS provider's ec2nodeclass.go): types, enums, patterns, required fields and the CEL rules on
 * requirements and budgets are errors here too. Upstream's restricted label domains are not checked.
 */
import { z } from 'zod';
import type { ValidationIssue } from '../../harness/runner/errors.js';
import { parseCpu, parseMemory } from '../../provisioner/api/resources.js';
import { DEFAULTS } from './defaults.js';
import type { Locate, ManifestObject } from './manifest-source.js';
import { name } from './units.js';
import type { ScenarioWarning } from './warnings.js';

export const NODEPOOL_API = 'karpenter.sh/v1';
export const NODECLASS_API = 'karpenter.k8s.aws/v1';

/** Go durations as the CRD's patterns accept them: `720h`, `1h30m`, `90s`. */
const GO_DURATION = /^([0-9]+(s|m|h))+$/;
const goDuration = z.string().regex(GO_DURATION, "must be a duration like '90s', '30m' or '720h'");
const nillableDuration = z.union([z.literal('Never'), goDuration], { error: "must be a duration like '30m' or 'Never'" });

const stringMap = z.record(z.string(), z.string());

const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  timeAdded: z.string().optional(),
});

const requirement = z
  .strictObject({
    key: z.string().min(1),
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte']),
    values: z.array(z.string()).optional(),
    minValues: z.number().int().min(1).max(50).optional(),
  })
  .superRefine((r, ctx) => {
    const values = r.values ?? [];
    if (r.operator === 'In' && values.length === 0) ctx.addIssue({ code: 'custom', path: ['values'], message: "requirements with operator 'In' must have a value defined" });
    if (['Gt', 'Lt', 'Gte', 'Lte'].includes(r.operator) && (values.length !== 1 || !/^[0-9]+$/.test(values[0]!))) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `operator '${r.operator}' needs a single non-negative integer value` });
    }
    if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `operator '${r.operator}' takes no values` });
    }
    if (r.minValues !== undefined && r.operator === 'In' && values.length < r.minValues) {
      ctx.addIssue({ code: 'custom', path: ['minValues'], message: `minValues ${r.minValues} exceeds the ${values.length} value(s) listed` });
    }
  });

const budget = z.strictObject({
  nodes: z.string().regex(/^((100|[0-9]{1,2})%|[0-9]+)$/, "must be a node count like '5' or a percentage like '10%' (a string)"),
  schedule: z.string().regex(/^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$/, 'must be a cron schedule').optional(),
  duration: z.string().regex(/^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$/, "must be hours and minutes like '8h' or '1h30m'").optional(),
  reasons: z.array(z.enum(['Underutilized', 'Empty', 'Drifted'])).optional(),
});

/** Object metadata as `kubectl get -o yaml` prints it: only the name matters; the rest is the server's bookkeeping. */
const metadata = z.looseObject({ name, labels: stringMap.optional(), annotations: stringMap.optional() });

/** Kubernetes quantities (`1000`, `500m`, `1000Gi`, `1.5e3`); cpu and memory must also be what burstlab can enforce. */
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|[numkMGTPE]|[KMGTPE]i)?$/;
const limits = z.record(z.string(), z.union([z.string(), z.number()])).superRefine((all, ctx) => {
  for (const [resource, q] of Object.entries(all)) {
    const valid = resource === 'cpu' ? parseCpu(q) !== null : resource === 'memory' ? parseMemory(q) !== null : QUANTITY.test(String(q).trim());
    if (!valid) ctx.addIssue({ code: 'custom', path: [resource], message: `'${q}' is not a ${resource} quantity; write e.g. ${resource === 'memory' ? '1000Gi' : resource === 'cpu' ? "'1000' or 500m" : '10'}` });
  }
});

/** karpenter.sh/v1 moved kubelet settings from the NodePool to the EC2NodeClass: say so rather than "unrecognized". */
const movedKubelet = (issue: { code?: string; keys?: string[] }): string | undefined =>
  issue.code === 'unrecognized_keys' && issue.keys?.includes('kubelet') ? 'kubelet is not a NodePool field in karpenter.sh/v1: it moved to the EC2NodeClass (spec.kubelet)' : undefined;

const nodePoolManifest = z.strictObject({
  apiVersion: z.literal(NODEPOOL_API),
  kind: z.literal('NodePool'),
  metadata,
  spec: z
    .strictObject({
      template: z.strictObject({
        metadata: z.strictObject({ labels: stringMap.optional(), annotations: stringMap.optional() }).optional(),
        spec: z.strictObject(
          {
            nodeClassRef: z.strictObject({ group: z.string().min(1), kind: z.string().min(1), name: z.string().min(1) }),
            requirements: z.array(requirement).max(100),
            taints: z.array(taint).optional(),
            startupTaints: z.array(taint).optional(),
            expireAfter: nillableDuration.optional(),
            terminationGracePeriod: goDuration.optional(),
          },
          { error: movedKubelet },
        ),
      }),
      disruption: z
        .strictObject({
          consolidationPolicy: z.enum(['WhenEmpty', 'WhenEmptyOrUnderutilized', 'Balanced']).optional(),
          consolidateAfter: nillableDuration.optional(),
          budgets: z.array(budget).max(50).optional(),
        })
        .superRefine((d, ctx) => {
          (d.budgets ?? []).forEach((b, i) => {
            if ((b.schedule === undefined) !== (b.duration === undefined)) ctx.addIssue({ code: 'custom', path: ['budgets', i], message: "'schedule' must be set with 'duration'" });
          });
        })
        .optional(),
      limits: limits.optional(),
      weight: z.number().int().min(1).max(100).optional(),
      replicas: z.number().int().min(0).optional(),
    }),
  /** What the cluster observed; not configuration. */
  status: z.unknown().optional(),
});

/** EC2NodeClass spec fields (AWS provider v1); values are not checked beyond `kubelet`, the one that could matter. */
const NODECLASS_FIELDS = [
  'subnetSelectorTerms', 'securityGroupSelectorTerms', 'capacityReservationSelectorTerms', 'placementGroupSelector',
  'associatePublicIPAddress', 'ipPrefixCount', 'amiSelectorTerms', 'amiFamily', 'userData', 'role', 'instanceProfile',
  'tags', 'kubelet', 'blockDeviceMappings', 'instanceStorePolicy', 'networkInterfaces', 'detailedMonitoring',
  'metadataOptions', 'context', 'cpuOptions',
] as const;

const nodeClassManifest = z.strictObject({
  apiVersion: z.literal(NODECLASS_API),
  kind: z.literal('EC2NodeClass'),
  metadata,
  spec: z.strictObject(Object.fromEntries(NODECLASS_FIELDS.map((f) => [f, f === 'kubelet' ? z.record(z.string(), z.unknown()).optional() : z.unknown().optional()]))),
  status: z.unknown().optional(),
});

/** Where each field of burstlab's NodePool form was written in a NodePool manifest. */
const FIELD_IN_MANIFEST: ReadonlyArray<[string, string]> = [
  ['name', 'metadata.name'],
  ['weight', 'spec.weight'],
  ['requirements', 'spec.template.spec.requirements'],
  ['labels', 'spec.template.metadata.labels'],
  ['annotations', 'spec.template.metadata.annotations'],
  ['taints', 'spec.template.spec.taints'],
  ['startupTaints', 'spec.template.spec.startupTaints'],
  ['limits', 'spec.limits'],
  ['otherLimits', 'spec.limits'],
  ['terminationGracePeriod', 'spec.template.spec.terminationGracePeriod'],
  ['nodeClassRef', 'spec.template.spec.nodeClassRef'],
  ['replicas', 'spec.replicas'],
  ['disruption.expireAfter', 'spec.template.spec.expireAfter'],
  ['disruption', 'spec.disruption'],
];

/** `requirements[2].minValues` (burstlab's form) -> `['spec','template','spec','requirements',2,'minValues']`. */
export function manifestPathOf(field: ReadonlyArray<PropertyKey>): PropertyKey[] {
  const dotted = field.filter((p) => typeof p === 'string').join('.');
  for (const [ours, theirs] of FIELD_IN_MANIFEST) {
    const depth = ours.split('.').length;
    if (dotted === ours || dotted.startsWith(`${ours}.`)) {
      let strings = 0;
      let cut = 0;
      while (cut < field.length && strings < depth) if (typeof field[cut++] === 'string') strings++;
      return [...theirs.split('.'), ...field.slice(cut)];
    }
  }
  return [...field];
}

export interface ConvertedNodePool {
  /** burstlab's NodePool form, before defaults. */
  pool: Record<string, unknown>;
  locate: Locate;
}

export interface ManifestSet {
  pools: ConvertedNodePool[];
  issues: ValidationIssue[];
  warnings: ScenarioWarning[];
}

/**
 * Upstream's documentation writes choices as `720h | Never`; the API server rejects that, so a pasted example would
 * never apply. The first choice is taken, with a warning naming the field.
 */
const CHOICE_FIELDS: ReadonlyArray<PropertyKey[]> = [
  ['spec', 'template', 'spec', 'expireAfter'],
  ['spec', 'template', 'spec', 'terminationGracePeriod'],
  ['spec', 'disruption', 'consolidationPolicy'],
  ['spec', 'disruption', 'consolidateAfter'],
];

function takeFirstChoices(value: unknown, locate: Locate, warnings: ScenarioWarning[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of CHOICE_FIELDS) {
    let parent: Record<string, unknown> | undefined = copy;
    for (const key of path.slice(0, -1)) parent = (parent?.[key as string] ?? undefined) as Record<string, unknown> | undefined;
    const key = path[path.length - 1] as string;
    const raw = parent?.[key];
    if (parent && typeof raw === 'string' && raw.includes('|')) {
      const choices = raw.split('|').map((c) => c.trim());
      parent[key] = choices[0];
      warnings.push({ path: locate(path), message: `'${raw}' lists choices (the docs' notation; the API server rejects it): using the first, ${choices[0]}` });
    }
  }
  return copy;
}

/**
 * Validates manifests and converts their NodePools. `zoneMap` renames zones (a manifest written for another region
 * against the bundled us-east-1 catalog); `clusterZones` are the zones nodes may run in.
 */
export function convertManifests(objects: readonly ManifestObject[], zoneMap: Readonly<Record<string, string>>, clusterZones: readonly string[]): ManifestSet {
  const out: ManifestSet = { pools: [], issues: [], warnings: [] };
  const issue = (path: string, message: string): void => void out.issues.push({ path, message });
  for (const { value, locate } of objects) {
    const v = value as { apiVersion?: unknown; kind?: unknown } | null;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      issue(locate([]), 'is not a Kubernetes object (a mapping with apiVersion and kind)');
      continue;
    }
    if (v.kind === 'NodePool' && v.apiVersion !== NODEPOOL_API) {
      issue(locate(['apiVersion']), `'${String(v.apiVersion)}' is not served by Karpenter 1.x: write ${NODEPOOL_API} (the v1beta1 API was removed in Karpenter 1.0; its migration guide lists the changes)`);
      continue;
    }
    if (v.kind === 'NodePool') {
      const pool = convertNodePool(takeFirstChoices(value, locate, out.warnings), locate, zoneMap, clusterZones, out);
      if (pool) out.pools.push({ pool, locate });
    } else if (v.kind === 'EC2NodeClass') {
      readNodeClass(value, locate, out);
    } else {
      issue(locate(['kind']), `${String(v.kind)} (${String(v.apiVersion)}) is not something cluster.nodePools can use: only ${NODEPOOL_API} NodePool and ${NODECLASS_API} EC2NodeClass`);
    }
  }
  return out;
}

function zodIssues(error: z.ZodError, locate: Locate): ValidationIssue[] {
  return error.issues.map((i) => ({ path: locate(i.path), message: i.message }));
}

function convertNodePool(value: unknown, locate: Locate, zoneMap: Readonly<Record<string, string>>, clusterZones: readonly string[], out: ManifestSet): Record<string, unknown> | null {
  const parsed = nodePoolManifest.safeParse(value);
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error, locate)) out.issues.push(issue);
    return null;
  }
  const m = parsed.data;
  const t = m.spec.template.spec;
  const requirements = t.requirements.map((r, i) => {
    const values = r.key === 'topology.kubernetes.io/zone' ? r.values?.map((zone) => zoneMap[zone] ?? zone) : r.values;
    if (r.key === 'topology.kubernetes.io/zone' && r.operator === 'In' && !values!.some((zone) => clusterZones.includes(zone))) {
      out.issues.push({
        path: locate(['spec', 'template', 'spec', 'requirements', i, 'values']),
        message: `none of ${r.values!.join(', ')} is one of the cluster's zones (${clusterZones.join(', ')}); the bundled catalog prices us-east-1 only: map them on the nodePools entry, e.g. zoneMap: { ${r.values![0]}: ${clusterZones[0]} }`,
      });
    }
    // Gte/Lte are Gt/Lt one step further, exactly, since their values are integers.
    const operator = r.operator === 'Gte' ? 'Gt' : r.operator === 'Lte' ? 'Lt' : r.operator;
    const shifted = r.operator === 'Gte' ? [String(Number(values![0]) - 1)] : r.operator === 'Lte' ? [String(Number(values![0]) + 1)] : values;
    if (values?.includes('reserved') && r.key === 'karpenter.sh/capacity-type') {
      out.warnings.push({ path: locate(['spec', 'template', 'spec', 'requirements', i, 'values']), message: 'reserved capacity (EC2 capacity reservations) is not modelled: the catalog has spot and on-demand offerings only' });
    }
    return { key: r.key, operator, ...(shifted ? { values: shifted } : {}), ...(r.minValues !== undefined ? { minValues: r.minValues } : {}) };
  });
  const { cpu, memory, ...otherLimits } = m.spec.limits ?? {};
  const d = m.spec.disruption ?? {};
  return {
    name: m.metadata.name,
    weight: m.spec.weight ?? 0,
    requirements,
    labels: m.spec.template.metadata?.labels ?? {},
    annotations: m.spec.template.metadata?.annotations ?? {},
    taints: (t.taints ?? []).map(({ timeAdded: _, ...rest }) => rest),
    startupTaints: (t.startupTaints ?? []).map(({ timeAdded: _, ...rest }) => rest),
    limits: { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) },
    otherLimits: Object.fromEntries(Object.entries(otherLimits).map(([k, q]) => [k, String(q)])),
    nodeClassRef: t.nodeClassRef,
    ...(t.terminationGracePeriod !== undefined ? { terminationGracePeriod: t.terminationGracePeriod } : {}),
    ...(m.spec.replicas !== undefined ? { replicas: m.spec.replicas } : {}),
    disruption: {
      consolidationPolicy: d.consolidationPolicy ?? DEFAULTS.karpenterV1.consolidationPolicy,
      consolidateAfter: d.consolidateAfter ?? DEFAULTS.karpenterV1.consolidateAfter,
      expireAfter: t.expireAfter ?? DEFAULTS.karpenterV1.expireAfter,
      ...(d.budgets !== undefined ? { budgets: d.budgets } : {}),
    },
  };
}

function readNodeClass(value: unknown, locate: Locate, out: ManifestSet): void {
  const parsed = nodeClassManifest.safeParse(value);
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error, locate)) out.issues.push(issue);
    return;
  }
  const spec = parsed.data.spec as Record<string, unknown>;
  if (spec.kubelet !== undefined) {
    out.warnings.push({ path: locate(['spec', 'kubelet']), message: 'kubelet settings (maxPods, kubeReserved, systemReserved, evictionHard, ...) are not modelled: allocatable follows EKS defaults per instance type' });
  }
  if (spec.subnetSelectorTerms !== undefined) {
    out.warnings.push({ path: locate(['spec', 'subnetSelectorTerms']), message: "subnets are not modelled: zones come from cluster.zones and the NodePools' zone requirements" });
  }
  if (spec.capacityReservationSelectorTerms !== undefined) {
    out.warnings.push({ path: locate(['spec', 'capacityReservationSelectorTerms']), message: 'capacity reservations are not modelled: the catalog has spot and on-demand offerings only' });
  }
  const inert = NODECLASS_FIELDS.filter((f) => spec[f] !== undefined && !['kubelet', 'subnetSelectorTerms', 'capacityReservationSelectorTerms'].includes(f));
  if (inert.length > 0) {
    out.warnings.push({ path: locate(['spec']), message: `${inert.join(', ')}: not modelled (boot latency comes from the cloud profile, prices from the bundled catalog)` });
  }
}
