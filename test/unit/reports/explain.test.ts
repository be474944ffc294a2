import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DisruptionBlocked, RunEvent } from '../../../provisioner/runtime/events.js';
import { main } from '../../../harness/runner/cli.js';
import { log, runOf } from '../../support/event-log.js';
import { saveRunDir } from '../../support/report-run-dir.js';
import { tempDirs } from '../../support/temp-dirs.js';

const tempDir = tempDirs('burstlab-explain-');

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, signal: new AbortController().signal };
  return main(args, io).then((code) => ({ code, out, err }));
}

const saved = (events: RunEvent[]): string => saveRunDir(join(tempDir(), 'run'), runOf(events));

/** A node under-used from 10:01, blocked every 30 s for 5 minutes by `blockedBy`, never consolidated. */
function blockedNode(blockedBy: DisruptionBlocked['blockedBy'], detail: string): RunEvent[] {
  return log()
    .node('ip-10-0-1-7', 0, { type: 'm5.xlarge' })
    .node('ip-10-0-1-8', 0)
    .pod('web-1', 'web', 0, { on: 'ip-10-0-1-7', readyAt: 0 })
    .blockedEvery('ip-10-0-1-7', 60, 330, 30, blockedBy, detail)
    .end(600);
}

describe('burstlab explain', () => {
  const cases: Array<[DisruptionBlocked['blockedBy'], string, string]> = [
    ['budget', 'nodes: 10% = 1 node, already disrupting 1', 'blocked by a disruption budget'],
    ['do-not-disrupt-pod', 'pod web-1 has karpenter.sh/do-not-disrupt', 'blocked by a pod with karpenter.sh/do-not-disrupt'],
    ['pdb', 'web-pdb: minAvailable 2, 2 available', 'blocked by a PodDisruptionBudget'],
    ['pods-do-not-fit', 'web-1 needs 500m CPU, the most free is 200m', 'blocked because its pods would not fit elsewhere'],
    ['no-cheaper-replacement', 'cheapest replacement t3.large $0.0832/h vs $0.192/h... after pods', 'blocked because no replacement was cheaper'],
    ['spot-to-spot', '4 cheaper spot types, 15 needed', 'blocked by the spot-to-spot rule (too few cheaper Spot types)'],
    ['balanced-score', 'score 0.42 < 0.50 (k = 2)', 'blocked by the Balanced policy (the savings were not worth the disruption)'],
    ['spot-to-spot-disabled', 'the SpotToSpotConsolidation feature gate is off', 'blocked because the SpotToSpotConsolidation feature gate is off (a Spot node is not replaced by Spot)'],
    ['consolidate-after', 'under-used since 10:00:30, consolidateAfter 10m', 'blocked because it was still within consolidateAfter'],
    ['do-not-disrupt-node', "NodePool default's template sets karpenter.sh/do-not-disrupt", "blocked by the node's karpenter.sh/do-not-disrupt"],
    ['validation-failed', 'default-0002 is no longer a disruption candidate after 15 s', 'blocked because the decision failed its re-validation'],
  ];
  for (const [blockedBy, detail, words] of cases) {
    it(`names ${blockedBy} as what kept a node from being consolidated, with its detail, rounds and times`, async () => {
      const r = await cli(['explain', saved(blockedNode(blockedBy, detail))]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`node ip-10-0-1-7 (m5.xlarge, pool default) was not consolidated: 10 rounds ${words} (${detail}) from 10:01:00 to 10:05:30`);
    });
  }

  it('tells the blocked spans of one node in order, each with its own count', async () => {
    const events = log()
      .node('n1', 0)
      .blockedEvery('n1', 60, 120, 30, 'budget', 'nodes: 10% = 1 node, already disrupting 1')
      .blockedEvery('n1', 150, 180, 30, 'pods-do-not-fit', 'web-1 needs 500m')
      .end(600);
    const r = await cli(['explain', saved(events)]);
    expect(r.out).toContain('3 rounds blocked by a disruption budget (nodes: 10% = 1 node, already disrupting 1) from 10:01:00 to 10:02:00, then 2 rounds blocked because its pods would not fit elsewhere (web-1 needs 500m) from 10:02:30 to 10:03:00');
  });

  it('lists decisions in time order with method, reason, nodes, replacement, savings and pods', async () => {
    const events = log()
      .node('n1', 0)
      .node('n2', 0)
      .node('n3', 0)
      .decided(300, { nodes: ['n3'], replacements: ['default-x1'], replacementTypes: ['t3.medium', 't3a.medium'], savingsPerHour: 0.0544, pods: 3 })
      .decided(120, { method: 'emptiness', reason: 'Empty', nodes: ['n1', 'n2'], savingsPerHour: 0.192 })
      .end(600);
    const out = (await cli(['explain', saved(events)])).out;
    const empty = out.indexOf('10:02:00  emptiness (Empty): n1, n2 deleted; saves $0.19/h; 0 pods evicted');
    const replaced = out.indexOf('10:05:00  single-node-consolidation (Underutilized): n3 → replaced by 1 node (t3.medium | t3a.medium); saves $0.05/h; 3 pods evicted');
    expect(empty).toBeGreaterThan(0);
    expect(replaced).toBeGreaterThan(empty);
  });

  it('names the drift reason of a drift decision, such as an instance type the cloud no longer offers', async () => {
    const events = log().node('n1', 0).decided(120, { method: 'drift', reason: 'Drifted', driftReason: 'InstanceTypeNotFound', nodes: ['n1'], replacements: ['default-x1'], replacementTypes: ['m5.xlarge'], pods: 2 }).end(600);
    const out = (await cli(['explain', saved(events)])).out;
    expect(out).toContain('10:02:00  drift (Drifted: InstanceTypeNotFound): n1 → replaced by 1 node (m5.xlarge); 2 pods evicted');
  });

  it('lists only nodes never disrupted, and counts those blocked then disrupted', async () => {
    const events = log().node('n1', 0).node('n2', 0).blocked('n1', 60, 'budget').blocked('n2', 60, 'budget').decided(90, { nodes: ['n2'] }).end(600);
    const out = (await cli(['explain', saved(events)])).out;
    expect(out).toContain('node n1 (m5.large, pool default) was not consolidated');
    expect(out).not.toContain('node n2 (m5.large, pool default) was not');
    expect(out).toContain('1 other node was blocked for a while and disrupted later');
  });

  it('with --node tells that node alone: its blocks, the decision naming it, its PDB-refused evictions and its end', async () => {
    const events = log()
      .node('n1', 0)
      .node('n2', 0)
      .pod('web-1', 'web', 0, { on: 'n2', readyAt: 0 })
      .blocked('n1', 60, 'budget')
      .blockedEvery('n2', 60, 90, 30, 'consolidate-after', 'under-used for 1m of 2m')
      .decided(150, { nodes: ['n2'], pods: 1 })
      .evictionBlocked('web-1', 'n2', 151, 'web-pdb')
      .evictionBlocked('web-1', 'n2', 161, 'web-pdb')
      .disrupted('web-1', 171, 'Underutilized')
      .terminated('n2', 172)
      .end(600);
    const out = (await cli(['explain', saved(events), '--node', 'n2'])).out;
    expect(out).toContain('10:01:00  not consolidated: 2 rounds blocked because it was still within consolidateAfter (under-used for 1m of 2m) from 10:01:00 to 10:01:30');
    expect(out).toContain('10:02:30  single-node-consolidation (Underutilized): n2 deleted; 1 pod evicted');
    expect(out).toContain('10:02:31  2 evictions refused by PodDisruptionBudget web-pdb until 10:02:41');
    expect(out).toContain('10:02:52  terminated');
    expect(out).not.toContain('n1');
  });

  it('with --arm explains that arm only', async () => {
    const events = [...log('karpenter').node('k1', 0).blocked('k1', 60, 'budget').end(600), ...log('other').node('o1', 0).blocked('o1', 60, 'pdb').end(600)].sort((a, b) => a.t - b.t);
    const out = (await cli(['explain', saved(events), '--arm', 'other'])).out;
    expect(out).toContain('node o1');
    expect(out).not.toContain('node k1');
  });

  it('says an arm logged no disruption events instead of printing nothing', async () => {
    const r = await cli(['explain', saved(log('cluster-autoscaler', 'cluster-autoscaler').node('n1', 0).end(600))]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('cluster-autoscaler (cluster-autoscaler): no disruption events in its log');
  });

  it('exits 2 for an unknown node, suggesting the closest node name', async () => {
    const r = await cli(['explain', saved(blockedNode('budget', '')), '--node', 'ip-10-0-1-9']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown node 'ip-10-0-1-9'");
    expect(r.err).toMatch(/did you mean ip-10-0-1-[78]\?/);
    expect(r.out).toBe('');
  });

  it('exits 2 for an unknown arm, naming the arms', async () => {
    const r = await cli(['explain', saved(blockedNode('budget', '')), '--arm', 'karpentr']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('did you mean karpenter?; arms: karpenter');
  });

  it('exits 2 for a directory that is not a run', async () => {
    const r = await cli(['explain', '/nonexistent/run']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('run directory not found: /nonexistent/run');
  });

  it('reads a run saved before the disruption metric existed, and verify still recomputes it from the log', async () => {
    const dir = saved(blockedNode('budget', 'nodes: 10%'));
    const file = join(dir, 'results.json');
    const old = JSON.parse(readFileSync(file, 'utf8'));
    delete old.definitions.disruptionImpact;
    for (const a of old.autoscalers) delete a.disruption;
    writeFileSync(file, JSON.stringify(old));
    expect((await cli(['explain', dir])).out).toContain('10 rounds blocked by a disruption budget');
    const verify = await cli(['verify', dir]);
    expect(verify.err).toContain('disruption.blocked.total: results.json says 0, the events give 10');
  });

  it('is listed in the help', async () => {
    expect((await cli(['help'])).out).toMatch(/explain\s+why nodes were disrupted/);
  });
});
