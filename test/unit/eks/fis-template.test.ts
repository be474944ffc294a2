import { describe, expect, it } from 'vitest';
import { safeTemplateInput, UnsafeTemplateError } from '../../../harness/targets/eks/fis-template.js';
import { RUN_TAG } from '../../../harness/targets/eks/tags.js';
import { ALARM, spotInterruptionTemplate } from '../../support/fis-templates.js';

describe('an FIS template made safe to run', () => {
  it('carries the user\'s alarm as its stop condition and the run tag', () => {
    const input = safeTemplateInput('run-1', spotInterruptionTemplate('run-1'), { alarmArn: ALARM }, 'tok');
    expect(input.stopConditions).toEqual([{ source: 'aws:cloudwatch:alarm', value: ALARM }]);
    expect(input.tags).toEqual({ [RUN_TAG]: 'run-1' });
    expect(input.clientToken).toBe('tok');
  });

  it('leaves stopping to burstlab\'s SLO guard when no alarm is named', () => {
    expect(safeTemplateInput('run-1', spotInterruptionTemplate('run-1'), { sloGuard: true }, 'tok').stopConditions).toEqual([{ source: 'none' }]);
  });

  it('accepts a target that names its resources by ARN', () => {
    const t = spotInterruptionTemplate('run-1');
    t.targets = { nodes: { resourceType: 'aws:ec2:instance', resourceArns: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1'], selectionMode: 'ALL' } };
    expect(() => safeTemplateInput('run-1', t, { sloGuard: true }, 'tok')).not.toThrow();
  });

  it('refuses a target that selects every instance of a type in the account', () => {
    const t = spotInterruptionTemplate('run-1');
    t.targets = { nodes: { resourceType: 'aws:ec2:instance', selectionMode: 'ALL' } };
    expect(() => safeTemplateInput('run-1', t, { sloGuard: true }, 'tok')).toThrow(/targets\.nodes: selects by type or filters alone/);
  });

  it('refuses a target scoped to another run\'s tag', () => {
    expect(() => safeTemplateInput('run-1', spotInterruptionTemplate('run-2'), { sloGuard: true }, 'tok')).toThrow(UnsafeTemplateError);
  });

  it('scopes targets and the template by the run tag as escaped on the instances, so a wildcard in a run id selects nothing else', () => {
    const input = safeTemplateInput('run-*', spotInterruptionTemplate('run-*'), { sloGuard: true }, 'tok');
    expect(input.targets?.nodes?.resourceTags).toEqual({ [RUN_TAG]: 'run-+2A' });
    expect(input.tags).toEqual({ [RUN_TAG]: 'run-+2A' });
  });

  it('refuses a stop condition that is not a CloudWatch alarm ARN, listing every problem', () => {
    const t = spotInterruptionTemplate('run-2');
    const err = (() => {
      try {
        safeTemplateInput('run-1', t, { alarmArn: 'my-alarm' }, 'tok');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnsafeTemplateError);
    expect((err as UnsafeTemplateError).problems).toHaveLength(2);
  });
});
