import { describe, expect, it } from 'vitest';
import { parseInterruptionMessage, SPOT_WARNING_MS } from '../../../harness/targets/eks/interruption-messages.js';
import { EVENT_TIME, rebalance, scheduledChange, spotWarning, stateChange } from '../../support/eventbridge-events.js';

const at = Date.parse(EVENT_TIME);

describe('the interruption queue\'s messages', () => {
  it('reads a Spot interruption warning with EC2\'s two-minute deadline', () => {
    expect(parseInterruptionMessage(spotWarning('i-1'))).toEqual({
      kind: 'notices', notices: [{ instanceId: 'i-1', kind: 'spot-interruption', at, deadline: at + SPOT_WARNING_MS }],
    });
  });

  it('reads a rebalance recommendation without a deadline', () => {
    expect(parseInterruptionMessage(rebalance('i-1'))).toEqual({ kind: 'notices', notices: [{ instanceId: 'i-1', kind: 'rebalance-recommendation', at }] });
  });

  it('reads an EC2 scheduled change as one notice per affected instance, due at the change\'s start', () => {
    const parsed = parseInterruptionMessage(scheduledChange(['i-1', 'i-2']));
    const deadline = Date.parse('2026-11-27T02:00:00Z');
    expect(parsed).toEqual({ kind: 'notices', notices: [
      { instanceId: 'i-1', kind: 'scheduled-change', at, deadline },
      { instanceId: 'i-2', kind: 'scheduled-change', at, deadline },
    ] });
  });

  it.each(['stopping', 'stopped', 'shutting-down', 'terminated'])('reads a state change to %s as an interruption', (state) => {
    expect(parseInterruptionMessage(stateChange('i-1', state))).toEqual({ kind: 'notices', notices: [{ instanceId: 'i-1', kind: 'state-change', at }] });
  });

  it('needs no action for an instance that starts running', () => {
    expect(parseInterruptionMessage(stateChange('i-1', 'running'))).toMatchObject({ kind: 'no-action' });
  });

  it('needs no action for a Health event about another service', () => {
    expect(parseInterruptionMessage(scheduledChange(['i-1'], 'RDS'))).toMatchObject({ kind: 'no-action' });
  });

  it.each([
    ['not JSON', 'not json', /not JSON/],
    ['a JSON array', '[]', /not a JSON object/],
    ['another event', JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created', time: EVENT_TIME, detail: {} }), /aws\.s3 Object Created/],
    ['a Spot warning without an instance', JSON.stringify({ source: 'aws.ec2', 'detail-type': 'EC2 Spot Instance Interruption Warning', time: EVENT_TIME, detail: {} }), /instance-id/],
    ['an event without a time', JSON.stringify({ source: 'aws.ec2', 'detail-type': 'EC2 Instance Rebalance Recommendation', detail: { 'instance-id': 'i-1' } }), /time/],
  ])('calls %s unknown, saying why', (_label, body, reason) => {
    const parsed = parseInterruptionMessage(body);
    expect(parsed.kind).toBe('unknown');
    expect(parsed.kind === 'unknown' && parsed.reason).toMatch(reason);
  });
});
