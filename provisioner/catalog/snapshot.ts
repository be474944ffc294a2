import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One instance type as the bundled AWS snapshot stores it (see provisioner/catalog/data/, `source` inside). */
export interface SnapshotType {
  name: string;
  family: string;
  category: string;
  generation: number;
  size: string;
  vcpu: number;
  memoryMiB: number;
  architectures: string[];
  gpuCount: number;
  gpuManufacturer: string | null;
  bareMetal: boolean;
  burstable: boolean;
  currentGeneration: boolean;
  usageClasses: string[];
  eniMaxPods: number;
  hypervisor: string | null;
  onDemandPriceUSDPerHour: Record<string, number>;
  zones: Record<string, string[]>;
}

export interface Snapshot {
  source: Record<string, string>;
  instanceTypes: SnapshotType[];
}

/** The snapshot shipped inside the package, so a run needs nothing outside the checkout. */
const FILE = 'aws-instance-types-us-east-1.json';
// Compiled code runs from dist/provisioner/catalog/, sources from provisioner/catalog/; the data stays in the source tree.
export const DEFAULT_SNAPSHOT = [new URL(`./data/${FILE}`, import.meta.url), new URL(`../../../provisioner/catalog/data/${FILE}`, import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((p) => existsSync(p)) ?? fileURLToPath(new URL(`./data/${FILE}`, import.meta.url));

let cached: { path: string; snapshot: Snapshot } | undefined;

export function loadSnapshot(path: string = DEFAULT_SNAPSHOT): Snapshot {
  if (cached?.path === path) return cached.snapshot;
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  cached = { path, snapshot };
  return snapshot;
}
