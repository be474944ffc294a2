import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ListExperimentsCommand, ListExperimentTemplatesCommand, type FisClient } from '@aws-sdk/client-fis';
import { isEnding } from '../../harness/targets/eks/fis.js';
import { RUN_TAG, tagFilter } from '../../harness/targets/eks/tags.js';

/** The run's FIS templates, and its experiments neither finished nor stopping. */
export async function fisLeftovers(fis: FisClient, runId: string): Promise<{ templates: string[]; going: string[] }> {
  const templates = (await fis.send(new ListExperimentTemplatesCommand({}))).experimentTemplates ?? [];
  const experiments = (await fis.send(new ListExperimentsCommand({}))).experiments ?? [];
  return {
    templates: templates.filter((t) => t.tags?.[RUN_TAG] === runId).map((t) => t.id ?? '?'),
    going: experiments.filter((e) => e.tags?.[RUN_TAG] === runId && !isEnding(e.state?.status)).map((e) => e.id ?? '?'),
  };
}

/** The instances tagged with the run, by state. */
export async function statesOf(ec2: EC2Client, runId: string): Promise<Record<string, string>> {
  const out = await ec2.send(new DescribeInstancesCommand({ Filters: [tagFilter(RUN_TAG, runId)] }));
  const states: Record<string, string> = {};
  for (const r of out.Reservations ?? []) for (const i of r.Instances ?? []) states[i.InstanceId ?? '?'] = i.State?.Name ?? '?';
  return states;
}

/** True when none of the run's instances still runs (terminated, or on its way). */
export function allGone(states: Record<string, string>): boolean {
  return Object.values(states).every((s) => s === 'terminated' || s === 'shutting-down');
}

/**
 * Runs test/support/aws-launch-child.ts (in an EksSession marked in `stateDir` when given) and SIGKILLs it once it
 * has started its FIS experiment and launched `n` instances (or after 120 s: a loaded machine starts it slowly).
 */
export async function killMidLaunch(endpoint: string, runId: string, n: number, stateDir?: string): Promise<string[]> {
  const child = spawn(process.execPath, [
    '--import', new URL('./ts-worker-hooks/register.mjs', import.meta.url).pathname,
    new URL('./aws-launch-child.ts', import.meta.url).pathname, endpoint, runId, ...(stateDir ? [stateDir] : []),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let experiment = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const launched: string[] = [];
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('experiment ')) experiment = line;
      else launched.push(line);
      if (launched.length >= n) break;
    }
  } finally {
    child.kill('SIGKILL');
    clearTimeout(timer);
    await exited;
  }
  if (!experiment || launched.length < n) throw new Error(`the runner launched ${launched.length} of ${n} before it ended:\n${stderr}`);
  return launched;
}
