import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { HPA_TARGET_UTILIZATION } from '../../../harness/targets/live/hpa-manifest.js';
import { containerCores, usageExpression } from '../../../harness/targets/live/load-metrics.js';

const pod = (o: { ready?: boolean; deleting?: boolean; cpu?: string[] } = {}): V1Pod => ({
  metadata: { name: 'web-x', ...(o.deleting ? { deletionTimestamp: new Date('2026-11-25T10:00:00Z') } : {}) },
  spec: { containers: (o.cpu ?? ['200m']).map((cpu, i) => ({ name: `c${i}`, resources: { requests: { cpu } } })) },
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});

describe("a workload's pod CPU usage for an offered load", () => {
  it('is the target utilisation of the request when each Ready pod gets its target rate', () => {
    expect(containerCores({ rps: 100, targetRpsPerPod: 50 }, [pod(), pod()])).toBeCloseTo((HPA_TARGET_UTILIZATION / 100) * 0.2);
  });

  it('scales with the rate per Ready pod, so the HPA ratio is rps per pod over the target', () => {
    const cores = containerCores({ rps: 300, targetRpsPerPod: 50 }, [pod(), pod()])!;
    expect(cores / ((HPA_TARGET_UTILIZATION / 100) * 0.2)).toBeCloseTo(3);
  });

  it('divides the load among Ready pods only, not starting or terminating ones', () => {
    const pods = [pod(), pod(), pod({ ready: false }), pod({ deleting: true })];
    expect(containerCores({ rps: 100, targetRpsPerPod: 50 }, pods)).toBeCloseTo(0.1);
  });

  it("splits a pod's usage evenly among its containers, so the pod's total is its request times the ratio", () => {
    const cores = containerCores({ rps: 50, targetRpsPerPod: 50 }, [pod({ cpu: ['300m', '100m'] })])!;
    expect(cores * 2).toBeCloseTo(0.5 * 0.4);
  });

  it("never reports less than kwok's 1m default, which metrics-server would drop as no usage at all", () => {
    expect(containerCores({ rps: 0, targetRpsPerPod: 50 }, [pod()])).toBe(0.001);
  });

  it('is unknown while the workload has no pod to size it by', () => {
    expect(containerCores({ rps: 100, targetRpsPerPod: 50 }, [])).toBeUndefined();
  });
});

describe('the ClusterResourceUsage CPU expression', () => {
  it("gives each loaded workload's pods their value in micro-cores and everything else the stock expression", () => {
    const expr = usageExpression(new Map([['web', 0.1234567], ['api', 0.05]]), 'Quantity("1m")\n');
    expect(expr).toBe(
      '(pod.metadata.namespace == "burstlab" && "app" in pod.metadata.labels && pod.metadata.labels["app"] == "api") ? Quantity("50000u") :\n' +
        '(pod.metadata.namespace == "burstlab" && "app" in pod.metadata.labels && pod.metadata.labels["app"] == "web") ? Quantity("123457u") :\n' +
        '(Quantity("1m"))',
    );
  });
});
