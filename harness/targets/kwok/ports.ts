import { createServer, type Server } from 'node:net';

/** Loopback only: the kwok control plane never listens beyond this machine. */
export const LOOPBACK = '127.0.0.1';

/**
 * `n` distinct ports the kernel says are free right now: all are held open until every one is chosen, so none is
 * handed out twice. Another process could take one before ours binds it; start-up retries then.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, LOOPBACK, () => resolve(server));
    })),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    return typeof address === 'object' && address ? address.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  if (ports.some((p) => p === 0)) throw new Error('the kernel assigned no port');
  return ports;
}

/** True when nothing listens on the loopback port: how teardown proves it left no port behind. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}
