/**
 * Raising cloud notices from a test: `spotWarningAt('5m')` sends a Spot interruption warning to the busiest node at
 * five minutes, with EC2's two-minute deadline; `simulate` plays one arm with them and returns its events.
 */
import { Catalog } from '../../provisioner/catalog/catalog.js';
import type { StateNode } from '../../provisioner/state/state-node.js';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { simulateArm, type ScheduledNotice } from '../../harness/sim/simulation.js';
import { parseDuration } from '../../scenarios/schema/units.js';
import type { Scenario } from '../../scenarios/schema/scenario.js';

/** The node running the most pods, the first by name among equals: the one whose loss hurts. */
export function busiestNode(nodes: readonly StateNode[]): StateNode | undefined {
  return [...nodes].sort((a, b) => b.pods.size - a.pods.size || (a.name < b.name ? -1 : 1))[0];
}

function ms(d: string): number {
  const v = parseDuration(d);
  if (v === null) throw new Error(`not a duration: ${d}`);
  return v;
}

export function spotWarningAt(at: string, options: { warning?: string; pick?: ScheduledNotice['pick'] } = {}): ScheduledNotice {
  return { at: ms(at), kind: 'spot-interruption', pick: options.pick ?? busiestNode, deadlineMs: ms(options.warning ?? '2m') };
}

export function noticeAt(at: string, kind: ScheduledNotice['kind'], deadline?: string): ScheduledNotice {
  return { at: ms(at), kind, pick: busiestNode, ...(deadline === undefined ? {} : { deadlineMs: ms(deadline) }) };
}

/** Plays the scenario's arm named `arm` on the sim with the notices, and returns its events. */
export async function simulate(s: Scenario, arm: string, notices: readonly ScheduledNotice[] = []): Promise<RunEvent[]> {
  const spec = s.autoscalers.find((a) => a.name === arm);
  if (!spec) throw new Error(`no arm ${arm}`);
  const catalog = new Catalog({ region: s.cluster.region, zones: s.cluster.zones });
  return (await simulateArm(s, spec, catalog, { notices })).events;
}
