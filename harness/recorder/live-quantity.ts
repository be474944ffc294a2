/** Kubernetes resource quantities as the event log's integers: CPU in millicores, memory in MiB. */

const DECIMAL: Record<string, number> = { '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A quantity's value in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+)(?:[eE]([+-]?[0-9]+))?([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return undefined;
  const value = Number(m[1]) * (m[2] !== undefined ? 10 ** Number(m[2]) : 1);
  const suffix = m[3] ?? '';
  const scale = BINARY[suffix] ?? DECIMAL[suffix];
  return scale === undefined || !Number.isFinite(value) ? undefined : value * scale;
}

export function cpuMilli(q: string | number | undefined): number {
  return Math.round((parseQuantity(q) ?? 0) * 1000);
}

export function memoryMiB(q: string | number | undefined): number {
  return Math.round((parseQuantity(q) ?? 0) / 2 ** 20);
}
