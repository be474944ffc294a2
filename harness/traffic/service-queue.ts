import { congestionLatencyMs } from './capacity.js';

/** What becomes of one request: served (or failed) after `latencyMs` of wall time. */
export interface Admission {
  served: boolean;
  latencyMs: number;
  /** Why a failed request failed: no ready endpoint, waited past the timeout, or the bounded queue was full. */
  reason?: 'no-endpoints' | 'timeout' | 'queue-full';
}

export interface ServiceQueueOptions {
  /** Requests per wall second one ready endpoint serves (already scaled by the run's rateScale). */
  capacityRpsPerPod: number;
  baseLatencyMs: number;
  timeoutMs: number;
  /** Requests held open at most (queued or waiting to fail); beyond it a request fails at once. */
  maxHeld: number;
  /** The trailing window the arrival rate is measured over, in wall ms. */
  rateWindowMs?: number;
}

const DEFAULT_RATE_WINDOW_MS = 1_000;

/**
 * One workload's Service as the live run's stand-in serves it: the ready endpoints serve `ready x capacityRpsPerPod`
 * requests per second, first come first served. A request starts service when the capacity before it is used up
 * (a virtual-time queue: each served request occupies 1/capacity seconds), and takes the sim's congestion latency
 * (capacity.ts) at the measured arrival rate; it fails when it could not start before the timeout, so past
 * saturation the served rate is the capacity and the rest fails, as in the sim's `serve`. Failed requests are held
 * until the timeout, as a client waiting on an overloaded Service would be. Pure: time is passed in.
 */
export class ServiceQueue {
  private readyPods = 0;
  /** Wall ms at which the capacity is free for the next request. */
  private nextFreeMs = 0;
  private readonly arrivals: number[] = [];
  private held = 0;
  private readonly rateWindowMs: number;

  constructor(private readonly o: ServiceQueueOptions) {
    this.rateWindowMs = o.rateWindowMs ?? DEFAULT_RATE_WINDOW_MS;
  }

  setReadyPods(n: number): void {
    this.readyPods = n;
  }

  get ready(): number {
    return this.readyPods;
  }

  /** Requests currently held open; the caller reports each one's end with `release`. */
  get holding(): number {
    return this.held;
  }

  admit(nowMs: number): Admission {
    const rps = this.arrivalRps(nowMs);
    if (this.held >= this.o.maxHeld) return { served: false, latencyMs: 0, reason: 'queue-full' };
    this.held++;
    const capacity = this.readyPods * this.o.capacityRpsPerPod;
    if (capacity <= 0) return { served: false, latencyMs: this.o.timeoutMs, reason: 'no-endpoints' };
    if (capacity === Infinity) return { served: true, latencyMs: this.o.baseLatencyMs };
    const start = Math.max(nowMs, this.nextFreeMs);
    const waitMs = start - nowMs;
    if (waitMs + this.o.baseLatencyMs > this.o.timeoutMs) return { served: false, latencyMs: this.o.timeoutMs, reason: 'timeout' };
    this.nextFreeMs = start + 1000 / capacity;
    const congestion = congestionLatencyMs(rps / capacity, this.o.baseLatencyMs, this.o.timeoutMs);
    return { served: true, latencyMs: Math.min(this.o.timeoutMs, waitMs + congestion) };
  }

  /** An admitted request has been answered; every admission but a 'queue-full' one holds a place until then. */
  release(): void {
    this.held = Math.max(0, this.held - 1);
  }

  /** Arrivals per second over the trailing window, this one included. */
  private arrivalRps(nowMs: number): number {
    this.arrivals.push(nowMs);
    let drop = 0;
    while (drop < this.arrivals.length && this.arrivals[drop]! <= nowMs - this.rateWindowMs) drop++;
    if (drop > 0) this.arrivals.splice(0, drop);
    return (this.arrivals.length * 1000) / this.rateWindowMs;
  }
}
