import type { Clock, Timer } from '../runtime/clock.js';

/**
 * Karpenter's batching window: the first trigger opens a batch; it closes after `idleMs` without a new trigger or
 * `maxMs` after it opened, whichever is first, and then `flush` runs once for everything that arrived. An
 * asynchronous flush's promise goes to the clock, which owns it (provisioner/runtime/clock.ts).
 */
export class Batcher {
  private openedAt: number | null = null;
  private timer: Timer | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly maxMs: number,
    private readonly flush: () => unknown,
  ) {}

  trigger(): void {
    const now = this.clock.now();
    if (this.openedAt === null) this.openedAt = now;
    this.timer?.cancel();
    const closeAt = Math.min(now + this.idleMs, this.openedAt + this.maxMs);
    this.timer = this.clock.setTimer(closeAt - now, () => {
      this.openedAt = null;
      this.timer = null;
      return this.flush();
    });
  }
}
