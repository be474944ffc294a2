import type { Random } from '../runtime/random.js';
import type { Estimate } from './estimator.js';
import type { NodeGroup } from './node-group.js';

export type ExpanderName = 'least-waste' | 'price' | 'most-pods' | 'random' | 'priority';

export interface ScaleUpOption {
  group: NodeGroup;
  estimate: Estimate;
}

/**
 * Cluster Autoscaler's expanders: each narrows the options to its best, and ties fall to random, as upstream chains
 * them. least-waste: the least unused CPU plus memory share on the new nodes; price: the lowest cost per pod
 * helped; most-pods: the most pods helped; priority: the highest group priority; random: any.
 */
export function expand(name: ExpanderName, options: readonly ScaleUpOption[], random: Random): ScaleUpOption | null {
  if (options.length === 0) return null;
  const best = bestBy(options, scorer(name));
  return best.length === 1 ? best[0]! : random.pick(best);
}

function scorer(name: ExpanderName): ((o: ScaleUpOption) => number) | null {
  switch (name) {
    case 'least-waste':
      return (o) => {
        const cpu = o.estimate.nodes * o.group.type.allocatable.cpu;
        const mem = o.estimate.nodes * o.group.type.allocatable.memory;
        return (cpu - o.estimate.requested.cpu) / cpu + (mem - o.estimate.requested.memory) / mem;
      };
    case 'price':
      return (o) => (o.estimate.nodes * o.group.pricePerHour) / o.estimate.pods.length;
    case 'most-pods':
      return (o) => -o.estimate.pods.length;
    case 'priority':
      return (o) => -o.group.priority;
    case 'random':
      return null;
  }
}

function bestBy(options: readonly ScaleUpOption[], score: ((o: ScaleUpOption) => number) | null): ScaleUpOption[] {
  if (!score) return [...options];
  let min = Infinity;
  let out: ScaleUpOption[] = [];
  for (const o of options) {
    const s = score(o);
    if (s < min - 1e-9) {
      min = s;
      out = [o];
    } else if (Math.abs(s - min) <= 1e-9) out.push(o);
  }
  return out;
}
