import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import type { Clock, Timer } from '../../provisioner/runtime/clock.js';
import { wallClockOf } from '../clock/scaled-clock.js';
import { RunError } from '../runner/errors.js';
import { diesWithParent } from '../targets/kwok/processes.js';
import { LIVE_NAMESPACE, type LiveContext, type LiveHttpLoad } from '../targets/live/seams.js';
import { capacityRpsPerPod } from './capacity.js';
import { EndpointServer } from './endpoint-server.js';
import { endpointSliceFeed, type ReadyEndpointsFeed, type ReadyEndpointsWatch } from './endpoint-slices.js';
import { offeredLoad, type OfferedLoad } from './offered-load.js';
import { rateScaleFor } from './rate-scale.js';
import { SampleWindows } from './sample-windows.js';
import { parseLoadgenLine } from './vegeta-results.js';

export interface VegetaLoadOptions {
  /** The built kind/tools/loadgen binary (harness/targets/kwok/tools.ts: toolPaths().loadgen). */
  loadgenPath: string;
  /** Where Ready endpoint counts come from; by default the workloads' EndpointSlices in the live namespace. */
  readyFeed?: ReadyEndpointsFeed;
  /** The most requests per wall second to send, all workloads together (rate-scale.ts). */
  maxWallRps?: number;
  /**
   * Told each workload's offered load (scenario rps, before rateScale) as each sample window begins: what a live HPA's
   * metrics follow (LiveLoadMetrics.setOfferedLoad), from the same plan the requests are sent by.
   */
  onOfferedLoad?: (workload: string, rps: number) => void;
}

/** How long vegeta waits beyond the Service's own timeout, so that the stand-in's 504 is what it records. */
const CLIENT_TIMEOUT_SLACK_MS = 2_000;
/** Wall time for the load generator to report that it started. */
const START_TIMEOUT_MS = 10_000;
/** Wall time for it to finish its in-flight requests after being told to stop, before it is killed. */
const STOP_GRACE_MS = 3_000;

/**
 * Real open-model HTTP load for a live run: burstlab-loadgen (vegeta's attacker, kind/tools/loadgen) plays each
 * workload's offered load, one constant rate per sample window exactly as the sim offers it (same profile, same
 * noise draws), against the loopback EndpointServer standing in for the workload's Service; the measured results
 * become traffic.sample events (sample-windows.ts).
 *
 * Rates: wall requests per second = scenario requests per second x rateScale; `--speed` compresses the windows'
 * length, not the rate. Request latencies and the timeout are real milliseconds and are not compressed. The noise
 * is the sim's only when `ctx.random` is the run's root stream (`new Random(scenario.seed)`), as the sim's is.
 *
 * The load generator never outlives this process: it runs in its own process group (stop kills the group), exits
 * when its stdin reaches end of file (this process holds the pipe and never writes; the kernel closes it when this
 * process dies, SIGKILL included), is started under `setpriv --pdeathsig SIGKILL` where available, and an exit
 * hook SIGKILLs its group if this process exits without stopping it.
 */
export class VegetaLoad implements LiveHttpLoad {
  readonly rateScale: number;
  /** What went wrong without stopping the load (a watch error, an unreadable line), for the run's diagnostics. */
  readonly warnings: string[] = [];
  private readonly load: OfferedLoad[];
  private readonly wall: Clock;
  private server: EndpointServer | undefined;
  private watch: ReadyEndpointsWatch | undefined;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private results: WriteStream | undefined;
  private sampler: SampleWindows | undefined;
  private ticker: Timer | undefined;
  private announcer: Timer | undefined;
  private readonly killOnExit = (): void => this.killGroup('SIGKILL');
  private readonly unreadable: { count: number; first?: string } = { count: 0 };

  constructor(
    private readonly ctx: LiveContext,
    private readonly o: VegetaLoadOptions,
  ) {
    this.load = offeredLoad(ctx.scenario, ctx.random);
    this.rateScale = rateScaleFor(this.load, o.maxWallRps);
    this.wall = wallClockOf(ctx.clock, ctx.speed);
  }

  /** The offered load per workload and sample window, in scenario rps before rateScale: what a live HPA's metrics follow. */
  get offered(): readonly OfferedLoad[] {
    return this.load;
  }

