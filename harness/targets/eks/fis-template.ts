import type { CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import { RUN_TAG, escapeTagValue } from './tags.js';

/**
 * An FIS experiment template as the chaos catalogue's translation produces it, before burstlab adds what makes it
 * safe to run: the stop condition, the run tag (over any tag of the same key) and the idempotency token.
 */
export type FisTemplate = Omit<CreateExperimentTemplateCommandInput, 'clientToken' | 'stopConditions'>;

/**
 * What stops the experiment besides its own end: a CloudWatch alarm the user names (FIS stops the experiment when
 * it fires), or burstlab's SLO guard, which calls StopExperiment itself when an SLO is breached for too long.
 */
export type StopCondition = { alarmArn: string } | { sloGuard: true };

export class UnsafeTemplateError extends Error {
  constructor(readonly problems: string[]) {
    super(`the FIS template is not safe to run:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'UnsafeTemplateError';
  }
}

const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/;

/**
 * The template as sent to CreateExperimentTemplate: every target scoped to the run (by the resources it names, or
 * by the run tag among its resource tags — never a filter or type alone, which would select every matching
 * resource in the account), a stop condition, and the run tag on the template (and, through FIS, its experiments).
 * Problems are all listed, none fixed silently.
 */
export function safeTemplateInput(runId: string, template: FisTemplate, stop: StopCondition, clientToken: string): CreateExperimentTemplateCommandInput {
  const runTag = escapeTagValue(RUN_TAG, runId);
  const problems: string[] = [];
  const targets = Object.entries(template.targets ?? {});
  const scoped: NonNullable<FisTemplate['targets']> = {};
  if (Object.keys(template.actions ?? {}).length === 0) problems.push('actions: the template has no action');
  for (const [name, target] of targets) {
    const byArn = (target.resourceArns ?? []).length > 0;
    // The run id as written, or as escaped on the resources: either way the target gets the value the resources carry.
    const tagged = target.resourceTags?.[RUN_TAG];
    const byRunTag = tagged === runTag || tagged === runId;
    scoped[name] = byRunTag ? { ...target, resourceTags: { ...target.resourceTags, [RUN_TAG]: runTag } } : target;
    if (!byArn && !byRunTag) {
      problems.push(`targets.${name}: selects by ${target.resourceTags ? 'tags without the run tag' : 'type or filters alone'}: name its resources, or add resourceTags {"${RUN_TAG}": "${runTag}"}`);
    }
    if (byArn && target.resourceTags) problems.push(`targets.${name}: names resources and tags both; FIS accepts one`);
  }
  if ('alarmArn' in stop && !ALARM_ARN.test(stop.alarmArn)) problems.push(`stop condition: ${JSON.stringify(stop.alarmArn)} is not a CloudWatch alarm ARN`);
  if (problems.length > 0) throw new UnsafeTemplateError(problems);
  return {
    ...template,
    ...(template.targets ? { targets: scoped } : {}),
    clientToken,
    stopConditions: 'alarmArn' in stop ? [{ source: 'aws:cloudwatch:alarm', value: stop.alarmArn }] : [{ source: 'none' }],
    tags: { ...template.tags, [RUN_TAG]: runTag },
  };
}
