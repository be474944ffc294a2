import type { EC2Client } from '@aws-sdk/client-ec2';
import type { FisClient } from '@aws-sdk/client-fis';
import { cleanupRun, type CleanupReport } from './cleanup.js';
import { FisExperiment } from './fis.js';
import { deleteRunNamespace, type NamespaceOutcome } from './run-namespace.js';
import { readMarker, removeMarker, staleMarkers, writeMarker, type RunMarker } from './run-markers.js';

export interface AwsClients {
  ec2: EC2Client;
  fis: FisClient;
}

/** The clients for a region: a crashed run found at start may have run in another one. */
export type ClientsFor = (region: string) => AwsClients;

/** Deletes a run's namespace if it carries the run's label (run-namespace.ts). */
export type NamespaceCleanup = (marker: Pick<RunMarker, 'runId' | 'namespace' | 'kubeconfig' | 'context'>) => Promise<NamespaceOutcome>;

export interface RunCleanup {
  runId: string;
  aws: CleanupReport;
  namespace: NamespaceOutcome;
}

/**
 * Everything a run left behind, found by its run tag and label: FIS experiments stopped and templates deleted,
 * instances terminated, its namespace deleted; then its marker removed. What `burstlab cleanup` and a start that
 * finds a crashed run both do.
 */
export async function cleanupMarkedRun(marker: Pick<RunMarker, 'runId' | 'region' | 'namespace' | 'kubeconfig' | 'context'>, clientsFor: ClientsFor, stateDir: string, namespaces?: NamespaceCleanup): Promise<RunCleanup> {
  const aws = await cleanupRun(clientsFor(marker.region), marker.runId);
  const namespace = await (namespaces ?? deleteRunNamespace)(marker);
  removeMarker(stateDir, marker.runId);
  return { runId: marker.runId, aws, namespace };
}

/**
 * Cleans up after every run on this machine whose process died without removing its marker (SIGKILL, a crash, a
 * lost terminal): what each start does first.
 */
export async function recoverCrashedRuns(stateDir: string, clientsFor: ClientsFor, namespaces?: NamespaceCleanup, onRecovered?: (c: RunCleanup) => void, onUnreadable?: (path: string) => void): Promise<RunCleanup[]> {
  const done: RunCleanup[] = [];
  const { stale, unreadable } = staleMarkers(stateDir);
  for (const path of unreadable) onUnreadable?.(path);
  for (const m of stale) {
    const c = await cleanupMarkedRun(m, clientsFor, stateDir, namespaces);
    onRecovered?.(c);
    done.push(c);
  }
  return done;
}

export interface SessionOptions {
  stateDir: string;
  clientsFor: ClientsFor;
  marker: Omit<RunMarker, 'pid' | 'host' | 'startedAt'>;
  startedAt: string;
  namespaces?: NamespaceCleanup;
  /** Told about each crashed run found and cleaned up at start. */
  onRecovered?: (c: RunCleanup) => void;
  /** Told about each marker that cannot be read: left in place for a person to check, never deleted blindly. */
  onUnreadable?: (path: string) => void;
}

/**
 * The AWS side of one run on EKS. At start it cleans up after every crashed run the state folder knows of, then
 * marks its own run; at its end, however it ends, it stops and deletes its experiments, terminates its instances
 * and removes the marker. A SIGKILL skips the end: the marker stays, and the next start (or `burstlab cleanup`)
 * does it.
 */
export class EksSession {
  private readonly experiments: FisExperiment[] = [];
  private ended: Promise<RunCleanup> | undefined;

  private constructor(
    private readonly options: SessionOptions,
    readonly clients: AwsClients,
  ) {}

  static async start(options: SessionOptions): Promise<EksSession> {
    await recoverCrashedRuns(options.stateDir, options.clientsFor, options.namespaces, options.onRecovered, options.onUnreadable);
    if (readMarker(options.stateDir, options.marker.runId)) throw new Error(`run ${options.marker.runId} is already marked as running: choose another run id`);
    writeMarker(options.stateDir, { ...options.marker, startedAt: options.startedAt });
    return new EksSession(options, options.clientsFor(options.marker.region));
  }

  get runId(): string {
    return this.options.marker.runId;
  }

  /** An experiment of this run, stopped and deleted at the end whatever happens to it meanwhile. */
  experiment(key: string): FisExperiment {
    const e = new FisExperiment(this.clients.fis, this.runId, key);
    this.experiments.push(e);
    return e;
  }

  /** Stops every experiment of the run that still runs (the SLO guard, Ctrl-C). */
  async stopExperiments(): Promise<void> {
    for (const e of this.experiments) await e.stop();
  }

  /** Ends the run: experiments first (no fault outlives the run), then everything tagged with it. Idempotent. */
  end(): Promise<RunCleanup> {
    return (this.ended ??= (async () => {
      for (const e of this.experiments) await e.dispose();
      return cleanupMarkedRun(this.options.marker, this.options.clientsFor, this.options.stateDir, this.options.namespaces);
    })());
  }
}
