import type { KubernetesObject, V1DaemonSet, V1Deployment, V1PodDisruptionBudget, V1PriorityClass } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KWOK_TOLERATION } from '../../../harness/targets/kwok-nodes.js';
import { DO_NOT_DISRUPT, POD_DELETE_DELAY, POD_READY_DELAY, POD_READY_JITTER, scenarioObjects, startupDelays } from '../../../harness/targets/live/manifests.js';
import { LIVE_NAMESPACE, WORKLOAD_LABEL } from '../../../harness/targets/live/seams.js';
import { scenario, scenarioData, type ScenarioData } from '../../support/scenarios.js';

const WEB = { name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' } };

function objectsFor(workload: ScenarioData = {}, overrides: ScenarioData = {}, speed = 1): KubernetesObject[] {
  return scenarioObjects(scenario({ workloads: [{ ...WEB, ...workload }], ...overrides }), speed).objects;
}

function webDeployment(workload: ScenarioData = {}, overrides: ScenarioData = {}, speed = 1): V1Deployment {
  return objectsFor(workload, overrides, speed).find((o) => o.kind === 'Deployment') as V1Deployment;
}

function podSpecOf(workload: ScenarioData = {}): NonNullable<V1Deployment['spec']>['template']['spec'] {
  return webDeployment(workload).spec!.template.spec!;
}

function warningsFor(workload: ScenarioData): string[] {
  return scenarioObjects(scenario({ workloads: [{ ...WEB, ...workload }] }), 1).warnings.map((w) => `${w.path}: ${w.message}`);
}

describe('the scenario as live objects', () => {
  it('creates the live namespace first', () => {
    const [first] = objectsFor();
    expect(first).toMatchObject({ kind: 'Namespace', metadata: { name: LIVE_NAMESPACE } });
  });

  it('applies PriorityClasses, DaemonSets and PodDisruptionBudgets before the Deployments whose pods use them', () => {
    const kinds = objectsFor({ priorityClass: 'high', pdb: { minAvailable: 1 } }, { cluster: { ...(scenarioData().cluster as object), priorityClasses: [{ name: 'high', value: 1000 }] } }).map((o) => o.kind);
    expect(kinds).toEqual(['Namespace', 'PriorityClass', 'DaemonSet', 'PodDisruptionBudget', 'Deployment']);
  });

  it('declares each PriorityClass with its value', () => {
    const pc = objectsFor({}, { cluster: { ...(scenarioData().cluster as object), priorityClasses: [{ name: 'high', value: 1000 }] } }).find((o) => o.kind === 'PriorityClass') as V1PriorityClass;
    expect(pc).toMatchObject({ apiVersion: 'scheduling.k8s.io/v1', metadata: { name: 'high' }, value: 1000, globalDefault: false });
  });

  it('lets a DaemonSet land on every node by tolerating every taint, kwok\'s included', () => {
    const ds = objectsFor().find((o) => o.kind === 'DaemonSet') as V1DaemonSet;
    expect(ds.spec!.template.spec!.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(ds.spec!.template.spec!.containers[0]!.resources!.requests).toEqual({ cpu: '100m', memory: '128Mi' });
  });

  it('keeps DaemonSet pods out of the workload label, so they are node overhead and not a workload', () => {
    const ds = objectsFor().find((o) => o.kind === 'DaemonSet') as V1DaemonSet;
    expect(ds.spec!.template.metadata!.labels).not.toHaveProperty(WORKLOAD_LABEL);
  });

  it('labels a workload\'s pods with the workload label and selects them by it', () => {
    const d = webDeployment();
    expect(d.spec!.template.metadata!.labels).toEqual({ [WORKLOAD_LABEL]: 'web' });
    expect(d.spec!.selector.matchLabels).toEqual({ [WORKLOAD_LABEL]: 'web' });
    expect(d.metadata!.namespace).toBe(LIVE_NAMESPACE);
  });

  it('requests the workload\'s CPU, memory and GPUs, the GPUs also as a limit', () => {
    const resources = podSpecOf({ resources: { cpu: '1500m', memory: '2Gi', gpu: 1 } })!.containers[0]!.resources;
    expect(resources).toEqual({ requests: { cpu: '1500m', memory: '2048Mi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } });
  });

  it('starts with the replicas an HPA\'s bounds allow, as the sim does', () => {
    const traffic = [{ workload: 'web', profile: 'constant', rps: 100 }];
    expect(webDeployment({ replicas: 1, hpa: { minReplicas: 3, maxReplicas: 10, targetRpsPerPod: 50 } }, { traffic }).spec!.replicas).toBe(3);
  });

  it('puts the workload\'s node selector over kwok\'s own', () => {
    expect(podSpecOf({ nodeSelector: { 'karpenter.sh/capacity-type': 'spot' } })!.nodeSelector).toEqual({ type: 'kwok', 'karpenter.sh/capacity-type': 'spot' });
  });

  it('turns node affinity requirements into one required term', () => {
    const affinity = podSpecOf({ nodeAffinity: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }, { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'DoesNotExist' }] })!.affinity;
    expect(affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }, { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'DoesNotExist' }] },
    ]);
  });

  it('tolerates kwok\'s taint and the workload\'s tolerations', () => {
    expect(podSpecOf({ tolerations: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] })!.tolerations).toEqual([
      { ...KWOK_TOLERATION },
      { key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' },
    ]);
  });

  it('spreads the workload\'s own pods over the topology key', () => {
    const spread = podSpecOf({ topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2, whenUnsatisfiable: 'ScheduleAnyway' }] })!.topologySpreadConstraints;
    expect(spread).toEqual([{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 2, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { [WORKLOAD_LABEL]: 'web' } } }]);
  });

  it('keeps the workload\'s own pods apart with required anti-affinity', () => {
    const anti = podSpecOf({ podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname' }] })!.affinity!.podAntiAffinity;
    expect(anti!.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { [WORKLOAD_LABEL]: 'web' } } }]);
  });

  it('puts the workload\'s labels on its pods beside the workload label, which alone selects them', () => {
    const d = webDeployment({ labels: { tier: 'front' } });
    expect(d.spec!.template.metadata!.labels).toEqual({ tier: 'front', [WORKLOAD_LABEL]: 'web' });
    expect(d.spec!.selector.matchLabels).toEqual({ [WORKLOAD_LABEL]: 'web' });
  });

  it('spreads over the pods a labelSelector names, as the scenario writes it', () => {
    const selector = { matchLabels: { tier: 'front' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }] };
    const spread = podSpecOf({ labels: { tier: 'front' }, topologySpread: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: selector }] })!.topologySpreadConstraints;
    expect(spread![0]!.labelSelector).toEqual(selector);
  });

  it('carries required pod affinity with its labelSelector', () => {
    const affinity = podSpecOf({ labels: { tier: 'front' }, podAffinity: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { tier: 'front' } } }] })!.affinity!.podAffinity;
    expect(affinity!.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { tier: 'front' } } }]);
  });

  it('no longer warns that labels, labelSelectors or pod affinity are left out of live objects', () => {
    const warnings = warningsFor({ labels: { tier: 'front' }, podAffinity: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { tier: 'front' } } }] });
    expect(warnings.filter((w) => !w.startsWith('workloads[0].startup'))).toEqual([]);
  });

  it('gives pods their PriorityClass by name', () => {
    const cluster = { ...(scenarioData().cluster as object), priorityClasses: [{ name: 'high', value: 1000 }] };
    expect(webDeployment({ priorityClass: 'high' }, { cluster }).spec!.template.spec!.priorityClassName).toBe('high');
  });

  it('marks do-not-disrupt pods with Karpenter\'s annotation', () => {
    expect(webDeployment({ doNotDisrupt: true }).spec!.template.metadata!.annotations![DO_NOT_DISRUPT]).toBe('true');
  });

  it('warns that a do-not-disrupt duration protects nothing live, and does not annotate the pods', () => {
    expect(webDeployment({ doNotDisrupt: '5m' }).spec!.template.metadata!.annotations).not.toHaveProperty(DO_NOT_DISRUPT);
    expect(warningsFor({ doNotDisrupt: '5m' }).some((w) => w.startsWith('workloads[0].doNotDisrupt: ') && w.includes('not protected'))).toBe(true);
  });

  it('guards the workload\'s pods with a PodDisruptionBudget, counts as numbers and percentages as strings', () => {
    const byCount = objectsFor({ pdb: { minAvailable: 2 } }).find((o) => o.kind === 'PodDisruptionBudget') as V1PodDisruptionBudget;
    const byShare = objectsFor({ pdb: { maxUnavailable: '25%' } }).find((o) => o.kind === 'PodDisruptionBudget') as V1PodDisruptionBudget;
    expect(byCount.spec).toEqual({ selector: { matchLabels: { [WORKLOAD_LABEL]: 'web' } }, minAvailable: 2 });
    expect(byShare.spec).toEqual({ selector: { matchLabels: { [WORKLOAD_LABEL]: 'web' } }, maxUnavailable: '25%' });
  });

  it('divides the start-up and shutdown delays kwok plays by the speed', () => {
    const startup = { imagePull: '20s', containerStart: '10s' };
    const annotations = webDeployment({ startup, terminationGracePeriod: '4s' }, {}, 10).spec!.template.metadata!.annotations!;
    expect(annotations[POD_READY_DELAY]).toBe('3000ms');
    expect(annotations[POD_READY_JITTER]).toBeUndefined();
    expect(annotations[POD_DELETE_DELAY]).toBe('400ms');
  });

  it('caps the shutdown delay as the sim does', () => {
    expect(webDeployment({ terminationGracePeriod: '30s' }).spec!.template.metadata!.annotations![POD_DELETE_DELAY]).toBe('5000ms');
  });

  it('always warns how kwok\'s start-up delay differs from the sim\'s', () => {
    expect(warningsFor({}).some((w) => w.startsWith('workloads[0].startup: ') && w.includes('once per node'))).toBe(true);
  });
});

describe('kwok start-up delay fitted to a latency', () => {
  it('matches the median and the 90th percentile with a uniform range', () => {
    const d = startupDelays({ medianMs: 10_000, p90Ms: 12_000 }, { medianMs: 0, p90Ms: 0 }, 1);
    expect(d).toEqual({ fromMs: 7_500, toMs: 12_500 });
    expect((d.fromMs + d.toMs) / 2).toBe(10_000);
    expect(d.fromMs + 0.9 * (d.toMs - d.fromMs)).toBe(12_000);
  });

  it('keeps the median from zero when the tail is too long for a range that starts above zero', () => {
    expect(startupDelays({ medianMs: 3_000, p90Ms: 8_000 }, { medianMs: 2_000, p90Ms: 4_000 }, 1)).toEqual({ fromMs: 0, toMs: 10_000 });
  });

  it('is a fixed delay when the latency is fixed', () => {
    expect(startupDelays({ medianMs: 4_000, p90Ms: 4_000 }, { medianMs: 1_000, p90Ms: 1_000 }, 2)).toEqual({ fromMs: 2_500, toMs: 2_500 });
  });
});
