/**
 * Resource quantities as integers: CPU in millicores, memory in MiB, pods and GPUs as counts.
 * Integers keep packing exact: no float drift can over-pack a node.
 */
export interface Resources {
  cpu: number;
  memory: number;
  pods: number;
  gpu: number;
}

export const ZERO: Resources = Object.freeze({ cpu: 0, memory: 0, pods: 0, gpu: 0 });

export function resources(partial: Partial<Resources> = {}): Resources {
  return { cpu: partial.cpu ?? 0, memory: partial.memory ?? 0, pods: partial.pods ?? 0, gpu: partial.gpu ?? 0 };
}

export function add(a: Resources, b: Resources): Resources {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory, pods: a.pods + b.pods, gpu: a.gpu + b.gpu };
}

export function sub(a: Resources, b: Resources): Resources {
  return { cpu: a.cpu - b.cpu, memory: a.memory - b.memory, pods: a.pods - b.pods, gpu: a.gpu - b.gpu };
}

export function addInto(target: Resources, b: Resources): void {
  target.cpu += b.cpu;
  target.memory += b.memory;
  target.pods += b.pods;
  target.gpu += b.gpu;
}

export function subInto(target: Resources, b: Resources): void {
  target.cpu -= b.cpu;
  target.memory -= b.memory;
  target.pods -= b.pods;
  target.gpu -= b.gpu;
}

/** True when `need` fits in `free` on every dimension. */
export function fits(need: Resources, free: Resources): boolean {
  return need.cpu <= free.cpu && need.memory <= free.memory && need.pods <= free.pods && need.gpu <= free.gpu;
}

/** The first dimension on which `need` exceeds `free`, for "Insufficient cpu"-style reasons. */
export function firstShortfall(need: Resources, free: Resources): keyof Resources | null {
  if (need.cpu > free.cpu) return 'cpu';
  if (need.memory > free.memory) return 'memory';
  if (need.pods > free.pods) return 'pods';
  if (need.gpu > free.gpu) return 'gpu';
  return null;
}

export const RESOURCE_NAMES: Record<keyof Resources, string> = { cpu: 'cpu', memory: 'memory', pods: 'pods', gpu: 'nvidia.com/gpu' };

const CPU_RE = /^(\d+(?:\.\d+)?)(m?)$/;
const MEM_RE = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T|k)?$/;
const MEM_FACTOR_MIB: Record<string, number> = {
  '': 1 / 2 ** 20, Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024,
  k: 1000 / 2 ** 20, K: 1000 / 2 ** 20, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20, T: 1e12 / 2 ** 20,
};

/** Parses a Kubernetes CPU quantity ('500m', '2', 1.5) into millicores, rounding up as the API server does. */
export function parseCpu(q: string | number): number | null {
  const m = CPU_RE.exec(String(q).trim());
  if (!m) return null;
  const v = Number(m[1]);
  return Math.ceil(m[2] === 'm' ? v : v * 1000);
}

/** Parses a Kubernetes memory quantity ('512Mi', '2Gi', '1G', bytes) into MiB, rounding up. */
export function parseMemory(q: string | number): number | null {
  const m = MEM_RE.exec(String(q).trim());
  if (!m) return null;
  return Math.ceil(Number(m[1]) * MEM_FACTOR_MIB[m[2] ?? '']!);
}

export function formatCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function formatMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
