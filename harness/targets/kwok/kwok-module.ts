import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingPrerequisiteError, RunError } from '../../runner/errors.js';

/**
 * kwok's own manifests for the metrics path, read from the kwok Go module at the pinned version (the build put it
 * in Go's module cache), never copied by hand: the Metric that serves kubelet-style resource metrics, the
 * ClusterResourceUsage CRD, and its stock object that sets pod usage from annotations.
 */
export const KWOK_MANIFESTS = {
  resourceMetric: 'kustomize/metrics/resource/metrics-resource.yaml',
  usageCrd: 'kustomize/crd/bases/kwok.x-k8s.io_clusterresourceusages.yaml',
  usageFromAnnotation: 'kustomize/metrics/usage/usage-from-annotation.yaml',
} as const;

const MODULE = 'sigs.k8s.io/kwok';

/** The kwok module's folder in Go's module cache, downloading it through the module proxy when it is missing. */
export function kwokModuleDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  const modcache = env.GOMODCACHE || goEnv('GOMODCACHE', env);
  const dir = join(modcache, `${MODULE}@${version}`);
  if (existsSync(join(dir, 'go.mod'))) return dir;
  // GOFLAGS from the caller (e.g. -mod=vendor) would make `go mod download` outside a module fail.
  const res = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], { env: { ...env, GOFLAGS: '' }, encoding: 'utf8' });
  const downloaded = res.status === 0 ? (JSON.parse(res.stdout) as { Dir?: string }).Dir : undefined;
  if (!downloaded || !existsSync(downloaded)) {
    throw new RunError(`cannot get the ${MODULE}@${version} module for its metrics manifests`, `run \`go mod download ${MODULE}@${version}\` and read its error:\n${res.stderr ?? ''}`);
  }
  return downloaded;
}

export function readKwokManifest(version: string, file: keyof typeof KWOK_MANIFESTS, env: NodeJS.ProcessEnv = process.env): string {
  const path = join(kwokModuleDir(version, env), KWOK_MANIFESTS[file]);
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new RunError(`${path} is missing from the kwok module`, 'kind/versions.env may pin a kwok without it; restore it from git', { cause });
  }
}

function goEnv(key: string, env: NodeJS.ProcessEnv): string {
  const res = spawnSync('go', ['env', key], { env, encoding: 'utf8' });
  const value = res.status === 0 ? res.stdout.trim() : '';
  if (!value) {
    throw new MissingPrerequisiteError(
      `Go is needed to find kwok's metrics manifests (\`go env ${key}\` failed)`,
      'install Go 1.26 or newer and put `go` on PATH, or set GOMODCACHE to a module cache holding sigs.k8s.io/kwok',
    );
  }
  return value;
}
