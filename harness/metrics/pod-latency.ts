import type { RunEvent } from '../recorder/events.js';
import { quantilesOfMs } from './quantiles.js';
import type { PodToReady } from './results.js';
import { splitOf, timelines, type NodeTimeline, type PodTimeline } from './pod-timeline.js';

/**
 * Pod-to-ready (Ready − creation) with its split, for one arm of the log. Pods still not Ready when the log ends
 * count with their wait so far; pods deleted before they were Ready are left out.
 */
export function podToReady(events: readonly RunEvent[], autoscaler: string): PodToReady {
  const { pods, nodes } = timelines(events, autoscaler);
  let end = 0;
  for (const e of events) if (e.autoscaler === autoscaler) end = Math.max(end, e.t);
  return podToReadyOf(pods.values(), nodes, end);
}

export function podToReadyOf(pods: Iterable<PodTimeline>, nodes: ReadonlyMap<string, NodeTimeline>, end?: number): PodToReady {
  const total: number[] = [];
  const waiting: number[] = [];
  const scheduling: number[] = [];
  const startup: number[] = [];
  for (const p of pods) {
    const s = splitOf(p, nodes, end);
    if (!s) continue;
    total.push(s.total);
    waiting.push(s.waitingForNode);
    scheduling.push(s.scheduling);
    startup.push(s.startup);
  }
  return {
    ...quantilesOfMs(total),
    split: { waitingForNode: quantilesOfMs(waiting), scheduling: quantilesOfMs(scheduling), startup: quantilesOfMs(startup) },
  };
}
