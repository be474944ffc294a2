import { describe, expect, it } from 'vitest';
import { LiveRecorder } from '../../../harness/recorder/live-recorder.js';
import { PROFILES } from '../../../harness/sim/cloud-profile.js';
import { claimCreatedOf } from '../../../harness/targets/live/nodeclaim-events.js';
import { KWOK_NODE_CLASS_REF, kwokNodeClass, prepareUpstreamArms, upstreamEnv, upstreamPool } from '../../../harness/targets/live/upstream-karpenter.js';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import type { KarpenterUpstreamSpec } from '../../../scenarios/schema/scenario-schema.js';
import { scenario, scenarioData } from '../../support/scenarios.js';

const upstreamArm = (over: Record<string, unknown> = {}): KarpenterUpstreamSpec =>
  scenario({ autoscalers: [{ name: 'upstream', kind: 'karpenter-upstream', ...over }] }).autoscalers[0] as KarpenterUpstreamSpec;

describe("upstream Karpenter's node class", () => {
  it("registers nodes after the profile's median launch-to-Ready, in whole seconds", () => {
    const c = kwokNodeClass(PROFILES.fast, 1);
    expect(c.object).toMatchObject({ apiVersion: 'karpenter.kwok.sh/v1alpha1', kind: 'KWOKNodeClass', metadata: { name: KWOK_NODE_CLASS_REF.name }, spec: { nodeRegistrationDelay: '3s' } });
    expect(c.warnings.filter((w) => w.includes('rounded'))).toEqual([]);
  });

  it('divides the boot time by the speed and says when it rounds up', () => {
    const c = kwokNodeClass(PROFILES.aws, 10);
    expect(c.delayS).toBe(5);
    expect(c.warnings.some((w) => w.includes('4700 ms rounded up to 5s'))).toBe(true);
  });
});

describe("a NodePool as upstream Karpenter's", () => {
  const pool = scenario({ cluster: { ...(scenarioData().cluster as object), nodePools: [{ name: 'web', labels: { team: 'web' }, disruption: { consolidateAfter: '40s', expireAfter: 'Never' } }] } }).cluster.nodePools[0]!;

  it('names the KWOKNodeClass and adds the label live pods select kwok nodes by', () => {
    const p = upstreamPool(pool, 1);
    expect(p.nodeClassRef).toEqual(KWOK_NODE_CLASS_REF);
    expect(p.labels).toEqual({ team: 'web', type: 'kwok' });
  });

  it("adds the AWS provider's default requirements the kwok provider lacks (on-demand, amd64, Linux), as the bundled arm assumes them", () => {
    expect(upstreamPool(pool, 1).requirements).toEqual([
      ...pool.requirements,
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    ]);
    const spot = { ...pool, requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In' as const, values: ['spot', 'on-demand'] }] };
    expect(upstreamPool(spot, 1).requirements.filter((r) => r.key === 'karpenter.sh/capacity-type')).toEqual(spot.requirements);
  });

  it('runs its durations in wall time at the run speed', () => {
    expect(upstreamPool(pool, 4).disruption).toMatchObject({ consolidateAfter: 10_000, expireAfter: 'Never' });
  });
});

describe("upstream Karpenter's environment", () => {
  it('carries the arm settings as upstream env vars, batch windows in wall time', () => {
    const env = upstreamEnv(upstreamArm({ batchIdleDuration: '2s', batchMaxDuration: '20s', featureGates: { spotToSpotConsolidation: true }, logLevel: 'debug' }), {
      kubeconfigPath: '/k', instanceTypesPath: '/t.json', metricsPort: 1, healthProbePort: 2, speed: 2,
    });
    expect(env).toEqual({
      KUBECONFIG: '/k',
      DISABLE_LEADER_ELECTION: 'true',
      METRICS_PORT: '1',
      HEALTH_PROBE_PORT: '2',
      INSTANCE_TYPES_FILE_PATH: '/t.json',
      BATCH_IDLE_DURATION: '1000ms',
      BATCH_MAX_DURATION: '10000ms',
      FEATURE_GATES: 'SpotToSpotConsolidation=true',
      LOG_LEVEL: 'debug',
    });
  });
});

describe('an upstream NodeClaim in the event log', () => {
  const catalog = new Catalog({ region: 'us-east-1', zones: ['us-east-1a'] });
  const claim = {
    metadata: { name: 'default-abc12', labels: { 'karpenter.sh/nodepool': 'default' } },
    spec: {
      requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.xlarge', 'nonesuch', 'm5.large'] }],
      resources: { requests: { cpu: '1750m', pods: '7' } },
    },
  };

  it('is a claim.created with its pool, its types cheapest first and its pod count', () => {
    expect(claimCreatedOf(claim, catalog)).toEqual({ type: 'claim.created', claim: 'default-abc12', nodepool: 'default', instanceTypes: ['m5.large', 'm5.xlarge', 'nonesuch'], pods: 7 });
  });

  it("dates the launch of the node it becomes, named by its hostname, to the claim's creation", () => {
    const clock = { epochMs: Date.parse('2026-01-01T00:00:00Z'), t: 1_000, now(): number { return this.t; } };
    const rec = new LiveRecorder(clock, 'upstream');
    rec.emit(claimCreatedOf(claim, catalog));
    clock.t = 4_500;
    rec.observeNode({
      metadata: {
        name: 'kwok-default-abc12-xyz-1',
        creationTimestamp: new Date(clock.epochMs + 4_000),
        labels: { 'kubernetes.io/hostname': 'default-abc12', 'node.kubernetes.io/instance-type': 'm5.large', 'eks-node-viewer/instance-price': '0.096000' },
      },
    });
    const launched = rec.events().find((e) => e.type === 'node.launched');
    expect(launched).toMatchObject({ t: 1_000, node: 'kwok-default-abc12-xyz-1', pricePerHour: 0.096 });
  });
});

describe('preparing a run for upstream arms', () => {
  it('builds and fetches nothing when no arm is karpenter-upstream', async () => {
    const lines: string[] = [];
    expect(await prepareUpstreamArms(scenario({ autoscalers: [{ name: 'karpenter', kind: 'karpenter' }] }), (l) => lines.push(l))).toEqual({});
    expect(lines).toEqual([]);
  });
});
