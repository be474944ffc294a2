import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Scenario } from '../../../scenarios/schema/scenario.js';
import type { TargetSide, TargetSidePlay } from '../cluster/execute-cluster.js';
import { KubeClient } from '../kube-client.js';
import { LIVE_NAMESPACE } from '../live/seams.js';
import { EksChaos, eksFaultNode, type EksFaultNode } from './eks-chaos.js';
import type { EksPlan } from './eks-plan.js';
import type { FisExperiment } from './fis.js';
import { liveSpotPrices, nodeFacts, spotPricingNote, type NodeFacts } from './node-facts.js';
import { SloGuard } from './slo-guard.js';

/** FIS experiments are watched every 5 s of wall time, as the dry-run's plan says. */
const WATCH_EVERY_WALL_MS = 5_000;

/** What run.json records of an EKS run: the EC2 facts of its nodes and the live Spot prices used. */
export interface EksRunFacts {
  nodes: NodeFacts[];
  spotPrices: { source: 'DescribeSpotPriceHistory'; asOf: string; live: Record<string, number> };
}

export interface EksSideOptions {
  scenario: Scenario;
  plan: EksPlan;
  ec2: EC2Client;
  /** A new experiment of the run (EksSession.experiment). */
  experiment(key: string): FisExperiment;
  /** The modelled Spot note results.json would carry without live prices. */
  modelledSpotNote: string;
  /** The wall time now, for the prices' `asOf`. */
  now(): Date;
}

/**
 * The AWS side of a game day played beside the workloads (execute-cluster.ts TargetSide): the fault plan through
 * FIS (eks-chaos.ts) with burstlab's SLO guard on every experiment, and, at the end, the EC2 facts of every node
 * the run saw (joined by providerID) and the live Spot prices of their types.
 */
export function eksSide(o: EksSideOptions): TargetSide {
  return {
    async start(ctx): Promise<TargetSidePlay> {
      const client = KubeClient.fromFile(ctx.kubeconfigPath);
      const seen = new Map<string, string | undefined>();
      const nodes = async (): Promise<EksFaultNode[]> => {
        const [nodeList, podList] = await Promise.all([client.core.listNode(), client.core.listNamespacedPod({ namespace: LIVE_NAMESPACE })]);
        const pods = new Map<string, string[]>();
        for (const p of podList.items) {
          const node = p.spec?.nodeName;
          if (node) pods.set(node, [...(pods.get(node) ?? []), `${LIVE_NAMESPACE}/${p.metadata?.name ?? ''}`]);
        }
        const out = nodeList.items.filter((n) => n.metadata?.deletionTimestamp === undefined).map((n) => eksFaultNode(n, pods.get(n.metadata?.name ?? '') ?? []));
        for (const n of out) seen.set(n.name, n.providerId);
        return out;
      };
      await nodes();
      const guarded: { chaos?: EksChaos } = {};
      const guard = new SloGuard({ clock: ctx.clock, slo: o.scenario.slo, stop: (reason) => guarded.chaos!.stopRunning(`stopped by burstlab's SLO guard: ${reason}`) });
      const chaos = (guarded.chaos = new EksChaos({
        clock: ctx.clock,
        recorder: ctx.recorder,
        ec2: o.ec2,
        region: o.plan.region,
        runId: o.plan.runId,
        nodes,
        experiment: o.experiment,
        stop: o.plan.stop,
        guard,
        watchEveryMs: WATCH_EVERY_WALL_MS * ctx.speed,
        endMs: o.scenario.duration,
      }));
      chaos.install(o.plan.experiments);
      return {
        observe: (sample) => chaos.observe(sample),
        stop: () => chaos.stop(),
        async facts() {
          await nodes();
          const facts = await nodeFacts(o.ec2, [...seen].map(([name, providerId]) => ({ name, providerId })));
          const asOf = o.now();
          const prices = await liveSpotPrices(o.ec2, [...new Set(facts.filter((f) => f.capacityType === 'spot').map((f) => f.type))], asOf);
          const eks: EksRunFacts = { nodes: facts, spotPrices: { source: 'DescribeSpotPriceHistory', asOf: asOf.toISOString(), live: Object.fromEntries([...prices.prices].sort()) } };
          return { meta: { eks }, spotPricing: spotPricingNote(prices, o.modelledSpotNote) };
        },
      };
    },
  };
}
