import { MissingPrerequisiteError, RunError } from '../../runner/errors.js';
import { answerValues, runKindScript } from './scripts.js';

export interface DockerDaemon {
  /** What DOCKER_HOST must say for docker and kind to reach it. */
  host: string;
  /** True when kind/ensure-docker.sh started it (a private dockerd under the cache): teardown stops it. */
  owned: boolean;
}

/**
 * A Docker daemon for the kind target: the user's (DOCKER_HOST, else the default socket) when one answers, else a
 * private dockerd that kind/ensure-docker.sh starts from Debian's docker.io, installing it when it is missing.
 */
export async function ensureDocker(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<DockerDaemon> {
  const { code, stdout } = await runKindScript('ensure-docker.sh', ['up'], log, env);
  if (code === 2) {
    throw new MissingPrerequisiteError('no Docker daemon answers and none can be installed here', 'start Docker and set DOCKER_HOST, or run burstlab as root on Debian so that it can install docker.io');
  }
  const values = answerValues(stdout);
  const host = values.get('DOCKER_HOST');
  if (code !== 0 || !host) throw new RunError(`kind/ensure-docker.sh up exited ${code}`, 'read its output above; the private daemon logs to ~/.cache/burstlab/docker/dockerd.log');
  return { host, owned: values.get('DOCKER_OWNED') === 'private' };
}

/** Stops the private dockerd kind/ensure-docker.sh started; never the user's daemon. */
export async function stopDocker(daemon: DockerDaemon, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!daemon.owned) return;
  const { code } = await runKindScript('ensure-docker.sh', ['down'], log, env);
  if (code !== 0) throw new RunError(`stopping the private dockerd failed (kind/ensure-docker.sh down exited ${code})`, 'kill the dockerd whose pid is in ~/.cache/burstlab/docker/dockerd.pid');
}

/** The environment every docker and kind call of the kind target runs with. */
export function dockerEnv(daemon: DockerDaemon, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, DOCKER_HOST: daemon.host };
}
