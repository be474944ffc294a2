import { AppsV1Api, makeInformer, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import type { Recorder } from '../../../provisioner/runtime/recorder.js';
import type { WorkloadSpec } from '../../../scenarios/schema/scenario-schema.js';
import { sleep } from '../../clock/wall-clock.js';
import { LIVE_NAMESPACE } from './seams.js';

/**
 * Logs each workload's desired replicas as the sim does (workload.scaled): the count at t = 0 as `initial`, then
 * every change of a Deployment's spec.replicas, as `schedule` when it is the one scheduled scaling asked for, as
 * `hpa` when an HPA owns the workload, else `manual`.
 */
export class ReplicaLog {
  private readonly current = new Map<string, number>();
  private readonly expected = new Map<string, number>();
  private started = false;

  constructor(
    private readonly recorder: Recorder,
    private readonly workloads: readonly WorkloadSpec[],
  ) {}

  /** Scheduled scaling is about to set `workload` to `replicas`. */
  expectSchedule(workload: string, replicas: number): void {
    this.expected.set(workload, replicas);
  }

  /** t = 0: every Deployment's count so far is its initial one. */
  start(deployments: readonly V1Deployment[]): void {
    this.started = true;
    for (const d of deployments) {
      const name = d.metadata?.name ?? '';
      const to = d.spec?.replicas ?? 0;
      this.current.set(name, to);
      this.recorder.emit({ type: 'workload.scaled', workload: name, from: 0, to, reason: 'initial' });
    }
  }

  observe(d: V1Deployment): void {
    const name = d.metadata?.name ?? '';
    const to = d.spec?.replicas ?? 0;
    if (!this.started) return;
    const from = this.current.get(name) ?? 0;
    if (from === to) return;
    this.current.set(name, to);
    const scheduled = this.expected.get(name) === to;
    if (scheduled) this.expected.delete(name);
    const reason = scheduled ? 'schedule' : this.workloads.find((w) => w.name === name)?.hpa ? 'hpa' : 'manual';
    this.recorder.emit({ type: 'workload.scaled', workload: name, from, to, reason });
  }
}

/** Watches the live namespace's Deployments into `log`; resolves once listed. Returns the cache and the way to stop. */
export async function watchDeployments(kc: KubeConfig, log: ReplicaLog): Promise<{ list(): readonly V1Deployment[]; stop(): Promise<void> }> {
  const apps = kc.makeApiClient(AppsV1Api);
  const informer = makeInformer<V1Deployment>(kc, `/apis/apps/v1/namespaces/${LIVE_NAMESPACE}/deployments`, () => apps.listNamespacedDeployment({ namespace: LIVE_NAMESPACE }));
  let stopped = false;
  informer.on('add', (d) => log.observe(d));
  informer.on('update', (d) => log.observe(d));
  informer.on('error', () => {
    if (!stopped) void sleep(500).then(() => (stopped ? undefined : informer.start().catch(() => undefined)));
  });
  await informer.start();
  return {
    list: () => informer.list(LIVE_NAMESPACE),
    async stop() {
      stopped = true;
      await informer.stop();
    },
  };
}
