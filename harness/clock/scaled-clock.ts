import type { Clock, Timer } from '../../provisioner/runtime/clock.js';

/** `clock` with time running `factor` times as fast: now() multiplied by it, delays divided by it. */
export function scaledClock(clock: Clock, factor: number): Clock {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError(`a clock's speed factor must be positive and finite, got ${factor}`);
  return {
    now: () => clock.now() * factor,
    setTimer: (delayMs: number, fn: () => void): Timer => clock.setTimer(delayMs / factor, fn),
  };
}

/**
 * A live run's scenario clock: with `--speed N` one wall millisecond is N scenario milliseconds.
 */
export function scenarioClockOf(wallClock: Clock, speed: number): Clock {
  if (!(speed >= 1)) throw new RangeError(`speed must be at least 1, got ${speed}`);
  return scaledClock(wallClock, speed);
}

/**
 * Wall time seen through a live run's scenario clock: what happens in real time (an HTTP request's latency, a
 * timeout) is timed with it, on the same time source as the run.
 */
export function wallClockOf(scenarioClock: Clock, speed: number): Clock {
  if (!(speed >= 1)) throw new RangeError(`speed must be at least 1, got ${speed}`);
  return scaledClock(scenarioClock, 1 / speed);
}
