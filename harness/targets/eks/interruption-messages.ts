import type { InterruptionKind } from '../../../provisioner/interruption/actions.js';

/** One instance's interruption, as read from an EventBridge message on the interruption queue. */
export interface InterruptionNotice {
  instanceId: string;
  kind: InterruptionKind;
  /** When AWS emitted the event, epoch ms. */
  at: number;
  /** When the instance will be gone, epoch ms, for a warning that has a deadline. */
  deadline?: number;
}

/**
 * What a queue message says:
 * - 'notices': interruptions to act on (a Health event may name several instances);
 * - 'no-action': a known event that needs nothing (an instance starting, a Health event about another service);
 * - 'unknown': not one of the four shapes Karpenter's queue receives, or malformed; `reason` says which.
 */
export type ParsedMessage =
  | { kind: 'notices'; notices: InterruptionNotice[] }
  | { kind: 'no-action'; reason: string }
  | { kind: 'unknown'; reason: string };

/** EC2 reclaims a Spot instance two minutes after its interruption warning. */
export const SPOT_WARNING_MS = 120_000;

/** The instance states Karpenter acts on in a state-change notification: the instance is going or gone. */
const LEAVING_STATES = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);

interface EventEnvelope {
  source?: unknown;
  'detail-type'?: unknown;
  time?: unknown;
  detail?: Record<string, unknown>;
}

/** Parses a message body of the interruption queue (an EventBridge event, as the rules of Karpenter's queue send). */
export function parseInterruptionMessage(body: string): ParsedMessage {
  let event: EventEnvelope;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'unknown', reason: 'the body is not a JSON object' };
    event = parsed as EventEnvelope;
  } catch (err) {
    return { kind: 'unknown', reason: `the body is not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const detailType = typeof event['detail-type'] === 'string' ? event['detail-type'] : undefined;
  const source = typeof event.source === 'string' ? event.source : undefined;
  const at = Date.parse(typeof event.time === 'string' ? event.time : '');
  const detail = event.detail;
  if (!detailType || !source || typeof detail !== 'object' || detail === null) {
    return { kind: 'unknown', reason: 'not an EventBridge event (no source, detail-type or detail)' };
  }
  if (Number.isNaN(at)) return { kind: 'unknown', reason: `${detailType}: no valid time` };
  const instanceId = typeof detail['instance-id'] === 'string' ? detail['instance-id'] : undefined;
  const one = (kind: InterruptionKind, deadline?: number): ParsedMessage =>
    instanceId ? { kind: 'notices', notices: [{ instanceId, kind, at, ...(deadline === undefined ? {} : { deadline }) }] } : { kind: 'unknown', reason: `${detailType}: no detail.instance-id` };

  if (source === 'aws.ec2' && detailType === 'EC2 Spot Instance Interruption Warning') return one('spot-interruption', at + SPOT_WARNING_MS);
  if (source === 'aws.ec2' && detailType === 'EC2 Instance Rebalance Recommendation') return one('rebalance-recommendation');
  if (source === 'aws.ec2' && detailType === 'EC2 Instance State-change Notification') {
    const state = detail.state;
    if (typeof state !== 'string') return { kind: 'unknown', reason: `${detailType}: no detail.state` };
    return LEAVING_STATES.has(state) ? one('state-change') : { kind: 'no-action', reason: `instance ${instanceId ?? '?'} is ${state}` };
  }
  if (source === 'aws.health' && detailType === 'AWS Health Event') return healthEvent(detail, at);
  return { kind: 'unknown', reason: `${source} ${detailType}: not an interruption event` };
}

/** An AWS Health event: only EC2 scheduled changes (retirement, maintenance) interrupt nodes. */
function healthEvent(detail: Record<string, unknown>, at: number): ParsedMessage {
  if (detail.service !== 'EC2' || detail.eventTypeCategory !== 'scheduledChange') {
    return { kind: 'no-action', reason: `AWS Health ${String(detail.service)} ${String(detail.eventTypeCategory)}: not an EC2 scheduled change` };
  }
  const start = typeof detail.startTime === 'string' ? Date.parse(detail.startTime) : NaN;
  const entities = Array.isArray(detail.affectedEntities) ? (detail.affectedEntities as unknown[]) : [];
  const ids = entities
    .map((e) => (typeof e === 'object' && e !== null ? (e as { entityValue?: unknown }).entityValue : undefined))
    .filter((v): v is string => typeof v === 'string' && v.startsWith('i-'));
  if (ids.length === 0) return { kind: 'unknown', reason: 'AWS Health scheduled change: no affected instance' };
  return {
    kind: 'notices',
    notices: ids.map((instanceId) => ({ instanceId, kind: 'scheduled-change' as const, at, ...(Number.isNaN(start) ? {} : { deadline: start }) })),
  };
}
