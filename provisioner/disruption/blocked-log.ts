import type { DisruptionBlocked } from '../runtime/events.js';
import type { Recorder } from '../runtime/recorder.js';

export type Blocked = Omit<DisruptionBlocked, 't' | 'autoscaler' | 'type'>;

/**
 * Writes `disruption.blocked` without flooding the log: a node's event is written when it is first blocked, when its
 * blocking reason (or the reason it would be disrupted for) changes, and otherwise again every `repeatRounds` rounds
 * while it stays blocked. A node that stops being looked at (disrupted, gone, busy again) starts afresh; one that
 * a round did not reach (an earlier method won it) keeps its place.
 */
export class BlockedLog {
  private readonly last = new Map<string, { key: string; round: number }>();

  constructor(
    private readonly recorder: Recorder,
    private readonly repeatRounds: number,
  ) {}

  /** Logs this round's blocked nodes (in a deterministic order); `watched`: the nodes disruption still looks at. */
  round(round: number, blocked: readonly Blocked[], watched: ReadonlySet<string>): void {
    for (const b of blocked) {
      const key = `${b.reason}/${b.blockedBy}`;
      const prev = this.last.get(b.node);
      if (prev && prev.key === key && round - prev.round < this.repeatRounds) continue;
      this.last.set(b.node, { key, round });
      this.recorder.emit({ type: 'disruption.blocked', ...b });
    }
    for (const node of [...this.last.keys()]) if (!watched.has(node)) this.last.delete(node);
  }
}
