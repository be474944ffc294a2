import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { sleep, stopwatch } from '../../clock/wall-clock.js';
import { MissingPrerequisiteError, RunError } from '../../runner/errors.js';
import type { KubeClient } from '../kube-client.js';
import { parseManifests } from '../kube-client.js';
import { pinnedVersion } from '../kwok/tools.js';

export const KARPENTER_MODULE = 'sigs.k8s.io/karpenter';
/** The module's go.mod asks for Go >= 1.26.10; `go mod download` reads it, so a newer toolchain is named explicitly. */
export const KARPENTER_GO_TOOLCHAIN = 'go1.27.3';
/**
 * The CRDs the bundled arms use, from the module's kwok chart: the same as pkg/apis/crds plus a CEL rule that lets
 * NodePool and NodeClaim requirements name the `karpenter.kwok.sh/...` label keys.
 */
export const KARPENTER_CRD_FILES = ['kwok/charts/crds/karpenter.sh_nodepools.yaml', 'kwok/charts/crds/karpenter.sh_nodeclaims.yaml'] as const;

/**
 * What the real controller (a karpenter-upstream arm) needs besides: every CRD of the module's kwok chart (it also
 * watches NodeOverlays and CapacityBuffers) and the kwok provider's KWOKNodeClass. Read from the folder, so a
 * version that adds a CRD brings it along.
 */
export function upstreamCrdFiles(moduleDir: string): string[] {
  const chart = 'kwok/charts/crds';
  let names: string[];
  try {
    names = readdirSync(join(moduleDir, chart)).filter((f) => f.endsWith('.yaml')).sort();
  } catch (cause) {
    throw new RunError(`Karpenter's module has no ${chart}`, `the pinned KARPENTER_VERSION must ship its kwok chart; looked in ${moduleDir}`, { cause });
  }
  return [...names.map((f) => `${chart}/${f}`), KWOK_NODE_CLASS_CRD_FILE];
}

export const KWOK_NODE_CLASS_CRD_FILE = 'kwok/apis/crds/karpenter.kwok.sh_kwoknodeclasses.yaml';

/** Karpenter's API group and version, as the CRDs serve it. */
export const KARPENTER_API = { group: 'karpenter.sh', version: 'v1' } as const;

/**
 * The folder of Karpenter's Go module at the version pinned in kind/versions.env, downloaded into the module cache
 * when it is not there yet (`go mod download` is a no-op then).
 */
export async function karpenterModuleDir(version = pinnedVersion('KARPENTER_VERSION'), env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('go', ['mod', 'download', '-json', `${KARPENTER_MODULE}@${version}`], { env: { ...env, GOTOOLCHAIN: KARPENTER_GO_TOOLCHAIN, GOFLAGS: '' }, maxBuffer: 1 << 20 }, (err, out, stderr) => {
      if (!err) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new MissingPrerequisiteError('Go is not on PATH: the live bundled arms take Karpenter\'s CRDs from its Go module', 'install Go 1.26 or newer and put `go` on PATH', { cause: err }));
      }
      // go mod download -json reports a failure in the JSON's Error field as well as in its exit code.
      const detail = /"Error":\s*"([^"]*)"/.exec(out)?.[1] ?? stderr.trim();
      reject(new RunError(`go mod download ${KARPENTER_MODULE}@${version} failed: ${detail}`, 'check the Go module proxy is reachable (GOPROXY) and the version in kind/versions.env', { cause: err }));
    });
  });
  const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new RunError(`go mod download ${KARPENTER_MODULE}@${version} gave no module folder${info.Error ? `: ${info.Error}` : ''}`, 'rerun with a working Go module proxy');
  return info.Dir;
}

/**
 * Server-side applies the NodePool and NodeClaim CRDs (or `files`) from the module folder (the NodePool CRD is too big for the
 * client-side apply annotation) and waits until the API serves them. Returns the CRDs' names.
 */
export async function installKarpenterCrds(client: KubeClient, moduleDir: string, timeoutMs = 30_000, files: readonly string[] = KARPENTER_CRD_FILES): Promise<string[]> {
  const crds: KubernetesObject[] = [];
  for (const file of files) {
    const path = join(moduleDir, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (cause) {
      throw new RunError(`Karpenter's module has no ${file}`, `the pinned KARPENTER_VERSION must ship kwok/charts/crds; looked in ${moduleDir}`, { cause });
    }
    for (const crd of parseManifests(text)) crds.push(crd);
  }
  await client.apply(crds);
  const names = crds.map((c) => c.metadata!.name!);
  const elapsed = stopwatch();
  for (const name of names) {
    for (;;) {
      const crd = (await client.objects.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } })) as KubernetesObject & {
        status?: { conditions?: Array<{ type: string; status: string }> };
      };
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (elapsed() > timeoutMs) throw new RunError(`CRD ${name} not established after ${Math.round(timeoutMs / 1000)} s`, 'see the kube-apiserver log in the cluster folder');
      await sleep(100);
    }
  }
  return names;
}
