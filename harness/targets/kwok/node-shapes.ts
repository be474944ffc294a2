import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunError } from '../../runner/errors.js';
import type { KwokNodeSpec } from '../kwok-nodes.js';
import { kindDir } from './tools.js';

interface CatalogEntry {
  name: string;
  vcpu: number;
  memoryMiB: number;
  architectures: string[];
  eniMaxPods: number;
  onDemandPriceUSDPerHour: Record<string, number>;
  zones: Record<string, string[]>;
}

/**
 * kwok nodes shaped like real on-demand EC2 instances of one type, spread over the type's zones in turn, with
 * shapes and prices from the bundled us-east-1 snapshot (provisioner/catalog/data). Allocatable is the whole
 * instance: system reservations are the provisioner's business, not the control plane's.
 */
export function onDemandNodes(instanceType: string, count: number, opts: { prefix?: string; nodepool?: string; initial?: boolean } = {}): KwokNodeSpec[] {
  const file = join(kindDir(), '..', 'provisioner', 'catalog', 'data', 'aws-instance-types-us-east-1.json');
  const catalog = JSON.parse(readFileSync(file, 'utf8')) as { instanceTypes: CatalogEntry[] };
  const t = catalog.instanceTypes.find((x) => x.name === instanceType);
  const price = t?.onDemandPriceUSDPerHour['us-east-1'];
  const zones = t?.zones['us-east-1'] ?? [];
  if (!t || price === undefined || zones.length === 0) {
    throw new RunError(`instance type ${instanceType} is not offered on demand in us-east-1`, `pick one listed in ${file}`);
  }
  return Array.from({ length: count }, (_, i) => ({
    name: `${opts.prefix ?? 'kwok'}-${instanceType.replace('.', '-')}-${i}`,
    instanceType,
    zone: zones[i % zones.length]!,
    capacityType: 'on-demand',
    arch: t.architectures.includes('x86_64') ? 'amd64' : 'arm64',
    nodepool: opts.nodepool ?? 'default',
    cpuMilli: t.vcpu * 1000,
    memoryMiB: t.memoryMiB,
    maxPods: t.eniMaxPods,
    pricePerHour: price,
    initial: opts.initial ?? true,
  }));
}
