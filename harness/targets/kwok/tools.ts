import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MissingPrerequisiteError, RunError } from '../../runner/errors.js';

/** The repository's kind/ folder, found from this file whether it runs from source or from dist/. */
export function kindDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const fromSource = join(here, '../../../kind');
  const fromDist = join(here, '../../../../kind');
  try {
    accessSync(join(fromSource, 'versions.env'));
    return fromSource;
  } catch {
    return fromDist;
  }
}

export interface ToolVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
  metricsServer: string;
  vegeta: string;
}

/** Reads kind/versions.env, the one place tool versions are pinned (the build script reads it too). */
export function toolVersions(dir = kindDir()): ToolVersions {
  return {
    kubernetes: pinnedVersion('KUBERNETES_VERSION', dir),
    etcd: pinnedVersion('ETCD_VERSION', dir),
    kwok: pinnedVersion('KWOK_VERSION', dir),
    metricsServer: pinnedVersion('METRICS_SERVER_VERSION', dir),
    vegeta: pinnedVersion('VEGETA_VERSION', dir),
  };
}

/** One KEY=value of kind/versions.env. */
export function pinnedVersion(key: string, dir = kindDir()): string {
  const values = new Map<string, string>();
  for (const raw of readFileSync(join(dir, 'versions.env'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const v = values.get(key);
  if (!v) throw new RunError(`kind/versions.env has no ${key}`, 'restore kind/versions.env from git');
  return v;
}

/** Where built binaries live: $BURSTLAB_BIN_DIR, else ~/.cache/burstlab/bin (the build script's rule). */
export function binRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BURSTLAB_BIN_DIR) return env.BURSTLAB_BIN_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'burstlab', 'bin');
}

export interface ToolPaths {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  kwokctl: string;
  metricsServer: string;
  /** vegeta's CLI, for reading a run's saved results (`vegeta report`). */
  vegeta: string;
  /** kind/tools/loadgen: vegeta's attacker paced by a traffic plan; what live runs send load with. */
  loadgen: string;
}

/**
 * kind/tools/loadgen's source hash, which names its cache folder so that a changed source is rebuilt (the build
 * script computes the same): sha256 of go.mod, go.sum and the .go files in byte order, first 12 hex digits.
 */
export function loadgenSourceHash(dir = join(kindDir(), 'tools', 'loadgen')): string {
  const goFiles = readdirSync(dir).filter((f) => f.endsWith('.go')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', ...goFiles]) hash.update(readFileSync(join(dir, f)));
  return hash.digest('hex').slice(0, 12);
}

export function toolPaths(versions: ToolVersions = toolVersions(), root = binRoot(), loadgenHash = loadgenSourceHash()): ToolPaths {
  const k8s = join(root, `kubernetes-${versions.kubernetes}`);
  const kwok = join(root, `kwok-${versions.kwok}`);
  return {
    etcd: join(root, `etcd-${versions.etcd}`, 'etcd'),
    kubeApiserver: join(k8s, 'kube-apiserver'),
    kubeControllerManager: join(k8s, 'kube-controller-manager'),
    kubeScheduler: join(k8s, 'kube-scheduler'),
    kwok: join(kwok, 'kwok'),
    kwokctl: join(kwok, 'kwokctl'),
    metricsServer: join(root, `metrics-server-${versions.metricsServer}`, 'metrics-server'),
    vegeta: join(root, `vegeta-${versions.vegeta}`, 'vegeta'),
    loadgen: join(root, `loadgen-${loadgenHash}`, 'burstlab-loadgen'),
  };
}

export function missingTools(paths: ToolPaths | Record<string, string>): string[] {
  return Object.values(paths).filter((p) => {
    try {
      accessSync(p, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

const GO_HINT =
  'install Go 1.26 or newer (https://go.dev/dl/, or your package manager) and put `go` on PATH; the first build ' +
  'takes minutes and is cached. Or set BURSTLAB_BIN_DIR to a folder with prebuilt binaries. The sim target needs neither.';

/**
 * Makes sure the control-plane binaries exist, building them with kind/build-tools.sh when they do not.
 * The build's own output goes to `log` line by line so a long first build is visibly alive.
 */
export async function ensureTools(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<ToolPaths> {
  const paths = toolPaths(toolVersions(), binRoot(env));
  if (missingTools(paths).length === 0) return paths;
  await runBuildScript([], "the kwok target's binaries", log, env);
  const missing = missingTools(paths);
  if (missing.length > 0) throw new RunError(`the build finished but ${missing.join(', ')} is missing`, 'rerun `bash kind/build-tools.sh`');
  return paths;
}

/**
 * The real Karpenter with its kwok cloud provider (sigs.k8s.io/karpenter/kwok at KARPENTER_VERSION), which a
 * `kind: karpenter-upstream` arm runs. Its binary is named `kwok`, hence a folder of its own.
 */
export function karpenterKwokPath(version = pinnedVersion('KARPENTER_VERSION'), root = binRoot()): string {
  return join(root, `karpenter-kwok-${version}`, 'kwok');
}

/**
 * Makes sure the upstream Karpenter binary exists, building it (`build-tools.sh --karpenter-kwok`, ~3 min cold) when
 * it does not. Only runs that have a karpenter-upstream arm call this, so other runs never pay for the build.
 */
export async function ensureKarpenterKwok(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const path = karpenterKwokPath(pinnedVersion('KARPENTER_VERSION'), binRoot(env));
  if (missingTools({ karpenter: path }).length === 0) return path;
  await runBuildScript(['--karpenter-kwok'], "upstream Karpenter's kwok provider", log, env);
  if (missingTools({ karpenter: path }).length > 0) throw new RunError(`the build finished but ${path} is missing`, 'rerun `bash kind/build-tools.sh --karpenter-kwok`');
  return path;
}

/** Runs kind/build-tools.sh with `args`, its output to `log` line by line so a long first build is visibly alive. */
async function runBuildScript(args: readonly string[], what: string, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<void> {
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('bash', [join(kindDir(), 'build-tools.sh'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') log(line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  }).catch((cause: unknown) => {
    throw new MissingPrerequisiteError('cannot run bash to build the kwok target', 'install bash', { cause });
  });
  if (code === 2) throw new MissingPrerequisiteError('Go is not on PATH: the kwok target builds its control plane from Go modules', GO_HINT);
  if (code !== 0) {
    throw new RunError(`building ${what} failed (kind/build-tools.sh ${[...args, ''].join(' ')}exited ${code})`, `read the build output above; rerun \`bash kind/build-tools.sh${args.map((a) => ` ${a}`).join('')}\` to retry`);
  }
}
