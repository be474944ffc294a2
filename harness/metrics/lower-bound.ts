/** One offering a bound may buy from: an instance type's allocatable room at its price in a zone and capacity type. */
export interface PricedShape {
  cpuMilli: number;
  memoryMiB: number;
  pricePerHour: number;
}

/**
 * The cheapest fractional cover of a CPU and memory demand: the linear programme min sum(x_o * price_o) subject to
 * covering both, over the offerings given (those an arm may launch). Its optimum mixes at most two offerings, so it
 * is found on the upper-right convex frontier of the offerings' (CPU per dollar, memory per dollar) points, computed
 * once.
 */
export class LowerBound {
  /** Frontier points in order of increasing CPU per dollar (memory per dollar decreasing). */
  private readonly frontier: Array<{ a: number; b: number }>;

  constructor(shapes: readonly PricedShape[]) {
    const points: Array<{ a: number; b: number }> = [];
    // A free offering covers any demand at no cost: the bound is then 0, never a price the arm did not pay.
    const free = shapes.some((o) => o.pricePerHour <= 0 && (o.cpuMilli > 0 || o.memoryMiB > 0));
    for (const o of free ? [] : shapes) {
      points.push({ a: o.cpuMilli / o.pricePerHour, b: o.memoryMiB / o.pricePerHour });
    }
    this.frontier = upperRightHull(points);
  }

  /** Dollars per hour to cover `cpuMilli` and `memoryMiB` at the cheapest fractional mix. */
  costPerHour(cpuMilli: number, memoryMiB: number): number {
    if (cpuMilli <= 0 && memoryMiB <= 0) return 0;
    if (this.frontier.length === 0) return 0;
    // Largest s with s*(cpu, mem) dominated by a point of the hull; the cost is 1/s.
    let best = 0;
    const f = this.frontier;
    for (const p of f) best = Math.max(best, Math.min(cpuMilli > 0 ? p.a / cpuMilli : Infinity, memoryMiB > 0 ? p.b / memoryMiB : Infinity));
    for (let i = 0; i + 1 < f.length; i++) {
      const p = f[i]!;
      const q = f[i + 1]!;
      // Solve s*(c, m) = p + u*(q - p) for s and u by Cramer's rule; the edge counts when 0 <= u <= 1.
      const da = q.a - p.a;
      const db = q.b - p.b;
      const det = memoryMiB * da - cpuMilli * db;
      if (Math.abs(det) < 1e-12) continue;
      const s = (p.b * da - p.a * db) / det;
      const u = (cpuMilli * p.b - memoryMiB * p.a) / det;
      if (u >= -1e-9 && u <= 1 + 1e-9 && s > best) best = s;
    }
    return best > 0 ? 1 / best : 0;
  }
}

/** The Pareto-optimal part of the convex hull: no point both cheaper in CPU and in memory per dollar. */
function upperRightHull(points: Array<{ a: number; b: number }>): Array<{ a: number; b: number }> {
  const sorted = [...points].sort((p, q) => p.a - q.a || q.b - p.b);
  const hull: Array<{ a: number; b: number }> = [];
  for (const p of sorted) {
    while (hull.length >= 2) {
      const o = hull[hull.length - 2]!;
      const m = hull[hull.length - 1]!;
      if ((m.a - o.a) * (p.b - o.b) - (m.b - o.b) * (p.a - o.a) >= 0) hull.pop();
      else break;
    }
    hull.push(p);
  }
  // Keep from the highest-memory point onward: the part facing up and right.
  let top = 0;
  for (let i = 1; i < hull.length; i++) if (hull[i]!.b > hull[top]!.b) top = i;
  return hull.slice(top);
}
