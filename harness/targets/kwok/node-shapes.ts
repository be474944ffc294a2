import { Catalog } from '../../../provisioner/catalog/catalog.js';
import { RunError } from '../../runner/errors.js';
import type { KwokNodeSpec } from '../kwok-nodes.js';

const REGION = 'us-east-1';
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'];

/**
 * kwok nodes shaped like real on-demand EC2 instances of one type, spread over the type's zones in turn, with
 * shapes and prices from the instance catalog. Allocatable is the whole instance: system reservations are the
 * provisioner's business, not the control plane's.
 */
export function onDemandNodes(instanceType: string, count: number, opts: { prefix?: string; nodepool?: string; initial?: boolean } = {}): KwokNodeSpec[] {
  const t = new Catalog({ region: REGION, zones: ZONES }).get(instanceType);
  const zones = t?.offerings.filter((o) => o.capacityType === 'on-demand').map((o) => o.zone).sort() ?? [];
  if (!t || zones.length === 0) {
    throw new RunError(`instance type ${instanceType} is not offered on demand in ${REGION}`, 'pick a type from provisioner/catalog/data/');
  }
  return Array.from({ length: count }, (_, i) => ({
    name: `${opts.prefix ?? 'kwok'}-${instanceType.replace('.', '-')}-${i}`,
    instanceType,
    zone: zones[i % zones.length]!,
    capacityType: 'on-demand',
    arch: t.arch,
    nodepool: opts.nodepool ?? 'default',
    cpuMilli: t.vcpu * 1000,
    memoryMiB: t.memoryMiB,
    maxPods: t.capacity.pods,
    pricePerHour: t.onDemandPrice,
    initial: opts.initial ?? true,
  }));
}
