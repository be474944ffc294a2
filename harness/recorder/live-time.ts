/**
 * Timing of live events. Kubernetes stamps objects in RFC 3339 with whole seconds (creationTimestamp, condition
 * lastTransitionTime, deletionTimestamp): the instant something happened lies in [stamp, stamp + 1 s). The watch
 * sees it some milliseconds later. So an event's time is the watch time when that falls inside the API's second
 * (millisecond precision, late by the watch latency only), and otherwise the nearest instant of that second: when
 * the watch saw it late (the recorder started after the fact, or a relist), the API's second bounds the error to
 * under 1 s; when the watch time is before the stamp (clock skew), the stamp wins.
 */
export type ApiTime = Date | string | undefined | null;

/** Milliseconds since the run's epoch for an API timestamp, or undefined when it is absent or unparsable. */
export function apiMs(stamp: ApiTime, epochMs: number): number | undefined {
  if (stamp === undefined || stamp === null) return undefined;
  const ms = stamp instanceof Date ? stamp.getTime() : Date.parse(stamp);
  return Number.isFinite(ms) ? ms - epochMs : undefined;
}

/** The watch time clamped into the second the API reports; the watch time alone when the API has no stamp. */
export function eventTime(watchMs: number, apiMsValue: number | undefined): number {
  if (apiMsValue === undefined) return Math.round(watchMs);
  const floor = Math.floor(apiMsValue / 1000) * 1000;
  return Math.round(Math.min(Math.max(watchMs, floor), floor + 999));
}
