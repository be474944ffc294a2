import type { Clock, Timer } from '../../provisioner/runtime/clock.js';

/**
 * Wall time seen through a live run's scenario clock: with `--speed N` one wall millisecond is N scenario
 * milliseconds, so this clock's time and delays are the scenario clock's divided by N. What happens in real time
 * (an HTTP request's latency, a timeout) is timed with it, on the same time source as the run.
 */
export function wallClockOf(scenarioClock: Clock, speed: number): Clock {
  if (!(speed >= 1)) throw new RangeError(`speed must be at least 1, got ${speed}`);
  return {
    now: () => scenarioClock.now() / speed,
    setTimer: (delayMs: number, fn: () => void): Timer => scenarioClock.setTimer(delayMs * speed, fn),
  };
}
