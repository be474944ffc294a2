/**
 * Cluster Autoscaler flags copied from a real deployment's container args, mapped onto a `cluster-autoscaler`
 * arm's settings and node groups:
 *
 *   - name: cluster-autoscaler
 *     kind: cluster-autoscaler
 *     flags: ["--nodes=1:10:web-asg", "--expander=price", "--scale-down-unneeded-time=10m"]
 *     instanceTypes: { web-asg: m5.2xlarge }
 *
 * An ASG's name does not say what it launches, so each `--nodes` group needs its instance type in `instanceTypes`.
 * Flags that change scaling but are not modelled are warnings naming the flag; a flag that CA itself would reject
 * (a bad number, a malformed `--nodes`) is an error.
 */
import type { ValidationIssue } from '../../harness/runner/errors.js';
import type { Locate } from './manifest-source.js';
import { editDistance } from './suggest.js';
import { parseDuration } from './units.js';
import type { ScenarioWarning } from './warnings.js';

const EXPANDERS = ['least-waste', 'price', 'most-pods', 'random', 'priority'] as const;
/** Expanders CA has that burstlab does not model. */
const OTHER_EXPANDERS = ['least-nodes', 'grpc'];

/** Flags that only configure logging, identity or plumbing: no effect on when or what CA scales. */
const INERT = new Set([
  'v', 'logtostderr', 'alsologtostderr', 'stderrthreshold', 'log-dir', 'log-file', 'vmodule', 'one-output',
  'cluster-name', 'namespace', 'kubeconfig', 'kubernetes', 'address', 'profiling', 'leader-elect',
  'leader-elect-lease-duration', 'leader-elect-renew-deadline', 'leader-elect-retry-period', 'leader-elect-resource-lock',
  'leader-elect-resource-name', 'leader-elect-resource-namespace', 'write-status-configmap', 'status-config-map-name',
  'aws-use-static-instance-list', 'emit-per-nodegroup-metrics', 'record-duplicated-events', 'kube-client-qps', 'kube-client-burst',
]);

type Setting = 'scanInterval' | 'scaleDownUnneededTime' | 'scaleDownDelayAfterAdd' | 'maxNodeProvisionTime';
const DURATIONS: Record<string, Setting> = {
  'scan-interval': 'scanInterval',
  'scale-down-unneeded-time': 'scaleDownUnneededTime',
  'scale-down-delay-after-add': 'scaleDownDelayAfterAdd',
  'max-node-provision-time': 'maxNodeProvisionTime',
};

/** Every flag this file reads, modelled or inert: what a misspelt flag is compared with. */
const KNOWN_FLAGS = [
  'nodes', 'expander', 'scale-down-utilization-threshold', 'max-nodes-per-scaleup', 'node-group-auto-discovery', 'cloud-provider',
  ...Object.keys(DURATIONS), ...INERT,
];

/**
 * Edits that make a flag a typo of a known one. Fixed, not proportional to length: CA's long flags differ from each
 * other in a word (--scale-down-delay-after-add, -after-delete), and those are real flags, not typos.
 */
const TYPO_EDITS = 2;

/** Go durations as CA's flag package parses them (`10s`, `1m30s`, `1h`); no bare numbers. */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

export interface CaFlagsResult {
  /** The arm with `flags` and `instanceTypes` replaced by the settings they stand for. */
  arm: Record<string, unknown>;
  /** Node groups from `--nodes`, each with the index of its flag. */
  groups: Array<{ group: Record<string, unknown>; flag: number }>;
  issues: ValidationIssue[];
  warnings: ScenarioWarning[];
}

