/**
 * Test doubles of the live parts a `burstlab run --target kwok` drives (harness/targets/live/parts.ts), so the
 * orchestration is tested on a real control plane without the real controller, metrics path and load:
 * - the autoscaler pre-creates enough kwok nodes for every workload at its largest, so pods can run;
 * - the load metrics and the HTTP load record what they are asked to do; the HTTP load reports its last sample
 *   window as it stops, as the real one does.
 */
import { KubeClient } from '../../harness/targets/kube-client.js';
import { kwokNode } from '../../harness/targets/kwok-nodes.js';
import type { LiveParts } from '../../harness/targets/live/parts.js';
import type { LiveContext } from '../../harness/targets/live/seams.js';

export interface PartsLog {
  /** [workload, rps, scenario ms] per setOfferedLoad call. */
  offered: Array<[string, number, number]>;
  started: string[];
  stopped: string[];
}

const NODE = { cpuMilli: 4_000, memoryMiB: 16_384, maxPods: 110 };

export function recordingParts(): { parts: LiveParts; log: PartsLog } {
  const log: PartsLog = { offered: [], started: [], stopped: [] };
  const parts: LiveParts = {
    async startAutoscaler(ctx: LiveContext, spec) {
      const client = KubeClient.fromFile(ctx.kubeconfigPath);
      const largest = ctx.scenario.workloads.reduce((n, w) => n + Math.max(w.replicas, w.hpa?.maxReplicas ?? 0, ...w.schedule.map((e) => e.replicas)) * w.resources.cpu, 0);
      const count = Math.ceil(largest / (NODE.cpuMilli / 2)) + 1;
      const zones = ctx.scenario.cluster.zones;
      await client.createNodes(
        Array.from({ length: count }, (_, i) =>
          kwokNode({ name: `${spec.name}-${i}`, instanceType: 'm5.xlarge', zone: zones[i % zones.length]!, capacityType: 'on-demand', arch: 'amd64', nodepool: 'test', ...NODE, pricePerHour: 0.192 }),
        ),
      );
      log.started.push(`autoscaler ${spec.name}`);
      return { stop: async () => void log.stopped.push(`autoscaler ${spec.name}`) };
    },
    async startLoadMetrics(ctx) {
      log.started.push('metrics');
      return {
        setOfferedLoad: async (workload, rps) => void log.offered.push([workload, rps, ctx.clock.now()]),
        notReading: async () => [],
        stop: async () => void log.stopped.push('metrics'),
      };
    },
    async startHttpLoad(ctx: LiveContext) {
      return {
        rateScale: 1,
        start: async () => void log.started.push('load'),
        // The real load reports its last window only as that window's last requests answer, after the scenario's
        // end, stamped at the window's start: so does the double, for the run to keep it.
        stop: async () => {
          log.stopped.push('load');
          const s = ctx.scenario;
          const last = (Math.ceil(s.duration / s.sampleInterval) - 1) * s.sampleInterval;
          for (const t of s.traffic) ctx.recorder.emit({ type: 'traffic.sample', workload: t.workload, rps: 1, servedRps: 1, latencyMs: 1, windowMs: s.sampleInterval }, last);
        },
      };
    },
    objects: () => ({ objects: [], warnings: [] }),
    components: { 'test-double': '0' },
  };
  return { parts, log };
}
