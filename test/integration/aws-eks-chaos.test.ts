/**
 * The EKS fault back end (eks-chaos.ts) against moto on a virtual clock: burstlab's SLO guard, attached to every
 * experiment the run starts, stops a running one through FIS and the stop is logged as the fault's recovery.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { GetExperimentCommand, type FisClient } from '@aws-sdk/client-fis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../harness/clock/virtual-clock.js';
import { EksChaos, type EksFaultNode } from '../../harness/targets/eks/eks-chaos.js';
import { eksPlan } from '../../harness/targets/eks/eks-plan.js';
import { FisExperiment } from '../../harness/targets/eks/fis.js';
import { SloGuard } from '../../harness/targets/eks/slo-guard.js';
import { Catalog } from '../../provisioner/catalog/catalog.js';
import type { EventBody } from '../../provisioner/runtime/events.js';
import { loadScenario } from '../../scenarios/load.js';
import { clusterSpotInstance, skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { REGION, type Moto } from '../support/moto-server.js';

const RUN_ID = 'guard-1';

describe.skipIf(skipAws)('faults on EKS through FIS, against moto', () => {
  let moto: Moto | undefined;
  let ec2: EC2Client | undefined;
  let fis: FisClient | undefined;

  beforeAll(async () => {
    moto = await startMotoForTests();
    ec2 = moto.ec2();
    fis = moto.fis();
  }, 90_000);
  afterAll(async () => void (await moto?.stop()));

  it("stops a running experiment when burstlab's SLO guard trips, and logs that as the fault's recovery", async () => {
    const scenario = await loadScenario('test/integration/fixtures/eks-faults.yaml');
    const inputs = { region: REGION, clusterName: 'eks-faults', runId: RUN_ID, launchTemplate: undefined, subnetFilters: [], fisRoleArn: 'arn:aws:iam::123456789012:role/fis', runnerRoleArn: undefined, stopAlarmArn: undefined, interruptionQueue: undefined };
    const plan = eksPlan(scenario, new Catalog({ region: REGION, zones: scenario.cluster.zones }), scenario.seed, inputs);
    const id = await clusterSpotInstance(ec2!, 'us-east-1a', 'eks-faults', RUN_ID);
    const node: EksFaultNode = { name: 'spot-0', providerId: `aws:///us-east-1a/${id}`, zone: 'us-east-1a', capacityType: 'spot', instanceType: 'm5.large', owner: 'default', ownerKind: 'nodepool', labels: {}, cordoned: false, pods: ['burstlab/web-1'] };
    const clock = new VirtualClock();
    const events: EventBody[] = [];
    const experiments: FisExperiment[] = [];
    const holder: { chaos?: EksChaos } = {};
    const guard = new SloGuard({
      clock,
      slo: [{ metric: 'requests.successRate', op: '>=', threshold: 0.99 }, { metric: 'sloMinutesInViolation', op: '<=', threshold: 0 }],
      stop: (reason) => holder.chaos!.stopRunning(`stopped by burstlab's SLO guard: ${reason}`),
    });
    const chaos = (holder.chaos = new EksChaos({
      clock, recorder: { emit: (body) => void events.push(body) }, ec2: ec2!, region: REGION, runId: RUN_ID, nodes: async () => [node],
      experiment: (key) => {
        const e = new FisExperiment(fis!, RUN_ID, key);
        experiments.push(e);
        return e;
      },
      stop: plan.stop, guard, watchEveryMs: 60_000, endMs: scenario.duration,
    }));
    try {
      chaos.install(plan.experiments);
      await clock.runUntilSettled(8_000);
      // The injection's AWS calls are real network round trips: wait until they are done.
      while (clock.unsettled) await clock.settle();
      const injected = events.find((e) => e.type === 'chaos.injected');
      expect(injected).toMatchObject({ targets: ['spot-0'], pods: ['burstlab/web-1'] });
      const experimentId = /FIS experiment (\S+)/.exec(injected?.type === 'chaos.injected' ? injected.detail : '')?.[1];

      await guard.observe({ type: 'traffic.sample', t: 8_000, autoscaler: 'external', workload: 'web', rps: 10, servedRps: 5, latencyMs: 50, windowMs: 5_000 });

      expect((await fis!.send(new GetExperimentCommand({ id: experimentId }))).experiment?.state?.status).toBe('stopped');
      expect(events.filter((e) => e.type === 'chaos.recovered')).toEqual([
        expect.objectContaining({ id: 'faults[0]', detail: expect.stringMatching(/stopped by burstlab's SLO guard: SLO in violation/) }),
      ]);
      await chaos.stop();
      expect(events.filter((e) => e.type === 'chaos.recovered')).toHaveLength(1);
    } finally {
      await chaos.stop().catch(() => undefined);
      for (const e of experiments) await e.dispose();
    }
  }, 60_000);
});
