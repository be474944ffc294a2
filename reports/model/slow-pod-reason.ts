/** One sentence on why a pod was slow: what it waited for, and when that node was launched and became Ready. */
import type { SlowPod } from '../../harness/metrics/results.js';
import { formatDuration } from '../format.js';

export function explainSlowPod(p: SlowPod, clock: (tS: number) => string): string {
  if (p.readyS === null) return p.node ? `never became Ready (bound to ${p.node})` : 'never became Ready: no node was found for it';
  const node = p.node ? `${p.node}${p.instanceType ? ` (${p.instanceType})` : ''}` : 'a node';
  const launched = p.nodeLaunchedS !== null ? `, launched ${clock(p.nodeLaunchedS)}` : '';
  const ready = p.nodeReadyS !== null ? `, Ready ${clock(p.nodeReadyS)}` : '';
  if (p.dominantPhase === 'waited for a node' && p.nodeReadyS !== null) {
    return `waited ${formatDuration(Math.max(0, p.nodeReadyS - p.createdS))} for ${node}${launched}${ready}`;
  }
  return `${p.dominantPhase} dominated, on ${node}${launched}${ready}`;
}
