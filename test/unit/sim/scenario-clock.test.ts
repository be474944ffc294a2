import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScenarioClock } from '../../../harness/clock/scenario-clock.js';

describe('the scenario clock of a live run', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads negative time during the warm-up, t = 0 being the warm-up budget away', () => {
    const clock = new ScenarioClock(1, 60_000);
    vi.advanceTimersByTime(10_000);
    expect(clock.now()).toBe(-50_000);
  });

  it('starts the scenario at begin(), jumping forward to t = 0', () => {
    const clock = new ScenarioClock(1, 60_000);
    vi.advanceTimersByTime(10_000);
    clock.begin();
    expect(clock.now()).toBe(0);
    expect(clock.started).toBe(true);
  });

  it('tells N scenario seconds per wall second at speed N', () => {
    const clock = new ScenarioClock(10, 0);
    clock.begin();
    vi.advanceTimersByTime(1_500);
    expect(clock.now()).toBe(15_000);
  });

  it('fires a timer of N scenario ms after N / speed wall ms', () => {
    const clock = new ScenarioClock(4, 0);
    const fired = vi.fn();
    clock.setTimer(10_000, fired);
    vi.advanceTimersByTime(2_499);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('begins at a given epoch, so that a clock in another process reads the same scenario time as its parent', () => {
    const parent = new ScenarioClock(2, 60_000);
    const child = new ScenarioClock(2, 55_000);
    vi.advanceTimersByTime(10_000);
    parent.begin();
    child.begin(parent.epochMs);
    vi.advanceTimersByTime(3_000);
    expect(child.now()).toBe(parent.now());
  });

  it('tells a listener the epoch when the scenario begins', () => {
    const clock = new ScenarioClock(1, 60_000);
    const heard = vi.fn();
    clock.onBegin(heard);
    vi.advanceTimersByTime(10_000);
    clock.begin();
    expect(heard).toHaveBeenCalledExactlyOnceWith(1_010_000);
  });

  it('tells a listener added after the start the epoch at once', () => {
    const clock = new ScenarioClock(1, 0);
    clock.begin();
    const heard = vi.fn();
    clock.onBegin(heard);
    expect(heard).toHaveBeenCalledExactlyOnceWith(1_000_000);
  });

  it('refuses a speed below 1', () => {
    expect(() => new ScenarioClock(0.5, 0)).toThrow(RangeError);
  });
});
