import type { TrafficSample } from '../../provisioner/runtime/events.js';

export type TrafficSampleBody = Omit<TrafficSample, 't' | 'autoscaler'>;

/** One request's outcome placed on the scenario clock. */
export interface RequestOutcome {
  workload: string;
  /** vegeta's sequence number: per workload, in the order requests were sent. */
  seq: number;
  /** When it was sent, in scenario ms. */
  sentMs: number;
  latencyMs: number;
  ok: boolean;
}

export interface SampleWindowsOptions {
  workloads: readonly string[];
  /** Scenario ms the first window starts at, and every window's length (the scenario's sampleInterval). */
  startMs: number;
  windowMs: number;
  windows: number;
  /** When the load began, if after `startMs`: the first window covers only the time from then on. */
  fromMs?: number;
  /** Scenario ms per wall ms. */
  speed: number;
  /** Wall request rate / scenario request rate. */
  rateScale: number;
  /** `atMs`: the window's start, where the sim stamps its sample, although it is known only once its requests report. */
  emit(sample: TrafficSampleBody, atMs: number): void;
}

interface Window {
  sent: number;
  ok: number;
  latencies: number[];
}

interface WorkloadWindows {
  windows: Window[];
  /** The next window to emit. */
  next: number;
  /** Every request with seq below this has reported. */
  prefix: number;
  /** Send times of requests reported beyond the prefix. */
  waiting: Map<number, number>;
  /** Latest send time among the prefix: every window ending by it is complete. */
  prefixSentMs: number;
}

/**
 * Turns measured requests into the sim's traffic.sample events, one per workload per sample window: a request
 * belongs to the window it was sent in; rps and servedRps are what was sent and what succeeded, per scenario second
 * and scaled back up by `rateScale`; latencyMs is the 95th percentile of every request's measured latency, failures
 * included (as the sim's is the timeout once a workload saturates). A window is emitted once every request sent
 * in it has reported (vegeta numbers requests in sending order), or when `expire` says it cannot still be waiting.
 */
export class SampleWindows {
  private readonly state = new Map<string, WorkloadWindows>();
  /** Results that fell outside every window: reported by the driver, never silently dropped. */
  outside = 0;

  constructor(private readonly o: SampleWindowsOptions) {
    for (const w of o.workloads) {
      this.state.set(w, {
        windows: Array.from({ length: o.windows }, () => ({ sent: 0, ok: 0, latencies: [] })),
        next: 0, prefix: 0, waiting: new Map(), prefixSentMs: -Infinity,
      });
    }
  }

  add(r: RequestOutcome): void {
    const s = this.state.get(r.workload);
    // The plan has nothing due after its last window: a request sent after its end was due in it and sent late.
    const i = Math.min(this.o.windows - 1, Math.floor((r.sentMs - this.o.startMs) / this.o.windowMs));
    if (!s || i < s.next || i < 0) {
      this.outside++;
    } else {
      const w = s.windows[i]!;
      w.sent++;
      if (r.ok) w.ok++;
      w.latencies.push(r.latencyMs);
    }
    if (!s) return;
    s.waiting.set(r.seq, r.sentMs);
    while (s.waiting.has(s.prefix)) {
      s.prefixSentMs = Math.max(s.prefixSentMs, s.waiting.get(s.prefix)!);
      s.waiting.delete(s.prefix);
      s.prefix++;
    }
    this.emitUntil(s, r.workload, (end) => end <= s.prefixSentMs);
  }

  /** Requests known to have been sent (a later one of their workload reported) that never reported themselves. */
  unreported(): number {
    let n = 0;
    for (const s of this.state.values()) {
      const last = [...s.waiting.keys()].reduce((a, b) => Math.max(a, b), s.prefix - 1);
      n += last + 1 - s.prefix - s.waiting.size;
    }
    return n;
  }

  /** Emits every window that ended by `beforeMs`: its requests have all reported or timed out. */
  expire(beforeMs: number): void {
    for (const [name, s] of this.state) this.emitUntil(s, name, (end) => end <= beforeMs);
  }

  /**
   * The load stopped at `nowMs`: emits every window begun by then, the one under way over the part that elapsed,
   * and drops the windows that never began.
   */
  finish(nowMs: number): void {
    for (const [name, s] of this.state) {
      while (s.next < this.o.windows && this.o.startMs + s.next * this.o.windowMs < nowMs) this.emitWindow(s, name, nowMs);
      s.next = this.o.windows;
    }
  }

  private emitUntil(s: WorkloadWindows, name: string, complete: (endMs: number) => boolean): void {
    while (s.next < this.o.windows && complete(this.o.startMs + (s.next + 1) * this.o.windowMs)) this.emitWindow(s, name, Infinity);
  }

  /** Emits the next window, cut short where the load began or stopped (`untilMs`). */
  private emitWindow(s: WorkloadWindows, name: string, untilMs: number): void {
    const start = Math.max(this.o.startMs + s.next * this.o.windowMs, this.o.fromMs ?? -Infinity);
    const lengthMs = Math.min(this.o.startMs + (s.next + 1) * this.o.windowMs, untilMs) - start;
    const w = s.windows[s.next]!;
    s.windows[s.next] = { sent: 0, ok: 0, latencies: [] };
    s.next++;
    const perScenarioSecond = (n: number): number => Math.round(((n * 1000 * this.o.speed) / lengthMs / this.o.rateScale) * 10) / 10;
    this.o.emit({
      type: 'traffic.sample',
      workload: name,
      rps: perScenarioSecond(w.sent),
      servedRps: perScenarioSecond(w.ok),
      latencyMs: Math.round(p95(w.latencies)),
      windowMs: lengthMs,
    }, start);
  }
}

/** Nearest-rank 95th percentile; 0 when nothing was measured. */
function p95(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}
