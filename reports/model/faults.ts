/** Fault and chaos events, to be marked on every time chart and listed with what they hit. */
import type { RunEvent } from '../../provisioner/runtime/events.js';

export interface FaultMarker {
  tS: number;
  fault: string;
  /** The arms it was injected into: one scenario fault usually hits every arm at the same instant. */
  arms: string[];
  targets: number;
  detail: string;
  /** The end of its widest impact window over the arms (results.json), for faults of the plan. */
  untilS?: number;
}

export function faultMarkers(events: readonly RunEvent[], arms: readonly string[]): FaultMarker[] {
  const byKey = new Map<string, FaultMarker>();
  for (const e of events) {
    if (e.type !== 'chaos.injected' || !arms.includes(e.autoscaler)) continue;
    const key = `${e.t}\u0000${e.fault}`;
    const m = byKey.get(key);
    if (m) {
      if (!m.arms.includes(e.autoscaler)) m.arms.push(e.autoscaler);
      m.targets += e.targets.length;
    } else {
      byKey.set(key, { tS: e.t / 1000, fault: e.fault, arms: [e.autoscaler], targets: e.targets.length, detail: e.detail });
    }
  }
  return [...byKey.values()].sort((a, b) => a.tS - b.tS);
}
