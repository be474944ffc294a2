import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import { FisClient } from '@aws-sdk/client-fis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { sleep, stopwatch } from '../../harness/clock/wall-clock.js';
import { freePorts, LOOPBACK } from '../../harness/targets/kwok/ports.js';
import { startProcess, stopProcesses, type StartedProcess } from '../../harness/targets/kwok/processes.js';

/** Obviously fake: the SDK signs requests with them, moto accepts any. Real credentials are never read by a test. */
export const FAKE_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const REGION = 'us-east-1';
/** The account moto answers as (its default): what it puts in OwnerId and ARNs. */
export const MOTO_ACCOUNT = '123456789012';

export interface Moto {
  endpoint: string;
  ec2(): EC2Client;
  sqs(): SQSClient;
  fis(): FisClient;
  /** Forgets every resource (moto's reset API): each test starts from an empty account. */
  reset(): Promise<void>;
  /** Stops the server and removes its log (idempotent); the log is kept and its path returned when `keepLog`. */
  stop(keepLog?: boolean): Promise<string | undefined>;
}

/** SDK clients pointed at `endpoint`, with fake credentials and no retries (a test sees the first answer). */
export function clientConfig(endpoint: string): { region: string; endpoint: string; credentials: typeof FAKE_CREDENTIALS; maxAttempts: number } {
  return { region: REGION, endpoint, credentials: FAKE_CREDENTIALS, maxAttempts: 1 };
}

/**
 * moto's server on a free loopback port, owned by this process (killed with it, even by SIGKILL, where setpriv
 * exists). Resolves once it answers, within `startMs`; a server that did not come up is stopped and its log shown.
 */
export async function startMoto(server: string, startMs = 60_000): Promise<Moto> {
  const dir = mkdtempSync(join(tmpdir(), 'burstlab-moto-'));
  const logFile = join(dir, 'moto.log');
  let proc: StartedProcess | undefined;
  let endpoint = '';
  const elapsed = stopwatch();
  for (let attempt = 0; attempt < 3 && !endpoint; attempt++) {
    const [port] = await freePorts(1);
    proc = startProcess({ name: 'moto', command: server, args: ['-H', LOOPBACK, '-p', String(port)], logFile }, 'owned');
    let exited = false;
    void proc.exited.then(() => (exited = true));
    while (!exited && elapsed() < startMs) {
      if (await answers(`http://${LOOPBACK}:${port}`)) {
        endpoint = `http://${LOOPBACK}:${port}`;
        break;
      }
      await sleep(100);
    }
    // Another process may have taken the port before moto bound it: try another.
    if (!endpoint) await stopProcesses([proc], 2_000);
  }
  if (!endpoint || !proc) {
    const log = readFileSync(logFile, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`moto did not answer within ${startMs} ms:\n${log.slice(-2000)}`);
  }
  const started = proc;
  let stopped: Promise<string | undefined> | undefined;
  const clients: { destroy(): void }[] = [];
  return {
    endpoint,
    ec2: () => {
      const c = new EC2Client(clientConfig(endpoint));
      clients.push(c);
      return c;
    },
    sqs: () => {
      const c = new SQSClient(clientConfig(endpoint));
      clients.push(c);
      return c;
    },
    fis: () => {
      const c = new FisClient(clientConfig(endpoint));
      clients.push(c);
      return c;
    },
    reset: async () => {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset: HTTP ${res.status}`);
    },
    stop: (keepLog = false) => (stopped ??= (async () => {
      for (const c of clients) c.destroy();
      await stopProcesses([started], 5_000);
      if (keepLog) return logFile;
      rmSync(dir, { recursive: true, force: true });
      return undefined;
    })()),
  };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}
