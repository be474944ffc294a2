import type { Definitions } from './results.js';

/** The definitions results.json carries, word for word what harness/metrics computes. */
export const DEFINITIONS: Definitions = {
  podToReady:
    'Ready time minus creation time of every pod with priority >= 0, except pods already Ready when the run started ' +
    '(a pod that existed before the run but was not Ready counts from the start). A pod deleted or preempted ' +
    'before it was ever Ready (pods.abandoned) counts with its wait until the deletion; a pod still not Ready when the ' +
    'run ends (pods.neverReady) counts with its wait so far. No pod is left out, so created = ready + neverReady + abandoned.',
  decisionLatency:
    'Launch request time minus the time the pod was first marked unschedulable, for every measured pod bound to a ' +
    'node launched at or after that moment. The log does not say which launch was for which pod, so a pod never bound ' +
    'to a launched node has no decision latency (its wait counts in pod-to-ready); with no such pod (count 0) the ' +
    'quantiles are not applicable, shown as n/a and never compared.',
  nodeLaunchLatency:
    'Ready time minus launch request time of every node launched during the run. A node never Ready counts with its ' +
    'wait until it was terminated or, if still waiting, until the run ended, so a launch that never finished cannot ' +
    'make the quantiles look better; with no node launched (count 0) they are not applicable, shown as n/a and never ' +
    'compared.',
  costLowerBound:
    "The cheapest fractional cover, integrated over the run, of the CPU and memory requested by the pods this arm had " +
    'running on its nodes (each pod from its binding until its deletion), bought from the offerings this arm may launch ' +
    "(instance types, zones and capacity types its NodePools allow, or its node groups' type, zones and capacity type, " +
    'at their allocatable size and price). Pods no allowed type or remaining limit could hold never run, so they never ' +
    'count; daemonset requests are left out; so cost >= lowerBound for every run. ratioToLowerBound is cost over this ' +
    'bound, null when the bound is 0 (no pod ran on a node this arm paid for): there is no ratio to compare.',
  idleShare:
    'One minus the CPU requested by pods bound to a node over the node-seconds of its allocatable CPU (capacity less ' +
    'kube-reserved, system-reserved and eviction threshold), summed over every node while it was paid for. Daemonset ' +
    'requests are not in the log, so they count as idle.',
  disruptionImpact:
    'podsDisrupted counts the pods with priority >= 0 that the log deletes with a cause (pod.deleted "cause": evicted ' +
    'by a disruption decision, or on a node that was taken away or interrupted). podSecondsUnavailable counts, for each ' +
    'of them, the seconds from its deletion until its replacement became Ready. Replacements are paired first in, first ' +
    'out per workload: each pod of the same workload that becomes Ready (for the first time) at or after a deletion ' +
    "replaces the oldest disrupted pod of that workload not yet replaced, whoever created it (the ReplicaSet's " +
    'replacement may be created before the old pod is gone). A disrupted pod never replaced counts until the run ends. ' +
    'The time a pod spends terminating before its deletion is not counted, and the replacement also counts in ' +
    'pod-to-ready as a new pod.',
};
