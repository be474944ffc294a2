import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, Timer } from '../../provisioner/runtime/clock.js';
import { ServiceQueue } from './service-queue.js';

/** The only address the stand-in listens on: load never leaves this machine. */
export const LOOPBACK = '127.0.0.1';

/** Requests one workload holds open at most: enough for its capacity times the timeout, bounded so memory is too. */
export const MAX_HELD_PER_WORKLOAD = 5_000;

export interface EndpointWorkload {
  name: string;
  /** Requests per wall second one ready endpoint serves, already scaled by the run's rateScale. */
  capacityRpsPerPod: number;
  baseLatencyMs: number;
}

export interface EndpointServerOptions {
  workloads: readonly EndpointWorkload[];
  timeoutMs: number;
  /** Wall time (harness/clock/scaled-clock.ts turns a live run's scenario clock into it). */
  clock: Clock;
}

/** The URL path a workload is served on. */
export function workloadPath(name: string): string {
  return `/w/${encodeURIComponent(name)}`;
}

/** The workload a request path names; '' for one that is not a workload path or does not decode. */
function workloadOf(url: string): string {
  try {
    return decodeURIComponent(url.slice('/w/'.length).split('?')[0]!);
  } catch {
    return '';
  }
}

/**
 * The loopback stand-in for the workloads' Services: one HTTP server on a kernel-chosen port, a path per workload,
 * each served by a ServiceQueue whose capacity follows the workload's ready endpoints (`setReadyPods`, fed from its
 * EndpointSlices). A served request gets 200 after its latency; a failed one 503 (no endpoints, queue full) or 504
 * (waited past the timeout).
 */
export class EndpointServer {
  private readonly queues = new Map<string, ServiceQueue>();
  private readonly pending = new Set<Timer>();
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly o: EndpointServerOptions) {
    for (const w of o.workloads) {
      this.queues.set(w.name, new ServiceQueue({ capacityRpsPerPod: w.capacityRpsPerPod, baseLatencyMs: w.baseLatencyMs, timeoutMs: o.timeoutMs, maxHeld: MAX_HELD_PER_WORKLOAD }));
    }
  }

  /** Listens on a free loopback port; resolves with the base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = this.o.timeoutMs + 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    return this.baseUrl;
  }

  get baseUrl(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  urlOf(workload: string): string {
    return this.baseUrl + workloadPath(workload);
  }

  setReadyPods(workload: string, n: number): void {
    this.queues.get(workload)?.setReadyPods(n);
  }

  readyPods(workload: string): number {
    return this.queues.get(workload)?.ready ?? 0;
  }

  /** Requests of the workload held open right now (queued, or waiting to fail). */
  holding(workload: string): number {
    return this.queues.get(workload)?.holding ?? 0;
  }

  /** Answers nothing more, closes every connection and the port; resolves once it is released. */
  async stop(): Promise<void> {
    for (const t of this.pending) t.cancel();
    this.pending.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const queue = req.url?.startsWith('/w/') ? this.queues.get(workloadOf(req.url)) : undefined;
    if (!queue) {
      res.writeHead(404).end();
      return;
    }
    const a = queue.admit(this.o.clock.now());
    if (a.reason === 'queue-full') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('queue full\n');
      return;
    }
    const timer = this.o.clock.setTimer(a.latencyMs, () => {
      this.pending.delete(timer);
      queue.release();
      if (a.served) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      else res.writeHead(a.reason === 'timeout' ? 504 : 503, { 'content-type': 'text/plain' }).end(`${a.reason}\n`);
    });
    this.pending.add(timer);
    res.once('close', () => {
      if (!this.pending.delete(timer)) return;
      timer.cancel();
      queue.release();
    });
  }
}
