/**
 * Explain, the disruption metric and the report's section on a real simulator run, parameterised over the disruption
 * events the run holds: every decision and every node blocked and never disrupted must be explained, and an arm
 * with none must say so. Until the sim emits disruption events this checks the empty case; once it does, the same
 * assertions cover what it emits.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DisruptionBlocked, DisruptionDecided, RunEvent } from '../../provisioner/runtime/events.js';
import { main } from '../../harness/runner/cli.js';
import { epochOffsetMinutes, formatClock } from '../../reports/format.js';
import { BLOCKER } from '../../reports/explain/explain-text.js';
import { renderReports } from '../../reports/index.js';
import { saveRunDir } from '../support/report-run-dir.js';
import { simRun, type SimRun } from '../support/report-runs.js';
import { tempDirs } from '../support/temp-dirs.js';

const tempDir = tempDirs('burstlab-explain-sim-');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, signal: new AbortController().signal };
  const code = await main(args, io);
  return { code, out, err };
}

const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const isDisruptionFact = (e: RunEvent): boolean =>
  e.type === 'disruption.decided' || e.type === 'disruption.blocked' || e.type === 'eviction.blocked' || e.type === 'node.interruption' || (e.type === 'pod.deleted' && e.cause !== undefined);

describe('disruption on a simulator run of the quickstart', () => {
  let run: SimRun;
  let dir: string;
  let clock: (tS: number) => string;

  beforeAll(async () => {
    run = await simRun('scenarios/quickstart.yaml');
    dir = saveRunDir(join(tempDir(), 'run'), run);
    const started = run.events.find((e) => e.type === 'run.started')!;
    const epoch = started.type === 'run.started' ? started.epoch : '';
    clock = (tS) => formatClock(Date.parse(epoch), epochOffsetMinutes(epoch), tS);
  }, 180_000);

  const armEvents = (arm: string): RunEvent[] => run.events.filter((e) => e.autoscaler === arm);

  it('explains every decision of every arm, at its time, with its method and reason', async () => {
    const r = await cli(['explain', dir]);
    expect(r.code).toBe(0);
    for (const a of run.results.autoscalers) {
      const decided = armEvents(a.name).filter((e): e is DisruptionDecided => e.type === 'disruption.decided');
      for (const d of decided) expect(r.out).toContain(`${clock(d.t / 1000)}  ${d.method} (${d.reason}${d.driftReason ? `: ${d.driftReason}` : ''}): ${d.nodes.join(', ')}`);
      if (!armEvents(a.name).some(isDisruptionFact)) expect(r.out).toContain(`${a.name} (${a.kind}): no disruption events in its log`);
    }
  });

  it('names what first blocked each node that was never disrupted', async () => {
    const r = await cli(['explain', dir]);
    for (const a of run.results.autoscalers) {
      const events = armEvents(a.name);
      const decidedNodes = new Set(events.flatMap((e) => (e.type === 'disruption.decided' ? e.nodes : [])));
      const firstBlock = new Map<string, DisruptionBlocked>();
      for (const e of events) if (e.type === 'disruption.blocked' && !firstBlock.has(e.node)) firstBlock.set(e.node, e);
      for (const [node, b] of firstBlock) {
        if (decidedNodes.has(node)) continue;
        expect(r.out).toMatch(new RegExp(`node ${literal(node)} .*was not [^:]+: \\d+ rounds? ${literal(BLOCKER[b.blockedBy])}`));
      }
    }
  });

  it('counts in results.json the decisions, blocked rounds and disrupted pods the log holds', () => {
    for (const a of run.results.autoscalers) {
      const events = armEvents(a.name);
      const measured = new Set(events.flatMap((e) => (e.type === 'pod.created' && e.priority >= 0 ? [e.pod] : [])));
      expect(a.disruption.decisions.total).toBe(events.filter((e) => e.type === 'disruption.decided').length);
      expect(a.disruption.blocked.total).toBe(events.filter((e) => e.type === 'disruption.blocked').length);
      expect(a.disruption.podsDisrupted.total).toBe(events.filter((e) => e.type === 'pod.deleted' && e.cause !== undefined && measured.has(e.pod)).length);
    }
  });

  it('shows the report section exactly when the log holds a disruption fact', () => {
    const { html, markdown } = renderReports(run.results, run.events, run.meta);
    const any = run.events.some(isDisruptionFact);
    expect(html.includes('<section id="disruption">')).toBe(any);
    expect(markdown.includes('### Disruption')).toBe(any);
  });

  it('tells one node story for every node the log names, and exits 2 for one it does not', async () => {
    const node = run.events.find((e) => e.type === 'node.launched');
    if (node?.type !== 'node.launched') throw new Error('the quickstart launched no node');
    const r = await cli(['explain', dir, '--node', node.node]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`node ${node.node} (${node.instanceType}, pool ${node.owner})`);
    expect(r.out).toContain(`${clock(node.t / 1000)}  launched`);
    const typo = await cli(['explain', dir, '--node', node.node + 'x']);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain(`did you mean ${node.node}?`);
  });
});
