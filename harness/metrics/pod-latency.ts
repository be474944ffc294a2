import type { RunEvent } from '../../provisioner/runtime/events.js';
import { quantilesOfMs } from './quantiles.js';
import type { PodToReady, PodWaits } from './results.js';
import { measuredPods, outcomeOf, splitOf, timelines, type NodeTimeline, type PodTimeline } from './pod-timeline.js';

/**
 * Pod-to-ready (Ready − creation) with its split, for the measured pods of one arm of the log, as results.json has
 * it. No pod is left out: one deleted or preempted before it was Ready counts with its wait until the deletion, one
 * still not Ready when the log ends with its wait so far, so giving pods up or leaving them stuck can only make the
 * quantiles worse.
 */
export function podToReady(events: readonly RunEvent[], autoscaler: string): PodToReady {
  const { pods, nodes } = timelines(events, autoscaler);
  let end = 0;
  for (const e of events) if (e.autoscaler === autoscaler) end = Math.max(end, e.t);
  return podToReadyOf(measuredPods(events, autoscaler, pods), nodes, end);
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

/**
 * Pod-to-ready of the pods that became Ready and, apart, the wait of those given up before it: whether pods given up
 * flatter an arm depends on how long they had waited compared to the ones that made it.
 */
export function podWaitsOf(pods: Iterable<PodTimeline>, nodes: ReadonlyMap<string, NodeTimeline>, end: number): PodWaits {
  const ready: number[] = [];
  const abandoned: number[] = [];
  for (const p of pods) {
    const o = outcomeOf(p);
    if (o === 'never-ready') continue;
    const s = splitOf(p, nodes, end);
    if (s) (o === 'ready' ? ready : abandoned).push(s.total);
  }
  return { readyWait: quantilesOfMs(ready), abandonedWait: quantilesOfMs(abandoned) };
}
