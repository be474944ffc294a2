import type { TrafficSpec } from '../../scenarios/schema/scenario-schema.js';

/**
 * Offered load in requests per second at time `t` (ms since the scenario start), before noise. Pure: the same
 * profile gives the same curve on every target, and reports can redraw it.
 */
export function rpsAt(spec: TrafficSpec, t: number): number {
  switch (spec.profile) {
    case 'constant':
      return spec.rps;
    case 'ramp':
      if (t <= spec.start) return spec.from;
      if (t >= spec.end) return spec.to;
      return spec.from + ((spec.to - spec.from) * (t - spec.start)) / (spec.end - spec.start);
    case 'step':
      return t < spec.at ? spec.from : spec.to;
    case 'spike':
      return spike(spec, t);
    case 'market-open':
      return marketDay(spec, t);
  }
}

function spike(s: Extract<TrafficSpec, { profile: 'spike' }>, t: number): number {
  const rel = t - s.at;
  if (rel < 0) return s.base;
  if (rel < s.rise) return s.base + ((s.peak - s.base) * rel) / s.rise;
  if (rel < s.rise + s.hold) return s.peak;
  const down = rel - s.rise - s.hold;
  if (down < s.decay) return s.peak - ((s.peak - s.base) * down) / s.decay;
  return s.base;
}

/** The share of a spike window spent rising: the open's surge reaches its peak within minutes. */
const RISE_SHARE = 0.1;

/**
 * A trading day, after the Upstox case (seeds): a trough off-hours, a ramp as users log in before the open, an
 * exponential jump at the open to the peak within the first tenth of the spike window, an exponential settle to the
 * midday plateau by the window's end, a surge that builds toward the close, then an exponential fall back to the
 * off-hours trough.
 */
function marketDay(s: Extract<TrafficSpec, { profile: 'market-open' }>, t: number): number {
  const preStart = s.open - s.preOpenWindow;
  const spikeEnd = s.open + s.spikeWindow;
  const closeStart = Math.max(spikeEnd, s.close - s.closeWindow);
  if (t < preStart) return s.offHours;
  if (t < s.open) return s.offHours + ((s.preOpen - s.offHours) * (t - preStart)) / s.preOpenWindow;
  if (t < spikeEnd) {
    const x = (t - s.open) / s.spikeWindow;
    const from = Math.max(1, s.preOpen);
    if (x < RISE_SHARE) return from * Math.pow(s.peak / from, x / RISE_SHARE);
    return s.plateau + (s.peak - s.plateau) * Math.exp((-5 * (x - RISE_SHARE)) / (1 - RISE_SHARE));
  }
  if (t < closeStart) return s.plateau;
  if (t < s.close) {
    const x = (t - closeStart) / Math.max(1, s.close - closeStart);
    return s.plateau + (s.closeSurge - s.plateau) * x * x;
  }
  if (s.afterCloseWindow <= 0) return s.offHours;
  const after = (t - s.close) / s.afterCloseWindow;
  return s.offHours + (s.closeSurge - s.offHours) * Math.exp(-5 * after);
}
