import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { externalArmOf } from '../../../harness/runner/commands/run-cluster.js';
import { ValidationError } from '../../../harness/runner/errors.js';
import { clusterObjects } from '../../../harness/targets/cluster/cluster-objects.js';
import { containerSettings, imageVersion } from '../../../harness/targets/cluster/detect.js';
import { isRunId, newRunId, RUN_LABEL, withRunLabel } from '../../../harness/targets/cluster/run-label.js';
import { disruptionReasonOf, methodOf } from '../../../harness/targets/live/karpenter-disruptions.js';
import { realLiveParts } from '../../../harness/targets/live/real-parts.js';
import { targetIssues } from '../../../scenarios/schema/target-support.js';
import { scenario } from '../../support/scenarios.js';

const external = { name: 'theirs', kind: 'external' };
const RUN = 'test-20261125t131500-3fa2';

describe('run ids and the run label', () => {
  it('makes a run id that is a label value, from the scenario name and the time', () => {
    const id = newRunId('A Very Long Scenario Name '.repeat(5), '2026-11-25T13:15:00.123Z');
    expect(id.length).toBeLessThanOrEqual(63);
    expect(id).toMatch(/^a-very-long-scenario-name-.*-20261125t131500-[0-9a-f]{4}$/);
    expect(isRunId(id)).toBe(true);
    expect(isRunId('Bad Id')).toBe(false);
  });

  it('labels an object and its pod template with the run id', () => {
    const d = withRunLabel({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { selector: {}, template: { metadata: { labels: { app: 'web' } } } } } as V1Deployment, RUN);
    expect(d.metadata?.labels).toEqual({ app: 'web', [RUN_LABEL]: RUN });
    expect(d.spec?.template.metadata?.labels).toEqual({ app: 'web', [RUN_LABEL]: RUN });
  });
});

describe("a cluster run's objects", () => {
  const s = scenario({ cluster: { ...scenarioCluster(), priorityClasses: [{ name: 'high', value: 10 }] }, autoscalers: [external] });

  it('carry the run label, every one, and leave out the scenario\'s DaemonSets with a warning', () => {
    const planned = clusterObjects(s, 1, realLiveParts(), RUN, 'kwok');
    expect(planned.objects.map((o) => o.kind)).toEqual(['Namespace', 'PriorityClass', 'Deployment']);
    expect(planned.objects.every((o) => o.metadata?.labels?.[RUN_LABEL] === RUN)).toBe(true);
    expect(planned.warnings.map((w) => w.path)).toContain('cluster.daemonsets');
  });

  it('run as real pods without kwok\'s selector, toleration and stage delays unless the cluster is kwok\'s', () => {
    const pod = (mode: 'kwok' | 'real'): V1Deployment => clusterObjects(s, 1, realLiveParts(), RUN, mode).objects.find((o) => o.kind === 'Deployment') as V1Deployment;
    expect(pod('kwok').spec?.template.spec?.nodeSelector).toEqual({ type: 'kwok' });
    const real = pod('real');
    expect(real.spec?.template.spec?.nodeSelector).toBeUndefined();
    expect(real.spec?.template.spec?.tolerations).toBeUndefined();
    expect(Object.keys(real.spec?.template.metadata?.annotations ?? {}).filter((k) => k.includes('kwok'))).toEqual([]);
  });
});

describe('the external arm', () => {
  it('is the scenario\'s own, or one named external that detects whatever runs, the other arms not played', () => {
    const own = externalArmOf(scenario({ autoscalers: [{ name: 'karpenter', kind: 'karpenter' }, external] }));
    expect(own.arm).toEqual({ ...external, detect: 'auto' });
    expect(own.warnings[0]?.message).toMatch(/^karpenter not played on target cluster/);
    expect(externalArmOf(scenario()).arm).toEqual({ name: 'external', kind: 'external', detect: 'auto' });
  });

  it('is one: a second is a validation error', () => {
    expect(() => externalArmOf(scenario({ autoscalers: [external, { ...external, name: 'other' }] }))).toThrow(ValidationError);
  });

  it('runs only on target cluster', () => {
    const s = scenario({ autoscalers: [external] });
    expect(targetIssues(s, 'kwok')).toEqual([{ path: 'autoscalers[0].kind', message: expect.stringMatching(/cannot run on target kwok/) }]);
    expect(targetIssues(s, 'sim')).toHaveLength(1);
    expect(targetIssues(s, 'cluster')).toEqual([]);
  });
});

describe('what detection reads of a controller', () => {
  it('takes the version from the image tag, not its digest or registry port', () => {
    expect(imageVersion('registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1')).toBe('v1.32.1');
    expect(imageVersion('public.ecr.aws/karpenter/controller:1.1.0@sha256:abc')).toBe('1.1.0');
    expect(imageVersion('localhost:5000/karpenter')).toBeUndefined();
  });

  it('records arguments and plain environment values, and only the names of settings from elsewhere', () => {
    expect(
      containerSettings({ name: 'ca', command: ['./cluster-autoscaler', '--expander=least-waste'], args: ['--scan-interval=10s'], env: [{ name: 'AWS_REGION', value: 'us-east-1' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }),
    ).toBe('--expander=least-waste --scan-interval=10s AWS_REGION=us-east-1 TOKEN=(from secretKeyRef)');
  });
});

describe("upstream Karpenter's disruption decisions", () => {
  it('are read from the DisruptionReason condition, and several candidates of one reason are a multi-node command', () => {
    expect(disruptionReasonOf({ status: { conditions: [{ type: 'DisruptionReason', status: 'True', reason: 'Underutilized' }] } })).toBe('Underutilized');
    expect(disruptionReasonOf({ status: { conditions: [{ type: 'Ready', status: 'True' }] } })).toBeUndefined();
    expect([methodOf('Empty', 3), methodOf('Drifted', 1), methodOf('Underutilized', 1), methodOf('Underutilized', 2)]).toEqual(['emptiness', 'drift', 'single-node-consolidation', 'multi-node-consolidation']);
  });
});

function scenarioCluster(): Record<string, unknown> {
  return {
    zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    daemonsets: [{ name: 'kube-proxy', resources: { cpu: '100m', memory: '128Mi' } }],
    nodePools: [{ name: 'default', requirements: [{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }] }],
  };
}
