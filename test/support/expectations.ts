import { expect } from 'vitest';
import type { Resources } from '../../provisioner/api/resources.js';
import type { Plan, PlannedClaim } from '../../provisioner/scheduling/solver.js';

/** Every pod of the plan got a new claim or a nomination, and none is unsatisfiable. */
export function expectProvisioned(plan: Plan, pods: number): void {
  expect(plan.unsatisfiable).toEqual([]);
  const placed = plan.nominations.length + plan.claims.reduce((n, c) => n + c.pods.length, 0);
  expect(placed).toBe(pods);
}

/** No claim holds more than the allocatable of the type it launches as (daemonset overhead included). */
export function expectNoClaimOverpacked(plan: Plan): void {
  for (const c of plan.claims) {
    const a = c.launch.type.allocatable;
    expect(c.requested.cpu, `${c.launch.type.name} cpu`).toBeLessThanOrEqual(a.cpu);
    expect(c.requested.memory, `${c.launch.type.name} memory`).toBeLessThanOrEqual(a.memory);
    expect(c.requested.pods, `${c.launch.type.name} pods`).toBeLessThanOrEqual(a.pods);
    expect(c.requested.gpu, `${c.launch.type.name} gpu`).toBeLessThanOrEqual(a.gpu);
  }
}

export function totalCpu(claims: readonly PlannedClaim[]): number {
  return claims.reduce((n, c) => n + c.launch.type.capacity.cpu, 0);
}

export function fitsWithin(requested: Resources, allocatable: Resources): boolean {
  return requested.cpu <= allocatable.cpu && requested.memory <= allocatable.memory && requested.pods <= allocatable.pods && requested.gpu <= allocatable.gpu;
}
