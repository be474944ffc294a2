import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { EventBody } from '../../../provisioner/runtime/events.js';
import { ReplicaLog } from '../../../harness/targets/live/replica-log.js';
import { scenario } from '../../support/scenarios.js';

const deployment = (name: string, replicas: number): V1Deployment => ({ metadata: { name }, spec: { replicas, selector: {}, template: {} } });

function logOf(hpa: boolean): { log: ReplicaLog; emitted: EventBody[] } {
  const emitted: EventBody[] = [];
  const workloads = [{ name: 'web', replicas: 2, resources: { cpu: '500m', memory: '512Mi' }, ...(hpa ? { hpa: { minReplicas: 2, maxReplicas: 10, targetRpsPerPod: 50 } } : {}) }];
  const s = scenario({ workloads, ...(hpa ? { traffic: [{ workload: 'web', profile: 'constant', rps: 100 }] } : {}) });
  return { log: new ReplicaLog({ emit: (b) => void emitted.push(b) }, s.workloads), emitted };
}

describe("the live log of a workload's desired replicas", () => {
  it('logs the count at t = 0 as initial', () => {
    const { log, emitted } = logOf(false);
    log.start([deployment('web', 2)]);
    expect(emitted).toEqual([{ type: 'workload.scaled', workload: 'web', from: 0, to: 2, reason: 'initial' }]);
  });

  it('logs nothing before t = 0', () => {
    const { log, emitted } = logOf(false);
    log.observe(deployment('web', 5));
    expect(emitted).toEqual([]);
  });

  it('calls a change scheduled scaling asked for a schedule', () => {
    const { log, emitted } = logOf(true);
    log.start([deployment('web', 2)]);
    log.expectSchedule('web', 8);
    log.observe(deployment('web', 8));
    expect(emitted[1]).toEqual({ type: 'workload.scaled', workload: 'web', from: 2, to: 8, reason: 'schedule' });
  });

  it("calls any other change of an HPA's workload the HPA's", () => {
    const { log, emitted } = logOf(true);
    log.start([deployment('web', 2)]);
    log.observe(deployment('web', 4));
    expect(emitted[1]).toMatchObject({ from: 2, to: 4, reason: 'hpa' });
  });

  it('ignores updates that leave the count as it was', () => {
    const { log, emitted } = logOf(false);
    log.start([deployment('web', 2)]);
    log.observe(deployment('web', 2));
    expect(emitted).toHaveLength(1);
  });
});
