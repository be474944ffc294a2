/**
 * The lines burstlab-loadgen (kind/tools/loadgen) writes: first {"start": time}, then one result per request in
 * vegeta's JSON encoding, the format of `vegeta encode --to json` (so the saved file is what `vegeta report` reads).
 */
export type LoadgenLine =
  | { kind: 'start'; wallMs: number }
  | { kind: 'result'; attack: string; seq: number; wallMs: number; latencyMs: number; ok: boolean; code: number; error: string };

/** Parses one line; undefined for a line that is neither (the caller counts those, never drops them silently). */
export function parseLoadgenLine(line: string): LoadgenLine | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (typeof o.start === 'string') {
    const wallMs = Date.parse(o.start);
    return Number.isNaN(wallMs) ? undefined : { kind: 'start', wallMs };
  }
  if (typeof o.attack !== 'string' || typeof o.seq !== 'number' || typeof o.timestamp !== 'string' || typeof o.latency !== 'number' || typeof o.code !== 'number') return undefined;
  const wallMs = Date.parse(o.timestamp);
  if (Number.isNaN(wallMs)) return undefined;
  const error = typeof o.error === 'string' ? o.error : '';
  // vegeta counts 2xx without a transport error as success, as its own report does.
  const ok = o.code >= 200 && o.code < 300 && error === '';
  return { kind: 'result', attack: o.attack, seq: o.seq, wallMs, latencyMs: o.latency / 1e6, ok, code: o.code, error };
}
