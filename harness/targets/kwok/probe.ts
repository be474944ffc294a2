import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ProbeTarget {
  url: string;
  /** CA to verify the server with; without one, TLS is not verified (only for liveness of loopback components
   * that serve with throwaway self-signed certificates). */
  ca?: string;
  token?: string;
}

/** GETs a URL once: the status and body, or null when nothing answers. */
export function probe(target: ProbeTarget, timeoutMs = 2_000): Promise<{ status: number; body: string } | null> {
  const url = new URL(target.url);
  const headers: Record<string, string> = target.token ? { authorization: `Bearer ${target.token}` } : {};
  return new Promise((resolve) => {
    const options = { method: 'GET', headers, timeout: timeoutMs };
    const done = (res: import('node:http').IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve(null));
    };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, ca: target.ca, rejectUnauthorized: target.ca !== undefined }, done)
        : httpRequest(url, options, done);
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}
