import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../../../provisioner/catalog/catalog.js';
import type { ExternalArmSpec } from '../../../scenarios/schema/scenario-schema.js';
import { KubeClient } from '../kube-client.js';
import { watchNodeClaims } from '../live/nodeclaim-events.js';
import { DISRUPTION_WATCH_WARNING, watchKarpenterDisruptions } from '../live/karpenter-disruptions.js';
import type { LiveAutoscaler, LiveContext } from '../live/seams.js';
import { StoppableClock } from '../live/stoppable-clock.js';
import { detectAutoscaler, type DetectedAutoscaler } from './detect.js';

/** An external arm once started: what was detected, besides the LiveAutoscaler seam. */
export interface ExternalArm extends LiveAutoscaler {
  readonly detected: DetectedAutoscaler;
}

/**
 * The `kind: external` arm: starts nothing and changes nothing. It finds the cluster's autoscaler (detect.ts) and
 * watches what it does that the pod and node watches do not show: a Karpenter's NodeClaims (claim.created, so that
 * decision and node launch latency are measured as for every Karpenter arm) and its disruption decisions
 * (disruption.decided). A Cluster Autoscaler leaves no such trace in the API: its nodes are measured from the Node
 * objects alone, which a warning says. Its log is `<logDir>/<arm>-controller.log`.
 */
export async function startExternalArm(ctx: LiveContext, spec: ExternalArmSpec): Promise<ExternalArm> {
  const logFile = createWriteStream(join(ctx.logDir, `${spec.name}-controller.log`), { flags: 'a' });
  let logOpen = true;
  const log = (line: string): void => void (logOpen ? logFile.write(`${Math.round(ctx.clock.now())} ${line}\n`) : undefined);
  const clock = new StoppableClock(ctx.clock);
  const stops: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clock.stop();
      for (const s of stops.reverse()) await s();
      logOpen = false;
      await new Promise<void>((resolve) => logFile.end(resolve));
    })());
  try {
    const kc = KubeClient.fromFile(ctx.kubeconfigPath).kubeconfig;
    const detected = await detectAutoscaler(kc, spec.detect);
    log(`detected ${detected.kind}: ${Object.entries(detected.components).map(([k, v]) => `${k}: ${v}`).join('; ') || 'nothing'}`);
    const warnings = [...detected.notes];
    for (const w of warnings) log(`warning: ${w}`);
    if (detected.kind === 'karpenter') {
      const { region, zones } = ctx.scenario.cluster;
      const catalog = new Catalog({ region, zones });
      const claims = await watchNodeClaims(kc, clock, ctx.recorder, catalog);
      stops.push(async () => {
        await claims.stop();
        for (const e of claims.errors) log(`watch error (recovered): ${e}`);
      });
      const disruptions = await watchKarpenterDisruptions(kc, clock, ctx.recorder);
      stops.push(async () => {
        await disruptions.stop();
        for (const e of disruptions.errors) log(`watch error (recovered): ${e}`);
      });
      warnings.push(DISRUPTION_WATCH_WARNING);
    } else if (detected.kind === 'cluster-autoscaler') {
      warnings.push('Cluster Autoscaler records no launch request in the API: decision latency is not measured, and a node is launched when its Node object appears');
    }
    return { stop, detected, warnings, components: prefixed(spec.name, detected.components) };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Components keyed per arm, as upstream-karpenter.ts does: `karpenter (arm cluster)`, `karpenter (arm cluster) settings`. */
function prefixed(arm: string, components: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(components).map(([k, v]) => {
      const m = /^(\S+)( .*)?$/.exec(k)!;
      return [`${m[1]} (arm ${arm})${m[2] ?? ''}`, v];
    }),
  );
}
