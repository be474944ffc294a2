/**
 * A node group scaled down for an empty node may launch a replacement while that node still drains: the ASG's
 * desired capacity drops as soon as Cluster Autoscaler deletes the instance. verify must count the group as the sim
 * and a real ASG do.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { executeScenario } from '../../harness/runner/execute.js';
import { formatViolation } from '../../harness/verify/violation.js';
import { verifyEvents } from '../../harness/verify/verify.js';
import { parseScenario } from '../../scenarios/load.js';

// quickstart, with web pinned to one zone, spread one per host and never disrupted: the group sits at its max of 60
// while Cluster Autoscaler removes an empty node and launches a replacement ten seconds later.
const PINNED_WEB = `    doNotDisrupt: true
    nodeSelector: { topology.kubernetes.io/zone: us-east-1b }
    topologySpread:
      - { topologyKey: kubernetes.io/hostname, maxSkew: 1, whenUnsatisfiable: DoNotSchedule }
`;
const ZONE_SPREAD = `    topologySpread:
      - { topologyKey: topology.kubernetes.io/zone, maxSkew: 1, whenUnsatisfiable: ScheduleAnyway }
`;

describe('a node group at its max that replaces a node it scaled down', () => {
  it('passes burstlab verify, the draining node no longer counting toward the group size', async () => {
    const quickstart = readFileSync('scenarios/quickstart.yaml', 'utf8');
    expect(quickstart).toContain(ZONE_SPREAD);
    const { events, results } = await executeScenario(parseScenario(quickstart.replace(ZONE_SPREAD, PINNED_WEB), 'pinned.yaml'));

    const ca = events.filter((e) => e.autoscaler === 'cluster-autoscaler');
    const scaledDown = ca.findIndex((e) => e.type === 'nodegroup.scaled' && e.from === 60 && e.to === 59);
    expect(scaledDown).toBeGreaterThanOrEqual(0);
    expect(ca.slice(scaledDown).some((e) => e.type === 'nodegroup.scaled' && e.from === 59 && e.to === 60)).toBe(true);

    const report = verifyEvents(events, results);
    expect(report.violations.map(formatViolation)).toEqual([]);
  }, 120_000);
});
