import { describe, expect, it } from 'vitest';
import { controllerSyncPeriodMs, HPA_TARGET_UTILIZATION, hpaManifest } from '../../../harness/targets/live/hpa-manifest.js';
import { LIVE_NAMESPACE } from '../../../harness/targets/live/seams.js';
import { UsageError } from '../../../harness/runner/errors.js';
import { scenario } from '../../support/scenarios.js';

// The loader refuses an HPA without traffic to scale on.
const traffic = (workload: string): Record<string, unknown> => ({ workload, profile: 'constant', rps: 100 });
const web = (hpa: Record<string, unknown>): ReturnType<typeof scenario>['workloads'][number] =>
  scenario({ workloads: [{ name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' }, hpa: { minReplicas: 2, maxReplicas: 20, targetRpsPerPod: 50, ...hpa } }], traffic: [traffic('web')] }).workloads[0]!;

describe('the live HPA manifest', () => {
  it("targets the workload's Deployment in the live namespace on CPU utilisation", () => {
    const { manifest } = hpaManifest(web({}), 1);
    expect(manifest.metadata).toMatchObject({ name: 'web', namespace: LIVE_NAMESPACE });
    expect(manifest.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(manifest.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: HPA_TARGET_UTILIZATION } } }]);
    expect([manifest.spec?.minReplicas, manifest.spec?.maxReplicas]).toEqual([2, 20]);
  });

  it("at speed 1 carries the scenario's default behaviour, which is Kubernetes' default", () => {
    const { manifest, warnings } = hpaManifest(web({}), 1);
    expect(manifest.spec?.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }],
        tolerance: '0.1',
      },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], tolerance: '0.1' },
    });
    expect(warnings).toEqual([]);
  });

  it('divides the windows and periods by the speed', () => {
    const { manifest, warnings } = hpaManifest(web({ scaleDown: { stabilizationWindow: '120s', period: '30s' }, scaleUp: { period: '60s' } }), 10);
    expect(manifest.spec?.behavior?.scaleDown?.stabilizationWindowSeconds).toBe(12);
    expect(manifest.spec?.behavior?.scaleDown?.policies?.[0]?.periodSeconds).toBe(3);
    expect(manifest.spec?.behavior?.scaleUp?.policies?.map((p) => p.periodSeconds)).toEqual([6, 6]);
    expect(warnings).toEqual([]);
  });

  it('rounds to whole seconds, holds periods at 1 s, and says what runs instead', () => {
    const { manifest, warnings } = hpaManifest(web({ scaleUp: { period: '5s' } }), 10);
    expect(manifest.spec?.behavior?.scaleUp?.policies?.[0]?.periodSeconds).toBe(1);
    expect(warnings).toContain('workloads.web.hpa.scaleUp.period: 5 s runs as 1 s wall at speed 10 (10 s of scenario time): the HPA API counts whole seconds');
  });

  it('runs minReplicas 0 as 1 with a warning, since an HPA on CPU cannot scale to zero', () => {
    const { manifest, warnings } = hpaManifest(web({ minReplicas: 0 }), 1);
    expect(manifest.spec?.minReplicas).toBe(1);
    expect(warnings[0]).toMatch(/minReplicas: 0 runs as 1/);
  });

  it('refuses a window the HPA API cannot hold at this speed', () => {
    expect(() => hpaManifest(web({ scaleDown: { stabilizationWindow: '2h' } }), 1)).toThrow(UsageError);
  });
});

describe("the HPA controller's sync period", () => {
  it('is the shortest of the workloads, with a warning naming each workload that cannot have its own', () => {
    const workloads = scenario({
      workloads: [
        { name: 'web', resources: { cpu: '500m', memory: '512Mi' }, hpa: { minReplicas: 1, maxReplicas: 5, targetRpsPerPod: 50, syncPeriod: '15s' } },
        { name: 'api', resources: { cpu: '500m', memory: '512Mi' }, hpa: { minReplicas: 1, maxReplicas: 5, targetRpsPerPod: 50, syncPeriod: '5s' } },
        { name: 'batch', resources: { cpu: '500m', memory: '512Mi' } },
      ],
      traffic: [traffic('web'), traffic('api')],
    }).workloads;
    expect(controllerSyncPeriodMs(workloads)).toEqual({ ms: 5_000, warnings: ['workloads.web.hpa.syncPeriod: 15 s runs as 5 s: kube-controller-manager has one HPA sync period for every HPA'] });
  });

  it('is undefined without any HPA', () => {
    expect(controllerSyncPeriodMs(scenario().workloads).ms).toBeUndefined();
  });
});
