import { GetExperimentTemplateCommand, ListExperimentTemplatesCommand, type FisClient } from '@aws-sdk/client-fis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../harness/clock/virtual-clock.js';
import { FisExperiment } from '../../harness/targets/eks/fis.js';
import { SloGuard } from '../../harness/targets/eks/slo-guard.js';
import type { TrafficSample } from '../../provisioner/runtime/events.js';
import { UnsafeTemplateError } from '../../harness/targets/eks/fis-template.js';
import { RUN_TAG } from '../../harness/targets/eks/tags.js';
import { skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { ALARM, spotInterruptionTemplate } from '../support/fis-templates.js';
import type { Moto } from '../support/moto-server.js';

let moto: Moto | undefined;
let fis: FisClient | undefined;

function server(): { moto: Moto; fis: FisClient } {
  if (!moto || !fis) throw new Error('moto did not start');
  return { moto, fis };
}

async function templateCount(): Promise<number> {
  return ((await server().fis.send(new ListExperimentTemplatesCommand({}))).experimentTemplates ?? []).length;
}

describe.skipIf(skipAws)('an FIS experiment against moto', () => {
  beforeAll(async () => {
    moto = await startMotoForTests();
    fis = moto.fis();
  }, 90_000);
  afterAll(async () => void (await moto?.stop()));
  beforeEach(async () => void (await server().moto.reset()));

  it('creates its template with the alarm as stop condition, the run tag and targets scoped by it', async () => {
    const experiment = new FisExperiment(server().fis, 'run-1', 'spot-1');
    const id = await experiment.create(spotInterruptionTemplate('run-1'), { alarmArn: ALARM });
    const stored = (await server().fis.send(new GetExperimentTemplateCommand({ id }))).experimentTemplate;
    expect(stored?.stopConditions).toEqual([{ source: 'aws:cloudwatch:alarm', value: ALARM }]);
    expect(stored?.tags).toEqual({ [RUN_TAG]: 'run-1' });
    expect(stored?.targets?.nodes?.resourceTags).toEqual({ [RUN_TAG]: 'run-1' });
  });

  it('starts the experiment, watches it, stops it while it runs and deletes the template', async () => {
    const experiment = new FisExperiment(server().fis, 'run-1', 'spot-1');
    await experiment.create(spotInterruptionTemplate('run-1'), { sloGuard: true });
    await experiment.start();
    // moto moves an experiment one state per GetExperiment: pending, initiating, running, then completed.
    expect((await experiment.state()).status).toBe('initiating');
    await experiment.dispose();
    expect((await experiment.state()).status).toBe('stopped');
    expect(await templateCount()).toBe(0);
  });

  it('creates nothing for a template that would target instances outside the run', async () => {
    const experiment = new FisExperiment(server().fis, 'run-1', 'spot-1');
    const err = await experiment.create(spotInterruptionTemplate('run-2'), { sloGuard: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafeTemplateError);
    expect(await templateCount()).toBe(0);
  });

  it('disposes twice without error: an experiment already stopped and a template already gone are left as they are', async () => {
    const experiment = new FisExperiment(server().fis, 'run-1', 'spot-1');
    await experiment.create(spotInterruptionTemplate('run-1'), { sloGuard: true });
    await experiment.start();
    await experiment.dispose();
    await expect(experiment.dispose()).resolves.toBeUndefined();
  });

  describe("burstlab's SLO guard", () => {
    const sample = (t: number, successRate: number, workload = 'api'): TrafficSample => ({
      type: 'traffic.sample', t, autoscaler: 'karpenter', workload, rps: 100, servedRps: 100 * successRate, latencyMs: 50, windowMs: 60_000,
    });

    it('stops the running experiment once the SLO has been in violation longer than the scenario allows, not before', async () => {
      const experiment = new FisExperiment(server().fis, 'run-1', 'spot-1');
      await experiment.create(spotInterruptionTemplate('run-1'), { sloGuard: true });
      await experiment.start();
      const clock = new VirtualClock();
      const guard = new SloGuard({
        clock,
        slo: [{ metric: 'requests.successRate', op: '>=', threshold: 0.99 }, { metric: 'sloMinutesInViolation', op: '<=', threshold: 2 }],
        stop: () => experiment.stop(),
      });
      for (const [t, rate, workload] of [[0, 0.5, 'api'], [0, 0.5, 'feed'], [60_000, 1, 'api'], [120_000, 0.9, 'api']] as const) {
        clock.advance(t - clock.now());
        await guard.observe(sample(t, rate, workload));
      }
      expect(guard.tripped).toBeUndefined();
      expect((await experiment.state()).status).not.toMatch(/stop/);

      clock.advance(60_000);
      await guard.observe(sample(180_000, 0.98));

      expect(guard.tripped).toEqual({ atMs: 180_000, reason: expect.stringMatching(/3\.0 min, more than the 2\.0 min allowed by the scenario's sloMinutesInViolation/) });
      expect((await experiment.state()).status).toBe('stopped');
      await experiment.dispose();
    });
  });
});
