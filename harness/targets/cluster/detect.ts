import { ApiextensionsV1Api, AppsV1Api, CoreV1Api, type KubeConfig, type V1Container, type V1Deployment } from '@kubernetes/client-node';
import type { ExternalArmSpec } from '../../../scenarios/schema/scenario-schema.js';
import { codeOf, describeApiError } from '../live/api-errors.js';

/** What a cluster's autoscaler was found to be, for run.json's components and the report header. */
export interface DetectedAutoscaler {
  kind: 'karpenter' | 'cluster-autoscaler' | 'none';
  /** name to version, `<name> settings` to its flags, `<name> found` to where it was found (LiveAutoscaler.components). */
  components: Record<string, string>;
  /** What could not be read or told (no Deployment to read a version from, no permission): warnings. */
  notes: string[];
}

/** Karpenter's CRDs: a cluster that serves both runs Karpenter (v1 API). */
export const KARPENTER_CRDS = ['nodepools.karpenter.sh', 'nodeclaims.karpenter.sh'] as const;
/** The ConfigMap Cluster Autoscaler writes its status to (`--write-status-configmap`, on by default), in its namespace. */
export const CA_STATUS_CONFIGMAP = 'cluster-autoscaler-status';

const NAME_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app'] as const;

/**
 * Finds the autoscaler a cluster runs, reading only: Karpenter when its CRDs are served (its controller's Deployment,
 * when there is one, gives the version and settings), else Cluster Autoscaler when its Deployment or its status
 * ConfigMap exists. `spec.detect` narrows what is looked for. A controller run outside the cluster (a process, as
 * the kwok tests run Karpenter) is found by its CRDs but its version is unknown: a note says so.
 */
export async function detectAutoscaler(kc: KubeConfig, detect: ExternalArmSpec['detect']): Promise<DetectedAutoscaler> {
  const notes: string[] = [];
  const deployments = await listDeployments(kc, notes);
  if (detect !== 'cluster-autoscaler') {
    const crds = await servedCrds(kc, notes);
    if (crds.length === KARPENTER_CRDS.length) {
      const d = deployments.find((x) => isNamed(x, 'karpenter'));
      const components: Record<string, string> = { 'karpenter found': `CRDs ${crds.join(', ')}` };
      if (d) describeController('karpenter', d, components);
      else {
        components.karpenter = 'unknown';
        notes.push("Karpenter's CRDs are served but no Deployment named karpenter was found (run outside the cluster?): its version is unknown");
      }
      return { kind: 'karpenter', components, notes };
    }
    if (detect === 'karpenter') {
      notes.push(`detect: karpenter, but the cluster does not serve ${KARPENTER_CRDS.filter((c) => !crds.includes(c)).join(' and ')}`);
      return { kind: 'none', components: {}, notes };
    }
  }
  const d = deployments.find((x) => isNamed(x, 'cluster-autoscaler'));
  const status = await findStatusConfigMap(kc, d?.metadata?.namespace, notes);
  if (d || status) {
    const components: Record<string, string> = {};
    if (d) describeController('cluster-autoscaler', d, components);
    else {
      components['cluster-autoscaler'] = 'unknown';
      notes.push(`a ${CA_STATUS_CONFIGMAP} ConfigMap exists but no Cluster Autoscaler Deployment was found: its version and flags are unknown`);
    }
    components['cluster-autoscaler found'] = [d && `Deployment ${d.metadata?.namespace}/${d.metadata?.name}`, status && `ConfigMap ${status}`].filter(Boolean).join(', ');
    return { kind: 'cluster-autoscaler', components, notes };
  }
  notes.push(`no autoscaler found (looked for ${detect === 'cluster-autoscaler' ? '' : `the CRDs ${KARPENTER_CRDS.join(', ')}, `}a cluster-autoscaler Deployment and the ${CA_STATUS_CONFIGMAP} ConfigMap): nothing adds nodes but what the cluster does itself`);
  return { kind: 'none', components: {}, notes };
}

/** The version a container image names: its tag (`…/cluster-autoscaler:v1.32.1` -> v1.32.1), digest stripped. */
export function imageVersion(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

/**
 * A controller container's settings in one line: its arguments, then its plainly valued environment variables
 * (settings from Secrets or fields, `valueFrom`, are named only: their values are not burstlab's to copy).
 */
export function containerSettings(c: V1Container): string {
  const args = [...(c.command ?? []).slice(1), ...(c.args ?? [])];
  const env = (c.env ?? []).map((e) => (e.valueFrom ? `${e.name}=(from ${Object.keys(e.valueFrom).join(', ')})` : `${e.name}=${e.value ?? ''}`));
  return [...args, ...env].join(' ');
}

function describeController(name: string, d: V1Deployment, out: Record<string, string>): void {
  const containers = d.spec?.template.spec?.containers ?? [];
  const c = containers.find((x) => x.image?.includes(name)) ?? containers[0];
  out[name] = imageVersion(c?.image) ?? d.metadata?.labels?.['app.kubernetes.io/version'] ?? 'unknown';
  if (c) {
    const settings = containerSettings(c);
    if (settings) out[`${name} settings`] = settings;
  }
  out[`${name} found`] = `Deployment ${d.metadata?.namespace}/${d.metadata?.name}${c?.image ? ` (image ${c.image})` : ''}`;
}

/** A Deployment of `name`: by its name, one of the usual name labels, or a container image of that name. */
function isNamed(d: V1Deployment, name: string): boolean {
  if (d.metadata?.name === name) return true;
  if (NAME_LABELS.some((l) => d.metadata?.labels?.[l] === name)) return true;
  return (d.spec?.template.spec?.containers ?? []).some((c) => new RegExp(`/${name}(/controller)?[:@]|^${name}[:@]`).test(c.image ?? ''));
}

async function listDeployments(kc: KubeConfig, notes: string[]): Promise<V1Deployment[]> {
  try {
    return (await kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces()).items;
  } catch (err) {
    notes.push(`could not list Deployments to find the autoscaler's (${describeApiError(err)}): versions and flags are unknown`);
    return [];
  }
}

async function servedCrds(kc: KubeConfig, notes: string[]): Promise<string[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const found: string[] = [];
  for (const name of KARPENTER_CRDS) {
    try {
      await api.readCustomResourceDefinition({ name });
      found.push(name);
    } catch (err) {
      if (codeOf(err) !== 404) notes.push(`could not read the CRD ${name} (${describeApiError(err)})`);
    }
  }
  return found;
}

/** `namespace/name` of Cluster Autoscaler's status ConfigMap: in its Deployment's namespace, else kube-system. */
async function findStatusConfigMap(kc: KubeConfig, namespace: string | undefined, notes: string[]): Promise<string | undefined> {
  const core = kc.makeApiClient(CoreV1Api);
  for (const ns of new Set([namespace ?? 'kube-system', 'kube-system'])) {
    try {
      await core.readNamespacedConfigMap({ namespace: ns, name: CA_STATUS_CONFIGMAP });
      return `${ns}/${CA_STATUS_CONFIGMAP}`;
    } catch (err) {
      if (codeOf(err) !== 404) notes.push(`could not read the ConfigMap ${ns}/${CA_STATUS_CONFIGMAP} (${describeApiError(err)})`);
    }
  }
  return undefined;
}
