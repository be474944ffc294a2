import { formatScenarioDuration } from '../../runner/human-units.js';
import type { EksPlan } from './eks-plan.js';
import { RUN_TAG } from './tags.js';

const INLINE = 100;

/** JSON as requests are read: small objects and arrays on one line, larger ones indented. */
function json(value: unknown, indent: string): string[] {
  const flat = JSON.stringify(value);
  if (flat === undefined || flat.length + indent.length <= INLINE || value === null || typeof value !== 'object') return [indent + (flat ?? 'null')];
  const entries = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const lines = [indent + open];
  entries.forEach(([key, v], i) => {
    const inner = json(v, indent + '  ');
    if (key !== '') inner[0] = `${indent}  ${JSON.stringify(key)}: ${inner[0]!.trimStart()}`;
    if (i < entries.length - 1) inner[inner.length - 1] += ',';
    for (const l of inner) lines.push(l);
  });
  lines.push(indent + close);
  return lines;
}

/**
 * The AWS half of `burstlab run --target eks --dry-run`: every kind of call the run makes, with the exact request
 * where it is known up front (FIS templates, CreateFleet shapes, tags), and what burstlab will never touch.
 */
export function describeEksPlan(plan: EksPlan): string {
  const stop = 'alarmArn' in plan.stop
    ? `the CloudWatch alarm ${plan.stop.alarmArn} (FIS stops the experiment when it fires)`
    : "burstlab's SLO guard: StopExperiment when an SLO is breached longer than the scenario allows (add --stop-alarm ARN to have FIS watch an alarm too)";
  const lines = [
    `target eks: run ${plan.runId}, region ${plan.region}, cluster ${plan.clusterName}, namespace ${plan.namespace}`,
    `every resource created is tagged ${RUN_TAG}=${plan.runId}; burstlab cleanup --run ${plan.runId} --target eks removes what is left`,
    `stop condition of every experiment: ${stop}`,
    ...(plan.missing.length ? ['needed before a real run (shown as placeholders below):', ...plan.missing.map((m) => `  - ${m}`)] : []),
    'faults:',
    ...(plan.experiments.length + plan.refusals.length === 0 ? ['  none'] : []),
    ...[
      ...plan.experiments.map((e) => ({ at: e.fault.atMs, line: `  ${e.fault.id} at ${formatScenarioDuration(e.fault.atMs)}: FIS ${Object.values(e.input.actions ?? {}).map((a) => a.actionId).join(' + ')}` })),
      ...plan.refusals.map((r) => ({
        at: r.fault.atMs,
        line: `  ${r.fault.id} at ${formatScenarioDuration(r.fault.atMs)}: burstlab's EC2 provider refuses ${r.offerings.length} offering(s) (${r.offerings.slice(0, 4).join(', ')}${r.offerings.length > 4 ? ', ...' : ''}) until ${formatScenarioDuration(r.fault.untilMs ?? r.fault.atMs)}; FIS fails launches per zone only`,
      })),
    ].sort((a, b) => a.at - b.at).map((f) => f.line),
    'AWS and cluster calls, in order:',
  ];
  for (const c of plan.calls) {
    lines.push(`  [${c.when}] ${c.service} ${c.operation}: ${c.why}`);
    if (c.input !== undefined) for (const l of json(c.input, '      ')) lines.push(l);
  }
  lines.push(
    'never touched: instances, templates, experiments and namespaces without the run tag; the cluster\'s own nodes,',
    '  NodePools, node groups and autoscaler; IAM (burstlab iam-policy prints the policies for you to create)',
    'a real run needs --allow-chaos <cluster name> naming the kubeconfig context\'s cluster, and AWS credentials from the SDK\'s default chain',
  );
  return lines.join('\n') + '\n';
}
