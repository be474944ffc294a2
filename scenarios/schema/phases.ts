import type { ParsedScenario, TrafficSpec } from './scenario-schema.js';
import type { Phase } from './scenario.js';

/**
 * The phases a scenario is reported by: its own list if it gives one, otherwise those of its first market-open
 * profile (before the open, the spike, the plateau, the close, after hours), otherwise the whole run as one phase.
 */
export function derivePhases(parsed: ParsedScenario): Phase[] {
  if (parsed.phases) return parsed.phases.map((p) => ({ name: p.name, startMs: p.start, endMs: p.end }));
  const market = parsed.traffic.find((t): t is Extract<TrafficSpec, { profile: 'market-open' }> => t.profile === 'market-open');
  if (!market) return [{ name: 'whole run', startMs: 0, endMs: parsed.duration }];
  const spikeEnd = market.open + market.spikeWindow;
  const closeStart = Math.max(spikeEnd, market.close - market.closeWindow);
  const candidates: Phase[] = [
    { name: 'before the open', startMs: 0, endMs: market.open },
    { name: 'the spike', startMs: market.open, endMs: spikeEnd },
    { name: 'the plateau', startMs: spikeEnd, endMs: closeStart },
    { name: 'the close', startMs: closeStart, endMs: market.close },
    { name: 'after hours', startMs: market.close, endMs: parsed.duration },
  ];
  return candidates
    .map((p) => ({ ...p, endMs: Math.min(p.endMs, parsed.duration) }))
    .filter((p) => p.endMs > p.startMs);
}