  /** The load generator's process id while it runs. */
  get loadgenPid(): number | undefined {
    return this.child?.pid;
  }

  /** The loopback URL each workload is served on, once started. */
  urlOf(workload: string): string | undefined {
    return this.server?.urlOf(workload);
  }

  /** Starts the Service stand-in, its Ready endpoint feed and the load; on failure stops whatever it had started. */
  async start(): Promise<void> {
    if (this.server) throw new RunError('the HTTP load was started twice', 'start it once per arm');
    try {
      await this.begin();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private async begin(): Promise<void> {
    const s = this.ctx.scenario;
    const names = this.load.map((l) => l.workload);
    const server = new EndpointServer({
      timeoutMs: s.requestTimeout,
      clock: this.wall,
      workloads: names.map((name) => {
        const w = s.workloads.find((x) => x.name === name)!;
        return { name, capacityRpsPerPod: capacityRpsPerPod(w) * this.rateScale, baseLatencyMs: w.baseLatency };
      }),
    });
    this.server = server;
    await server.start();
    const feed = this.o.readyFeed ?? endpointSliceFeed(kubeConfigFrom(this.ctx.kubeconfigPath), LIVE_NAMESPACE, names);
    this.watch = await feed((workload, ready) => server.setReadyPods(workload, ready));

    // The plan starts now, once the stand-in serves at the current capacity, in the sample window now falls in.
    const fromMs = this.ctx.clock.now();
    const first = Math.floor(fromMs / s.sampleInterval);
    const windows = Math.max(0, Math.ceil(s.duration / s.sampleInterval) - first);
    if (windows === 0) return;

    this.sampler = new SampleWindows({
      workloads: names, startMs: first * s.sampleInterval, fromMs, windowMs: s.sampleInterval, windows,
      speed: this.ctx.speed, rateScale: this.rateScale, emit: (sample, atMs) => this.ctx.recorder.emit(sample, atMs),
    });
    const planPath = join(this.ctx.logDir, 'loadgen-plan.json');
    writeFileSync(planPath, JSON.stringify(this.plan(fromMs, first, windows), null, 1));
    await this.spawn(planPath, fromMs);
    this.tick();
    this.announce(first, first + windows);
  }

  async stop(): Promise<void> {
    this.ticker?.cancel();
    this.ticker = undefined;
    this.announcer?.cancel();
    this.announcer = undefined;
    if (this.child && this.ctx.clock.now() >= this.ctx.scenario.duration) {
      // The plan has ended: the loadgen exits by itself once its last requests have answered or timed out, every
      // result reported. Told to stop instead, it would give them only a moment and they would never report.
      let timer: Timer | undefined;
      const waited = new Promise<void>((resolve) => (timer = this.wall.setTimer(this.ctx.scenario.requestTimeout + CLIENT_TIMEOUT_SLACK_MS + STOP_GRACE_MS, resolve)));
      await Promise.race([this.exited!, waited]);
      timer?.cancel();
    }
    if (this.child) {
      // End of stdin is the loadgen's signal to stop: it stops sending and reports what is in flight.
      this.child.stdin?.end();
      const gone = await Promise.race([this.exited!.then(() => true), this.wallDelay(STOP_GRACE_MS).then(() => false)]);
      if (!gone) {
        this.killGroup('SIGKILL');
        await this.exited;
      }
    }
    this.sampler?.finish(this.ctx.clock.now());
    if (this.sampler && this.sampler.outside > 0) this.warnings.push(`${this.sampler.outside} results fell outside every sample window`);
    const unreported = this.sampler?.unreported() ?? 0;
    if (unreported > 0) this.warnings.push(`${unreported} requests were sent but never reported: in flight when the load generator was stopped`);
    if (this.unreadable.count > 0) this.warnings.push(`the load generator wrote ${this.unreadable.count} lines that are not vegeta results, the first: ${this.unreadable.first}`);
    this.unreadable.count = 0;
    this.sampler = undefined;
    await new Promise<void>((resolve) => (this.results ? this.results.end(resolve) : resolve()));
    this.results = undefined;
    await this.watch?.stop();
    for (const e of this.watch?.errors ?? []) this.warnings.push(e);
    this.watch = undefined;
    await this.server?.stop();
  }

  /** The loadgen's plan: per workload, the windows from `first` on, the first one shortened to start at `fromMs`. */
  private plan(fromMs: number, first: number, windows: number): object {
    const s = this.ctx.scenario;
    return {
      timeoutMs: s.requestTimeout + CLIENT_TIMEOUT_SLACK_MS,
      workloads: this.load.map((l) => ({
        name: l.workload,
        url: this.server!.urlOf(l.workload),
        stepsMs: Array.from({ length: windows }, (_, i) => (i === 0 ? (first + 1) * s.sampleInterval - fromMs : s.sampleInterval) / this.ctx.speed),
        rates: l.rps.slice(first, first + windows).map((r) => r * this.rateScale),
      })),
    };
  }

  private async spawn(planPath: string, fromMs: number): Promise<void> {
    const logPath = join(this.ctx.logDir, 'loadgen.log');
    const log = openSync(logPath, 'a');
    const { command, args } = diesWithParent(this.o.loadgenPath, ['-plan', planPath]);
    const child = spawn(command, args, { detached: true, stdio: ['pipe', 'pipe', log] });
    closeSync(log);
    this.child = child;
    process.on('exit', this.killOnExit);
    let exitCode: number | string | undefined;
    this.exited = new Promise<void>((resolve) => {
      child.once('close', (code, signal) => {
        exitCode = code ?? signal ?? 'unknown';
        // A clean exit means the plan ended and every result is in: nothing is still waiting to report.
        if (code === 0) this.sampler?.expire(Infinity);
        else if (this.ticker) this.warnings.push(`the load generator exited (${exitCode}) before the load was stopped`);
        process.off('exit', this.killOnExit);
        this.child = undefined;
        resolve();
      });
      child.once('error', (err) => this.warnings.push(`loadgen: ${err.message}`));
    });
    this.results = createWriteStream(join(this.ctx.logDir, 'vegeta-results.jsonl'));
    const started = new Promise<number>((resolve, reject) => {
      const timer = this.wall.setTimer(START_TIMEOUT_MS, () => reject(new RunError(`the load generator did not start within ${START_TIMEOUT_MS / 1000} s`, `read ${logPath}`)));
      void this.exited!.then(() => {
        timer.cancel();
        reject(new RunError(`the load generator exited (${exitCode}) before it started`, `read ${logPath}`));
      });
      let startWallMs: number | undefined;
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const parsed = parseLoadgenLine(line);
        if (parsed?.kind === 'start') {
          startWallMs = parsed.wallMs;
          timer.cancel();
          resolve(parsed.wallMs);
        } else if (parsed?.kind === 'result' && startWallMs !== undefined) {
          this.results?.write(line + '\n');
          this.sampler?.add({
            workload: parsed.attack, seq: parsed.seq, latencyMs: parsed.latencyMs, ok: parsed.ok,
            sentMs: fromMs + (parsed.wallMs - startWallMs) * this.ctx.speed,
          });
        } else {
          this.unreadable.count++;
          this.unreadable.first ??= line.slice(0, 200);
        }
      });
    });
    await started;
  }

  /** Emits windows whose requests have all had time to report, every half window. */
  private tick(): void {
    const s = this.ctx.scenario;
    const graceMs = (s.requestTimeout + CLIENT_TIMEOUT_SLACK_MS + STOP_GRACE_MS) * this.ctx.speed;
    this.ticker = this.ctx.clock.setTimer(s.sampleInterval / 2, () => {
      this.sampler?.expire(this.ctx.clock.now() - graceMs);
      this.tick();
    });
  }

  /** Tells `onOfferedLoad` window `i`'s load now and each later window's as it begins, until window `end`. */
  private announce(i: number, end: number): void {
    const notify = this.o.onOfferedLoad;
    if (!notify || i >= end) return;
    for (const l of this.load) notify(l.workload, l.rps[i] ?? 0);
    const s = this.ctx.scenario;
    this.announcer = this.ctx.clock.setTimer((i + 1) * s.sampleInterval - this.ctx.clock.now(), () => this.announce(i + 1, end));
  }

  private wallDelay(ms: number): Promise<void> {
    return new Promise((resolve) => this.wall.setTimer(ms, resolve));
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function kubeConfigFrom(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}
