/**
 * Timing of live events. Kubernetes stamps objects in RFC 3339 with whole seconds (creationTimestamp, condition
 * lastTransitionTime, deletionTimestamp): the instant something happened lies in [stamp, stamp + 1 s). The watch
 * sees it some milliseconds later. So an event's time is the watch time when that falls inside the API's second
 * (millisecond precision, late by the watch latency only), and otherwise the nearest instant of that second: when
 * the watch saw it late (the recorder started after the fact, or a relist), the API's second bounds the error to
 * under 1 s; when the watch time is before the stamp (clock skew), the stamp wins. A stamp with milliseconds
 * (burstlab's own annotations) is taken as exact.
 */
export type ApiTime = Date | string | undefined | null;

/** Undefined when the stamp is absent or unparsable. */
export interface ApiWindow {
  from: number;
  to: number;
}

/**
 * The window an API timestamp allows, in scenario ms since the run's epoch: a live run compressed by `speed`
 * (scenario seconds per wall second) stretches wall time since the epoch by that factor.
 */
export function apiWindow(stamp: ApiTime, epochMs: number, speed = 1): ApiWindow | undefined {
  if (stamp === undefined || stamp === null) return undefined;
  const abs = stamp instanceof Date ? stamp.getTime() : Date.parse(stamp);
  if (!Number.isFinite(abs)) return undefined;
  const wholeSecond = abs % 1000 === 0;
  return { from: (abs - epochMs) * speed, to: (abs - epochMs + (wholeSecond ? 999 : 0)) * speed };
}

/** The watch time clamped into the API's window; the watch time alone when the API has no stamp. */
export function eventTime(watchMs: number, window: ApiWindow | undefined): number {
  if (window === undefined) return Math.round(watchMs);
  return Math.round(Math.min(Math.max(watchMs, window.from), window.to));
}
