import { resolve } from 'node:path';
import { readRunDir } from '../../../reports/run-dir.js';
import { formatViolation } from '../../verify/violation.js';
import { verifyEvents, type VerifyReport } from '../../verify/verify.js';
import type { Command, CommandIO } from '../command.js';
import { parseCommandArgs } from '../args.js';
import { EXIT, UsageError } from '../errors.js';

/** Violations printed before the rest are only counted: the first ones say what broke. */
const SHOWN = 20;

const usage = `usage: burstlab verify <run-dir>

Re-checks a saved run from its events.jsonl alone, without the code that made it:
  at every bind     the node's allocatable less daemonsets holds its pods' requests (cpu, memory, pods, GPUs);
                    its labels meet the pod's nodeSelector and required node affinity; its taints are tolerated;
                    DoNotSchedule topology spread and required pod anti-affinity hold
  at every launch   each NodePool's live nodes stay within its limits; each node group within its max, and every
                    size it is scaled to within [min, max]
  results.json      cost >= lower bound for every arm, and every metric the log determines (pod-to-ready and its
                    quantiles, pod counts, cost, nodes, requests, SLO checks) is what the metrics code computes
                    from the log again

Exit codes: 0 every invariant holds, 1 a violation (the first ones printed, one line each: time, arm, pod or node,
rule, numbers), 2 missing or malformed run directory.
`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 're-check a saved run from its event log: placement, limits, cost bound, results',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { positionals } = parseCommandArgs('verify', args, {});
    if (positionals.length !== 1) throw new UsageError('verify needs exactly one run directory', 'usage: burstlab verify <run-dir>');
    const run = await readRunDir(resolve(positionals[0]!));
    const report = verifyEvents(run.events, run.results);
    io.stdout.write(summary(run.dir, report));
    if (report.violations.length === 0) return EXIT.ok;
    for (const v of report.violations.slice(0, SHOWN)) io.stderr.write(`violation: ${formatViolation(v)}\n`);
    if (report.violations.length > SHOWN) io.stderr.write(`... and ${report.violations.length - SHOWN} more\n`);
    return EXIT.sloFailed;
  },
};

function summary(dir: string, r: VerifyReport): string {
  const lines = [`verify ${dir}: ${r.violations.length === 0 ? 'every invariant holds' : `${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}`}`];
  for (const { arm, placement: p, capacity: c } of r.arms) {
    const parts = [
      `${p.binds} binds (${p.resourceChecks} against node room, ${p.selectorChecks} selector/affinity, ${p.taintChecks} taint, ${p.spreadChecks} spread, ${p.antiAffinityChecks} anti-affinity)`,
      `${c.launchChecks} launches against ${c.nodepools} NodePool${c.nodepools === 1 ? '' : 's'} and ${c.nodegroups} node group${c.nodegroups === 1 ? '' : 's'}, ${c.scaleChecks} group resizes`,
    ];
    lines.push(`  ${arm}: ${parts.join('; ')}`);
    if (p.withoutAllocatable > 0) lines.push(`    not checked: ${p.withoutAllocatable} binds to nodes the log gives no allocatable for`);
    if (c.undefinedOwner > 0) lines.push(`    not checked: ${c.undefinedOwner} launches by owners the log defines neither as a NodePool nor as a node group`);
    if (p.podsWithUnrecorded > 0) lines.push(`    not checked: constraints of ${p.podsWithUnrecorded} pods the recorder could not express (pod.created "unrecorded")`);
  }
  if (r.results) lines.push(`  results.json: cost >= lower bound per arm; ${r.results.valuesCompared} values recomputed from the events`);
  return lines.join('\n') + '\n';
}
