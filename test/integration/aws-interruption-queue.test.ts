import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InterruptionNotice } from '../../harness/targets/eks/interruption-messages.js';
import { InterruptionQueue, notifyController } from '../../harness/targets/eks/interruption-queue.js';
import { awsProvider, skipAws, startMotoForTests } from '../support/aws-fixture.js';
import { contractRequest } from '../support/cloud-provider-contract.js';
import { rebalance, scheduledChange, spotWarning, stateChange } from '../support/eventbridge-events.js';
import type { Moto } from '../support/moto-server.js';

// The four EventBridge shapes sent through moto's SQS, read by the real SDK's long polling.
let moto: Moto | undefined;
let sqs: SQSClient | undefined;

function server(): { moto: Moto; sqs: SQSClient } {
  if (!moto || !sqs) throw new Error('moto did not start');
  return { moto, sqs };
}

async function queueWith(bodies: string[], visibilitySeconds = 30): Promise<string> {
  const { sqs } = server();
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'burstlab-interruptions', Attributes: { VisibilityTimeout: String(visibilitySeconds) } }))).QueueUrl;
  if (!url) throw new Error('moto returned no queue URL');
  for (const MessageBody of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody }));
  return url;
}

async function messagesLeft(url: string): Promise<number> {
  const out = await server().sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** Polls until `n` messages were received, or 20 polls. */
async function drain(queue: InterruptionQueue, n: number): Promise<void> {
  for (let i = 0; i < 20 && queue.stats.received < n; i++) await queue.pollOnce();
}

describe.skipIf(skipAws)('the interruption queue against moto\'s SQS', () => {
  beforeAll(async () => {
    moto = await startMotoForTests();
    sqs = moto.sqs();
  }, 90_000);
  afterAll(async () => void (await moto?.stop()));
  beforeEach(async () => void (await server().moto.reset()));

  it('hands the four message shapes to the handler as notices and deletes them', async () => {
    const url = await queueWith([spotWarning('i-1'), rebalance('i-2'), scheduledChange(['i-3']), stateChange('i-4', 'stopping')]);
    const seen: InterruptionNotice[] = [];
    const queue = new InterruptionQueue({ sqs: server().sqs, queueUrl: url, waitSeconds: 1, handle: async (n) => void seen.push(n), warn: () => {} });
    await drain(queue, 4);
    expect(seen.map((n) => `${n.kind} ${n.instanceId}`).sort()).toEqual([
      'rebalance-recommendation i-2', 'scheduled-change i-3', 'spot-interruption i-1', 'state-change i-4',
    ]);
    expect(queue.stats).toMatchObject({ received: 4, handled: 4, unknown: 0, failed: 0 });
    expect(await messagesLeft(url)).toBe(0);
  });

  it('counts, reports and deletes a message it does not understand, and acts on nothing', async () => {
    const url = await queueWith(['{"source":"aws.s3"}']);
    const warnings: string[] = [];
    let handled = 0;
    const queue = new InterruptionQueue({ sqs: server().sqs, queueUrl: url, waitSeconds: 1, handle: async () => void handled++, warn: (l) => void warnings.push(l) });
    await drain(queue, 1);
    expect(queue.stats).toMatchObject({ received: 1, unknown: 1, handled: 0 });
    expect(handled).toBe(0);
    expect(warnings.join('\n')).toMatch(/ignored message .*not an EventBridge event/);
    expect(await messagesLeft(url)).toBe(0);
  });

  it('keeps a message whose handling failed on the queue for another try', async () => {
    const url = await queueWith([spotWarning('i-1')]);
    const queue = new InterruptionQueue({ sqs: server().sqs, queueUrl: url, waitSeconds: 1, handle: () => Promise.reject(new Error('API down')), warn: () => {} });
    await drain(queue, 1);
    expect(queue.stats).toMatchObject({ received: 1, failed: 1, handled: 0 });
    expect(await messagesLeft(url)).toBe(1);
  });

  it('tells the interruption controller the node name of a run\'s interrupted instance, and ignores other instances', async () => {
    const cloud = await awsProvider(server().moto.ec2(), 'run-1');
    await cloud.create(contractRequest('n-1', { capacityType: 'spot' }));
    const instanceId = await cloud.instanceId('n-1');
    const url = await queueWith([spotWarning(instanceId ?? 'missing'), spotWarning('i-0000000000000000f')]);
    const calls: string[] = [];
    const handle = notifyController((id) => cloud.nameOfInstance(id), { handle: async (name, kind) => void calls.push(`${name} ${kind}`) });
    const queue = new InterruptionQueue({ sqs: server().sqs, queueUrl: url, waitSeconds: 1, handle, warn: () => {} });
    await drain(queue, 2);
    expect(calls).toEqual(['n-1 spot-interruption']);
  });
});
