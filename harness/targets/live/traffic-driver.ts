import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import type { Clock } from '../../../provisioner/runtime/clock.js';
import { Random } from '../../../provisioner/runtime/random.js';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import { offeredRps, trafficNoise } from '../../traffic/offered-load.js';
import type { KubeClient } from '../kube-client.js';
import type { ReplicaLog } from './replica-log.js';
import { LIVE_NAMESPACE, type LiveLoadMetrics } from './seams.js';

/**
 * Feeds each HPA-scaled workload's offered load to the metrics path the HPAs read, every `sampleInterval` of scenario
 * time from t = 0: the profile's rate with the sim's noise (offered-load.ts: the same seeded stream and windows
 * as the sim and the HTTP load, so the HPA sees the load the sim's HPA sees and the load sends). Returns the way
 * to stop; a failed update goes to `fail`.
 */
export function playOfferedLoad(scenario: Scenario, clock: Clock, metrics: LiveLoadMetrics, fail: (err: unknown) => void): () => void {
  const random = new Random(scenario.seed);
  const noise = new Map(scenario.traffic.map((t) => [t.workload, trafficNoise(random, t.workload)]));
  const scaledByHpa = new Set(scenario.workloads.filter((w) => w.hpa).map((w) => w.name));
  let timer: { cancel(): void } | undefined;
  let stopped = false;
  const sample = (): void => {
    if (stopped) return;
    const now = Math.max(0, clock.now());
    for (const t of scenario.traffic) {
      const rps = offeredRps(t, now, noise.get(t.workload)!);
      // Only an HPA reads the load as CPU usage; the draw above is made for every workload all the same, as the sim's.
      if (scaledByHpa.has(t.workload)) metrics.setOfferedLoad(t.workload, rps).catch(fail);
    }
    timer = clock.setTimer(scenario.sampleInterval, sample);
  };
  sample();
  return () => {
    stopped = true;
    timer?.cancel();
  };
}

/**
 * Plays the workloads' `schedule` entries at their times, as the sim does: with an HPA, the entry raises or lowers
 * its minReplicas (the HPA named after the workload) and lifts the Deployment to it when below; without one, it
 * sets the Deployment's replicas. The change is logged (as workload.scaled, reason schedule) when the Deployment
 * shows it.
 */
export function playSchedules(scenario: Scenario, clock: Clock, client: KubeClient, replicas: ReplicaLog, fail: (err: unknown) => void): () => void {
  const timers: Array<{ cancel(): void }> = [];
  for (const w of scenario.workloads) {
    for (const entry of w.schedule) {
      timers.push(
        clock.setTimer(entry.at - Math.max(0, clock.now()), () => {
          void (async () => {
            const current = (await client.read<V1Deployment>('apps/v1', 'Deployment', LIVE_NAMESPACE, w.name)).spec?.replicas ?? 0;
            if (w.hpa) {
              const min = Math.min(w.hpa.maxReplicas, entry.replicas);
              const patch: KubernetesObject & { spec: { minReplicas: number } } = {
                apiVersion: 'autoscaling/v2',
                kind: 'HorizontalPodAutoscaler',
                metadata: { name: w.name, namespace: LIVE_NAMESPACE },
                spec: { minReplicas: min },
              };
              await client.mergePatch(patch);
              if (current >= entry.replicas) return;
            }
            replicas.expectSchedule(w.name, entry.replicas);
            await client.scale('Deployment', LIVE_NAMESPACE, w.name, entry.replicas);
          })().catch(fail);
        }),
      );
    }
  }
  return () => {
    for (const t of timers) t.cancel();
  };
}
