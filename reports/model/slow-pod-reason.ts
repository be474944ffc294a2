/**
 * Why a pod was slow, as a short headline ("waited 6 m 10 s for a node") and the evidence: which node, how long
 * after the pod the autoscaler launched it, and how long that node took to become Ready.
 */
import type { SlowPod } from '../../harness/metrics/results.js';
import { formatDuration } from '../format.js';

export interface SlowPodReason {
  headline: string;
  detail: string;
}

export function explainSlowPod(p: SlowPod, clock: (tS: number) => string): SlowPodReason {
  const node = p.node ? `${p.node}${p.instanceType ? ` (${p.instanceType})` : ''}` : null;
  const steps: string[] = [];
  if (p.nodeLaunchedS !== null) {
    const after = p.nodeLaunchedS - p.createdS;
    steps.push(after >= 0 ? `launched ${formatDuration(after)} after the pod was created` : `launched ${clock(p.nodeLaunchedS)}, before the pod`);
  }
  if (p.nodeReadyS !== null && p.nodeLaunchedS !== null) steps.push(`Ready ${formatDuration(p.nodeReadyS - p.nodeLaunchedS)} later (${clock(p.nodeReadyS)})`);
  const detail = [node, steps.join(', ')].filter(Boolean).join(': ');
  // A pod deleted before it was Ready: its phrase already says how far it got ('abandoned while waiting for a node').
  if (p.readyS === null && p.dominantPhase.startsWith('abandoned')) return { headline: `deleted without ever being Ready, ${p.dominantPhase}`, detail };
  if (p.readyS === null) return { headline: node ? 'never became Ready' : 'never became Ready: no node was found for it', detail };
  if (p.dominantPhase === 'waited for a node' && p.nodeReadyS !== null) {
    return { headline: `waited ${formatDuration(Math.max(0, p.nodeReadyS - p.createdS))} for a node`, detail };
  }
  return { headline: `mostly ${p.dominantPhase}`, detail };
}
