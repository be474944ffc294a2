import { resolve } from 'node:path';
import { armNames, explainRun, nodeNames } from '../../../reports/explain/explain-model.js';
import { renderExplanation } from '../../../reports/explain/explain-text.js';
import { readRunDir } from '../../../reports/run-dir.js';
import type { Command, CommandIO } from '../command.js';
import { editDistance, parseCommandArgs } from '../args.js';
import { EXIT, UsageError } from '../errors.js';

const usage = `usage: burstlab explain <run-dir> [--node NAME] [--arm NAME]

Explains a saved run's disruptions from its events.jsonl alone:
  per arm, every disruption decision in time order (method, reason, the nodes, what replaced them, the hourly
  saving, the pods evicted), then every node a disruption method was blocked on and that was never disrupted, with
  what blocked it, for how many rounds and when ("was not consolidated: 14 rounds blocked by a disruption budget
  (...) from 10:32:00 to 10:45:00, then 3 rounds blocked because its pods would not fit elsewhere ...").
  A multi-seed run is explained from its first seed's log.

options:
  --node NAME   one node's story: launched, each blocked span, the decisions naming it, interruption notices,
                evictions a PodDisruptionBudget refused, terminated
  --arm NAME    only this autoscaler arm

Exit codes: 0 explained (also when there is nothing to explain), 2 missing or malformed run directory, unknown node
or arm.
`;

export const explainCommand: Command = {
  name: 'explain',
  summary: 'why nodes were disrupted, or not, in a saved run: decisions and what blocked each node',
  usage,
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs('explain', args, { node: { type: 'string' }, arm: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('explain needs exactly one run directory', 'usage: burstlab explain <run-dir> [--node NAME] [--arm NAME]');
    const run = await readRunDir(resolve(positionals[0]!));
    const arms = armNames(run.events).map((a) => a.name);
    if (values.arm !== undefined && !arms.includes(values.arm)) throw unknown('arm', values.arm, arms);
    const inScope = values.arm === undefined ? arms : [values.arm];
    if (values.node !== undefined) {
      const nodes = nodeNames(run.events, inScope);
      if (!nodes.includes(values.node)) throw unknown('node', values.node, nodes, values.arm);
    }
    const seed = run.aggregate ? `, seed ${run.aggregate.runs[0]!.seed} (the first of ${run.aggregate.runs.length})` : '';
    const heading = `explain ${run.dir}: scenario ${run.results.scenario.name}${seed}${values.node === undefined ? '' : `, node ${values.node}`}`;
    const explanation = explainRun(run.events, { ...(values.arm === undefined ? {} : { arm: values.arm }), ...(values.node === undefined ? {} : { node: values.node }) });
    io.stdout.write(renderExplanation(explanation, { heading, ...(values.node === undefined ? {} : { node: values.node }) }));
    return EXIT.ok;
  },
};

function unknown(what: 'node' | 'arm', name: string, known: readonly string[], arm?: string): UsageError {
  const where = arm === undefined ? 'the run' : `arm ${arm}`;
  if (known.length === 0) return new UsageError(`unknown ${what} '${name}': ${where} has no ${what}s`, `burstlab explain <run-dir> without --${what} lists what there is`);
  const closest = known.reduce((best, k) => (editDistance(name, k) < editDistance(name, best) ? k : best));
  const list = what === 'arm' ? `; arms: ${known.join(', ')}` : '';
  return new UsageError(`unknown ${what} '${name}' in ${where}`, `did you mean ${closest}?${list}`);
}