export function expandCaFlags(input: Record<string, unknown>, at: Locate): CaFlagsResult {
  const { flags, instanceTypes, ...arm } = input;
  const out: CaFlagsResult = { arm, groups: [], issues: [], warnings: [] };
  const issue = (path: PropertyKey[], message: string): void => void out.issues.push({ path: at(path), message });
  const warn = (path: PropertyKey[], message: string): void => void out.warnings.push({ path: at(path), message });
  if (arm.kind !== 'cluster-autoscaler') {
    issue([flags !== undefined ? 'flags' : 'instanceTypes'], 'Cluster Autoscaler flags belong on a cluster-autoscaler arm');
    return out;
  }
  if (flags !== undefined && (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string'))) {
    issue(['flags'], 'must be a list of flags as strings, e.g. ["--nodes=1:10:my-asg", "--expander=price"]');
    return out;
  }
  const types = instanceTypes ?? {};
  if (typeof types !== 'object' || types === null || Array.isArray(types)) {
    issue(['instanceTypes'], 'must map ASG names to instance types, e.g. { my-asg: m5.2xlarge }');
    return out;
  }
  const typeOf = types as Record<string, unknown>;
  const used = new Set<string>();
  const written = new Set(Object.keys(arm));
  // A flag given twice: the last wins, as in CA's own flag parsing.
  const setOnce = (key: string, value: unknown, j: number): void => {
    if (written.has(key)) issue(['flags', j], `sets ${key}, which the arm also sets; keep one of them`);
    else arm[key] = value;
  };

  (flags ?? []).forEach((raw: string, j) => {
    if (j === 0 && /(^|\/)cluster-autoscaler$/.test(raw)) return; // the command itself, when args were copied with it
    const m = /^--?([a-z0-9][a-z0-9-]*)(?:=(.*))?$/.exec(raw.trim());
    if (!m) {
      issue(['flags', j], `'${raw}' is not a flag: write --name=value`);
      return;
    }
    const [, flag, value] = m as unknown as [string, string, string | undefined];
    const need = (): string | null => {
      if (value === undefined || value === '') issue(['flags', j], `--${flag} needs a value: --${flag}=...`);
      return value || null;
    };
    if (flag === 'nodes') {
      const v = need();
      if (v === null) return;
      const parts = /^(\d+):(\d+):(.+)$/.exec(v);
      if (!parts) {
        issue(['flags', j], `'${v}' is not min:max:name, e.g. --nodes=1:10:my-asg`);
        return;
      }
      const [min, max, asg] = [Number(parts[1]), Number(parts[2]), parts[3]!];
      if (min > max) issue(['flags', j], `min ${min} exceeds max ${max}`);
      const t = typeOf[asg];
      const spec = typeof t === 'string' ? { instanceType: t } : typeof t === 'object' && t !== null ? (t as Record<string, unknown>) : null;
      if (!spec) {
        issue(['flags', j], `the ASG name does not say what it launches: add instanceTypes: { ${asg}: <instance type> } to this arm`);
        return;
      }
      used.add(asg);
      const extra = Object.keys(spec).filter((k) => !['instanceType', 'capacityType', 'priority'].includes(k));
      if (extra.length) issue(['instanceTypes', asg], `unknown field(s) ${extra.join(', ')}: give an instance type, or { instanceType, capacityType, priority }`);
      out.groups.push({ group: { name: asg, min, max, ...spec }, flag: j });
      return;
    }
    if (flag in DURATIONS) {
      const v = need();
      if (v === null) return;
      const ms = GO_DURATION.test(v) ? parseDuration(v) : null;
      if (ms === null) issue(['flags', j], `'${v}' is not a duration: write e.g. 10s, 10m or 1h`);
      else setOnce(DURATIONS[flag]!, ms / 1000, j);
      return;
    }
    if (flag === 'scale-down-utilization-threshold') {
      const v = need();
      if (v === null) return;
      const n = Number(v);
      if (!/^\d*\.?\d+$/.test(v) || n > 1) issue(['flags', j], `'${v}' is not a fraction from 0 to 1`);
      else setOnce('scaleDownUtilizationThreshold', n, j);
      return;
    }
    if (flag === 'max-nodes-per-scaleup') {
      const v = need();
      if (v === null) return;
      if (!/^[1-9]\d*$/.test(v)) issue(['flags', j], `'${v}' is not a positive whole number`);
      else setOnce('maxNodesPerScaleUp', Number(v), j);
      return;
    }
    if (flag === 'expander') {
      const v = need();
      if (v === null) return;
      const chain = v.split(',').map((e) => e.trim());
      const unknown = chain.filter((e) => !(EXPANDERS as readonly string[]).includes(e) && !OTHER_EXPANDERS.includes(e));
      if (unknown.length) {
        issue(['flags', j], `unknown expander ${unknown.join(', ')}: CA has ${[...EXPANDERS, ...OTHER_EXPANDERS].join(', ')}`);
        return;
      }
      const first = chain.find((e) => (EXPANDERS as readonly string[]).includes(e));
      if (first === undefined) {
        warn(['flags', j], `the ${chain.join(', ')} expander is not modelled: the default, least-waste, picks node groups`);
        return;
      }
      if (chain.length > 1) warn(['flags', j], `expander chains are not modelled: ${first} alone picks node groups`);
      setOnce('expander', first, j);
      return;
    }
    if (flag === 'node-group-auto-discovery') {
      warn(['flags', j], 'auto-discovery finds ASGs by their tags in AWS, which burstlab cannot see: give each group with --nodes=min:max:name');
      return;
    }
    if (flag === 'cloud-provider') {
      if (value !== 'aws') warn(['flags', j], `cloud provider '${value ?? ''}' is not modelled: node groups behave as AWS ASGs`);
      return;
    }
    if (INERT.has(flag) || flag.startsWith('log-')) return;
    // Cluster Autoscaler refuses a flag it does not know; one a letter or two from a flag burstlab reads is a typo.
    const guess = KNOWN_FLAGS.find((known) => editDistance(flag, known) <= TYPO_EDITS);
    if (guess !== undefined) {
      issue(['flags', j], `unknown flag --${flag}; did you mean --${guess}? (Cluster Autoscaler refuses flags it does not know)`);
      return;
    }
    warn(['flags', j], `--${flag} is parsed but not modelled`);
  });

  for (const asg of Object.keys(typeOf)) {
    if (!used.has(asg)) issue(['instanceTypes', asg], `no --nodes flag names the ASG '${asg}'`);
  }
  return out;
}
