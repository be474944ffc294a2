import type { RunEvent } from '../recorder/events.js';
import { quantilesOfMs } from './quantiles.js';
import type { PodToReady } from './results.js';
import { splitOf, timelines, type NodeTimeline, type PodTimeline } from './pod-timeline.js';

/** Pod-to-ready (Ready − creation) over the pods that became Ready, with its split, for one arm of the log. */
export function podToReady(events: readonly RunEvent[], autoscaler: string): PodToReady {
  const { pods, nodes } = timelines(events, autoscaler);
  return podToReadyOf(pods.values(), nodes);
}

export function podToReadyOf(pods: Iterable<PodTimeline>, nodes: ReadonlyMap<string, NodeTimeline>): PodToReady {
  const total: number[] = [];
  const waiting: number[] = [];
  const scheduling: number[] = [];
  const startup: number[] = [];
  for (const p of pods) {
    const s = splitOf(p, nodes);
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
