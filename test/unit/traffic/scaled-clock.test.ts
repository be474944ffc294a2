import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../harness/clock/virtual-clock.js';
import { scenarioClockOf, wallClockOf } from '../../../harness/clock/scaled-clock.js';

describe('a live run\'s scenario and wall clocks', () => {
  it('runs scenario time speed times as fast as wall time', () => {
    const wall = new VirtualClock();
    const scenario = scenarioClockOf(wall, 10);
    let firedAt = -1;
    scenario.setTimer(5_000, () => (firedAt = wall.now()));
    wall.runUntil(500);
    expect(firedAt).toBe(500);
    expect(scenario.now()).toBe(5_000);
  });

  it('gives back wall time from the scenario clock', () => {
    const wall = new VirtualClock();
    const back = wallClockOf(scenarioClockOf(wall, 4), 4);
    wall.runUntil(1_234);
    expect(back.now()).toBe(1_234);
  });

  it('refuses a speed below 1', () => {
    expect(() => scenarioClockOf(new VirtualClock(), 0.5)).toThrow(/at least 1/);
  });
});
