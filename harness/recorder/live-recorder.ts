import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { EventBody, RunEvent } from '../../provisioner/runtime/events.js';
import { nodeEvents, type NodeSeen } from './live-nodes.js';
import { podEvents, podKey, type PodSeen, type Timed } from './live-pods.js';
import type { Recorder } from '../../provisioner/runtime/recorder.js';

/** The clock a live recorder needs: time since the run's epoch, and the epoch to convert API timestamps with. */
export interface EpochClock {
  now(): number;
  readonly epochMs: number;
  /** Scenario seconds per wall second (a live run's --speed); 1 when absent. */
  readonly speed?: number;
}

/**
 * Turns pod and node watch events from a live cluster into the event log the sim writes (events.ts), so one
 * metrics code serves every target. Feed it every add, update and delete the informers deliver; other
 * components (chaos, traffic) emit through the same Recorder interface and are stamped with the clock.
 */
export class LiveRecorder implements Recorder {
  private readonly log: RunEvent[] = [];
  private readonly pods = new Map<string, PodSeen>();
  private readonly nodes = new Map<string, NodeSeen>();
  /** When each NodeClaim was reported created (claim.created), by claim name: the launch request of its node. */
  private readonly claimsCreated = new Map<string, number>();

  constructor(
    private readonly clock: EpochClock,
    private readonly autoscaler: string,
  ) {}

  emit(body: EventBody, atMs?: number): void {
    const t = atMs ?? this.clock.now();
    if (body.type === 'claim.created') this.claimsCreated.set(body.claim, t);
    this.push({ t, body });
  }

  /** `initial`: seen in the informers' first list, so it existed before recording started. */
  observePod(pod: V1Pod, gone = false, initial = false): void {
    const key = podKey(pod);
    let seen = this.pods.get(key);
    if (!seen) {
      seen = { created: false, unschedulable: false, scheduled: false, ready: false, deleted: false };
      this.pods.set(key, seen);
    }
    for (const e of podEvents(pod, seen, this.clock.now(), this.clock.epochMs, gone, initial, this.clock.speed)) this.push(e);
  }

  observeNode(node: V1Node, gone = false, initial = false): void {
    const key = node.metadata?.name ?? '';
    let seen = this.nodes.get(key);
    if (!seen) {
      seen = { launched: false, registered: false, ready: false, cordoned: false, terminated: false };
      this.nodes.set(key, seen);
    }
    for (const e of nodeEvents(node, seen, this.clock.now(), this.clock.epochMs, gone, initial, this.clock.speed)) this.push(e);
  }

  /**
   * The log in time order. Events arrive in watch order, and an API timestamp can place an event before one
   * recorded earlier; the sort is stable, so a pod's events keep their lifecycle order when times tie.
   */
  events(): RunEvent[] {
    return [...this.log].sort((a, b) => a.t - b.t);
  }

  private push(e: Timed): void {
    this.log.push({ t: Math.round(Math.min(e.t, this.claimCreated(e.body) ?? Infinity)), autoscaler: this.autoscaler, ...e.body } as RunEvent);
  }

  /**
   * A node launched for a NodeClaim was asked for when the claim was created: a controller burstlab does not drive
   * (upstream Karpenter's kwok provider) creates the Node only once it has booted. Its claim is the one its hostname
   * names (the kwok provider's naming; burstlab's live arms name node and claim alike).
   */
  private claimCreated(body: EventBody): number | undefined {
    if (body.type !== 'node.launched') return undefined;
    return this.claimsCreated.get(body.labels?.['kubernetes.io/hostname'] ?? body.node);
  }
}
