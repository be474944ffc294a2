import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { InterruptionKind } from '../../../provisioner/interruption/actions.js';
import { parseInterruptionMessage, type InterruptionNotice } from './interruption-messages.js';

export interface InterruptionQueueOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Acts on one notice (resolves the instance to its node and hands it to the interruption controller). */
  handle(notice: InterruptionNotice): Promise<void>;
  /** How long one receive waits for a message (SQS long polling, at most 20 s). */
  waitSeconds?: number;
  /** A message that was not understood, or a notice whose handling failed: said, never silent. */
  warn(line: string): void;
}

export interface InterruptionQueueStats {
  received: number;
  /** Notices handled (a message may carry several). */
  handled: number;
  /** Known events that needed nothing. */
  noAction: number;
  /** Messages not understood: deleted, so they are not counted again on every redelivery. */
  unknown: number;
  /** Notices whose handling failed: their message is kept, and SQS delivers it again after its visibility timeout. */
  failed: number;
}

/**
 * Karpenter's interruption queue consumer: long-polls the SQS queue the EventBridge rules feed, parses each message,
 * hands its notices to `handle`, and deletes every message it is done with. A message whose handling failed stays
 * on the queue for another try.
 */
export class InterruptionQueue {
  readonly stats: InterruptionQueueStats = { received: 0, handled: 0, noAction: 0, unknown: 0, failed: 0 };

  constructor(private readonly options: InterruptionQueueOptions) {}

  /** Receives up to 10 messages (waiting up to `waitSeconds` for the first) and processes them; resolves with how many. */
  async pollOnce(signal?: AbortSignal): Promise<number> {
    const { sqs, queueUrl } = this.options;
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: this.options.waitSeconds ?? 20 }),
      { abortSignal: signal },
    );
    const messages = out.Messages ?? [];
    const done: Message[] = [];
    for (const m of messages) {
      this.stats.received++;
      if (await this.process(m)) done.push(m);
    }
    if (done.length > 0) {
      const deleted = await sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }));
      for (const f of deleted.Failed ?? []) this.options.warn(`interruption queue: could not delete message ${done[Number(f.Id)]?.MessageId ?? f.Id}: ${f.Code ?? ''} ${f.Message ?? ''}`);
    }
    return messages.length;
  }

  /** Polls until `signal` aborts; a failed receive is thrown (the caller decides whether the run goes on without it). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.pollOnce(signal);
      } catch (err) {
        if (signal.aborted) return;
        throw err;
      }
    }
  }

  /** True when the message can be deleted. */
  private async process(m: Message): Promise<boolean> {
    const parsed = parseInterruptionMessage(m.Body ?? '');
    if (parsed.kind === 'unknown') {
      this.stats.unknown++;
      this.options.warn(`interruption queue: ignored message ${m.MessageId ?? '?'}: ${parsed.reason}`);
      return true;
    }
    if (parsed.kind === 'no-action') {
      this.stats.noAction++;
      return true;
    }
    let ok = true;
    for (const notice of parsed.notices) {
      try {
        await this.options.handle(notice);
        this.stats.handled++;
      } catch (err) {
        ok = false;
        this.stats.failed++;
        this.options.warn(`interruption queue: ${notice.kind} for ${notice.instanceId} failed, the message stays queued: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return ok;
  }
}

/**
 * Hands a notice to the interruption controller under its node's name. An instance the run did not launch is not
 * its business (Karpenter ignores notices for instances outside its NodePools): nothing is done.
 */
export function notifyController(
  nameOf: (instanceId: string) => Promise<string | undefined>,
  controller: { handle(nodeName: string, kind: InterruptionKind): Promise<void> },
): (notice: InterruptionNotice) => Promise<void> {
  return async (notice) => {
    const name = await nameOf(notice.instanceId);
    if (name !== undefined) await controller.handle(name, notice.kind);
  };
}
