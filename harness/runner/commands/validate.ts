import { loadScenario } from '../../../scenarios/load.js';
import type { Command, CommandIO } from '../command.js';
import { EXIT, UsageError } from '../errors.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check scenario files and list every problem with its path',
  usage: 'usage: burstlab validate <scenario.yaml> [...]\n\nExits 0 when every file is valid, 2 otherwise (each problem printed with its path).',
  async run(args: string[], io: CommandIO): Promise<number> {
    if (args.length === 0) throw new UsageError('validate takes one or more scenario files');
    for (const file of args) {
      const s = await loadScenario(file);
      io.stdout.write(`${file}: ok (${s.name}, ${s.autoscalers.length} arm(s), ${s.workloads.length} workload(s))\n`);
    }
    return EXIT.ok;
  },
};
