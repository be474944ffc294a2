import { MissingPrerequisiteError, RunError } from '../../runner/errors.js';
import type { DockerDaemon } from './docker.js';
import { dockerEnv } from './docker.js';
import { answerValues, runKindScript } from './scripts.js';

export interface KindImages {
  /** burstlab.local/kind-node:<kubernetes version>-<hash>: the offline node image (kind/build-node-image.sh). */
  node: string;
  /** burstlab.local/workload:<hash>: the HTTP workload scenarios' Deployments run (kind/tools/workload). */
  workload: string;
}

/**
 * The node and workload images, built offline by kind/build-node-image.sh when the daemon lacks them (about ten
 * minutes cold on 2 cores, seconds once built: the images stay in the daemon's data root) .
 */
export async function ensureKindImages(daemon: DockerDaemon, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<KindImages> {
  const { code, stdout } = await runKindScript('build-node-image.sh', [], log, dockerEnv(daemon, env));
  if (code === 2) throw new MissingPrerequisiteError('the kind node image cannot be built here', 'it needs root, Go 1.26 and a Docker daemon; read the build output above');
  const values = answerValues(stdout);
  const node = values.get('NODE_IMAGE');
  const workload = values.get('WORKLOAD_IMAGE');
  if (code !== 0 || !node || !workload) throw new RunError(`building the kind node image failed (kind/build-node-image.sh exited ${code})`, 'read the build output above; rerun `bash kind/build-node-image.sh` with DOCKER_HOST set to retry');
  return { node, workload };
}
