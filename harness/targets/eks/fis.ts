import {
  CreateExperimentTemplateCommand, DeleteExperimentTemplateCommand, GetExperimentCommand, ListExperimentsCommand,
  ListExperimentTemplatesCommand, StartExperimentCommand, type ListExperimentsCommandOutput, type ListExperimentTemplatesCommandOutput, StopExperimentCommand, type ExperimentStatus, type FisClient,
} from '@aws-sdk/client-fis';
import { createHash } from 'node:crypto';
import { safeTemplateInput, type FisTemplate, type StopCondition } from './fis-template.js';
import { RUN_TAG, escapeTagValue } from './tags.js';

/** States after which an experiment does nothing more. */
const FINISHED: ReadonlySet<string> = new Set<ExperimentStatus>(['completed', 'stopped', 'failed']);

export function isFinished(status: string | undefined): boolean {
  return status !== undefined && FINISHED.has(status);
}

/** Finished, or stopping: a stop was accepted and asking again changes nothing. */
export function isEnding(status: string | undefined): boolean {
  return status === 'stopping' || isFinished(status);
}

function token(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 64);
}

function isNotFound(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'ResourceNotFoundException';
}

/**
 * One fault of a run through FIS: its template is created (checked by safeTemplateInput), started, watched,
 * stopped and deleted. `key` names the fault within the run: the same key makes the same idempotency tokens, so a
 * retried call after a lost answer creates nothing twice.
 */
export class FisExperiment {
  private templateId: string | undefined;
  private experimentId: string | undefined;

  constructor(
    private readonly fis: FisClient,
    private readonly runId: string,
    private readonly key: string,
  ) {}

  /** Creates the template; throws UnsafeTemplateError, before any call, for a template not scoped to the run. */
  async create(template: FisTemplate, stop: StopCondition): Promise<string> {
    const input = safeTemplateInput(this.runId, template, stop, token(this.runId, this.key, 'template'));
    const out = await this.fis.send(new CreateExperimentTemplateCommand(input));
    const id = out.experimentTemplate?.id;
    if (!id) throw new Error('FIS created a template and returned no id');
    this.templateId = id;
    return id;
  }

  async start(): Promise<string> {
    if (!this.templateId) throw new Error('start before create: no experiment template');
    const out = await this.fis.send(new StartExperimentCommand({
      experimentTemplateId: this.templateId,
      clientToken: token(this.runId, this.key, 'experiment'),
      tags: { [RUN_TAG]: escapeTagValue(RUN_TAG, this.runId) },
    }));
    const id = out.experiment?.id;
    if (!id) throw new Error('FIS started an experiment and returned no id');
    this.experimentId = id;
    return id;
  }

  /** The experiment's state as FIS reports it (GetExperiment), with its reason. */
  async state(): Promise<{ status: string; reason: string }> {
    if (!this.experimentId) throw new Error('no experiment started');
    const out = await this.fis.send(new GetExperimentCommand({ id: this.experimentId }));
    return { status: out.experiment?.state?.status ?? 'unknown', reason: out.experiment?.state?.reason ?? '' };
  }

  /** Stops the experiment if it still runs; an experiment already finished or gone is left as it is. */
  async stop(): Promise<void> {
    if (this.experimentId) await stopExperiment(this.fis, this.experimentId);
  }

  /** Stops the experiment, then deletes the template: what a run does when it ends, however it ends. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.templateId) await deleteTemplate(this.fis, this.templateId);
    this.templateId = undefined;
  }
}

async function stopExperiment(fis: FisClient, id: string): Promise<boolean> {
  try {
    const now = await fis.send(new GetExperimentCommand({ id }));
    if (isEnding(now.experiment?.state?.status)) return false;
    await fis.send(new StopExperimentCommand({ id }));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function deleteTemplate(fis: FisClient, id: string): Promise<void> {
  try {
    await fis.send(new DeleteExperimentTemplateCommand({ id }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export interface FisCleanupReport {
  /** Experiments of the run that were still going and were stopped. */
  stopped: string[];
  /** Templates of the run that were deleted. */
  deleted: string[];
}

/**
 * Removes a run's FIS leftovers, found by the run tag alone: its experiments still going are stopped (those of its
 * templates too, whatever their own tags), then its templates deleted. Safe to repeat.
 */
export async function cleanupFis(fis: FisClient, runId: string): Promise<FisCleanupReport> {
  const runTag = escapeTagValue(RUN_TAG, runId);
  const templates: string[] = [];
  let next: string | undefined;
  do {
    const page: ListExperimentTemplatesCommandOutput = await fis.send(new ListExperimentTemplatesCommand({ nextToken: next }));
    for (const t of page.experimentTemplates ?? []) if (t.id && t.tags?.[RUN_TAG] === runTag) templates.push(t.id);
    next = page.nextToken;
  } while (next);
  const ours = new Set(templates);
  const experiments: string[] = [];
  next = undefined;
  do {
    const page: ListExperimentsCommandOutput = await fis.send(new ListExperimentsCommand({ nextToken: next }));
    for (const e of page.experiments ?? []) {
      if (!e.id || isEnding(e.state?.status)) continue;
      if (e.tags?.[RUN_TAG] === runTag || (e.experimentTemplateId && ours.has(e.experimentTemplateId))) experiments.push(e.id);
    }
    next = page.nextToken;
  } while (next);
  const stopped: string[] = [];
  for (const id of experiments.sort()) if (await stopExperiment(fis, id)) stopped.push(id);
  for (const id of templates) await deleteTemplate(fis, id);
  return { stopped, deleted: templates.sort() };
}
