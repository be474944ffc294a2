import { describe, expect, it } from 'vitest';
import { Random } from '../../../provisioner/runtime/random.js';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { WallClock } from '../../../harness/clock/wall-clock.js';
import { Batcher } from '../../../provisioner/provisioning/batcher.js';

describe('the virtual clock', () => {
  it('fires timers in time order, and same-instant timers in the order they were set', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push('b'));
    clock.setTimer(10, () => fired.push('a1'));
    clock.setTimer(10, () => fired.push('a2'));
    clock.advance(30);
    expect(fired).toEqual(['a1', 'a2', 'b']);
  });

  it('does not fire a cancelled timer', () => {
    const clock = new VirtualClock();
    let fired = false;
    clock.setTimer(5, () => (fired = true)).cancel();
    clock.advance(10);
    expect(fired).toBe(false);
  });

  it('orders a timer cancelled and set again for the same instant after every timer set before it', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer(10, () => fired.push('other'));
    clock.setTimer(10, () => fired.push('first try')).cancel();
    clock.setTimer(10, () => fired.push('re-armed'));
    clock.setTimer(10, () => fired.push('later'));
    clock.advance(10);
    expect(fired).toEqual(['other', 're-armed', 'later']);
  });

  it('does not let a stale cancel stop the timer that took its place', () => {
    const clock = new VirtualClock();
    let fired = false;
    const stale = clock.setTimer(10, () => undefined);
    stale.cancel();
    clock.setTimer(10, () => (fired = true));
    stale.cancel();
    clock.advance(10);
    expect(fired).toBe(true);
  });

  it('stops at the horizon and leaves later timers queued', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimer(50, () => fired.push(clock.now()));
    clock.runUntil(40);
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(40);
    clock.runUntil(60);
    expect(fired).toEqual([50]);
  });
});

describe('the virtual clock run in slices', () => {
  /** Timers that set more timers at the same and later instants, as the simulator's do. */
  function busyClock(fired: string[]): VirtualClock {
    const clock = new VirtualClock();
    for (let i = 0; i < 20; i++) {
      clock.setTimer(i % 7, () => {
        fired.push(`t${i}@${clock.now()}`);
        clock.setTimer(i % 3, () => fired.push(`c${i}@${clock.now()}`));
      });
    }
    return clock;
  }

  it('fires the same timers in the same order as one uninterrupted run', () => {
    const whole: string[] = [];
    busyClock(whole).runUntil(100);
    const sliced: string[] = [];
    const clock = busyClock(sliced);
    let slices = 1;
    while (!clock.runUntil(100, 3)) slices++;
    expect(sliced).toEqual(whole);
    expect(slices).toBeGreaterThan(10);
    expect(clock.now()).toBe(100);
  });
});

describe('the virtual clock with asynchronous work', () => {
  it("runs a timer's async continuation at that timer's instant, before the next timer due then", async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    const answer = (): Promise<void> => {
      const p = Promise.resolve();
      clock.track(p);
      return p;
    };
    clock.setTimer(10, async () => {
      fired.push(`a@${clock.now()}`);
      await answer();
      fired.push(`a-continued@${clock.now()}`);
      await answer();
      fired.push(`a-again@${clock.now()}`);
    });
    clock.setTimer(10, () => fired.push(`b@${clock.now()}`));
    await clock.runUntilSettled(20);
    expect(fired).toEqual(['a@10', 'a-continued@10', 'a-again@10', 'b@10']);
  });

  it('fails the run with the rejection of a timer callback', async () => {
    const clock = new VirtualClock();
    clock.setTimer(5, async () => {
      await Promise.resolve();
      throw new Error('controller bug');
    });
    clock.setTimer(6, () => {
      throw new Error('must not fire after a failure');
    });
    await expect(clock.runUntilSettled(10)).rejects.toThrow('controller bug');
  });

  it('waits for an answer that arrives later on the clock, firing the timers in between', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer(1, async () => {
      const answer = new Promise<void>((resolve) => clock.setTimer(100, resolve));
      clock.track(answer);
      await answer;
      fired.push(`answered@${clock.now()}`);
    });
    clock.setTimer(50, () => fired.push(`between@${clock.now()}`));
    clock.setTimer(102, () => fired.push(`after@${clock.now()}`));
    await clock.runUntilSettled(200);
    expect(fired).toEqual(['between@50', 'answered@101', 'after@102']);
  });

  it('refuses to advance synchronously past asynchronous work', () => {
    const clock = new VirtualClock();
    clock.setTimer(1, async () => undefined);
    expect(() => clock.advance(10)).toThrow(/advanceSettled/);
  });
});

describe('the wall clock with asynchronous work', () => {
  it('hands the rejection of a timer callback to its error handler', async () => {
    const caught = new Promise<unknown>((resolve) => {
      const clock = new WallClock(0, resolve);
      clock.setTimer(0, async () => {
        await Promise.resolve();
        throw new Error('controller bug');
      });
    });
    expect(await caught).toMatchObject({ message: 'controller bug' });
  });
});

describe('the seeded random source', () => {
  it('replays the same sequence for the same seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect([a.next(), a.next(), a.next()]).toEqual([b.next(), b.next(), b.next()]);
  });

  it('gives independent streams per fork label', () => {
    const r = new Random(42);
    expect(r.fork('traffic').next()).not.toBe(r.fork('cloud').next());
    expect(new Random(42).fork('traffic').next()).toBe(new Random(42).fork('traffic').next());
  });
});

describe("Karpenter's batching window", () => {
  it('closes one idle period after the last pending pod', () => {
    const clock = new VirtualClock();
    const flushes: number[] = [];
    const batcher = new Batcher(clock, 1_000, 10_000, () => flushes.push(clock.now()));
    batcher.trigger();
    clock.advance(500);
    batcher.trigger();
    clock.advance(5_000);
    expect(flushes).toEqual([1_500]);
  });

  it('closes at the maximum window even while pods keep arriving', () => {
    const clock = new VirtualClock();
    const flushes: number[] = [];
    const batcher = new Batcher(clock, 1_000, 10_000, () => flushes.push(clock.now()));
    for (let t = 0; t < 15_000; t += 500) {
      batcher.trigger();
      clock.advance(500);
    }
    expect(flushes[0]).toBe(10_000);
  });
});
