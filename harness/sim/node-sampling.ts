/** kube-scheduler's constants (pkg/scheduler/schedule_one.go): it never stops before this many feasible nodes... */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** ...nor, in the adaptive mode, below this share of the cluster. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
const BASE_PERCENTAGE_OF_NODES_TO_SCORE = 50;

/**
 * kube-scheduler's numFeasibleNodesToFind: how many feasible nodes the filters look for before scoring stops the
 * search. `percentage` 0 is the adaptive default (50% less one point per 125 nodes, at least 5%); 100 scores every
 * node. Integer arithmetic as upstream's int32s: 5,000 nodes give 10%, so 500 nodes.
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage;
  if (p === 0) p = Math.max(BASE_PERCENTAGE_OF_NODES_TO_SCORE - Math.trunc(numAllNodes / 125), MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/**
 * Where the next pod's search starts, as kube-scheduler's nextStartNodeIndex: past every node this search processed
 * (feasible or not), so that over many pods every node gets its turn. A search that found fewer nodes than it looked
 * for processed all of them and leaves the start where it was.
 */
export function nextStartIndex(start: number, processed: number, numAllNodes: number): number {
  return numAllNodes === 0 ? 0 : (start + processed) % numAllNodes;
}
