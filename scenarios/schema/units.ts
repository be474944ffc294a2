import { z } from 'zod';
import { parseCpu, parseMemory } from '../../provisioner/api/resources.js';

const DURATION_RE = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/;

/** '90s', '5m', '1h30m', '250ms', or a bare number of seconds; returns milliseconds or null. */
export function parseDuration(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.round(v * 1000) : null;
  const s = v.trim();
  if (s === '') return null;
  const m = DURATION_RE.exec(s);
  if (!m || m.slice(1).every((g) => g === undefined)) return null;
  const [h, min, sec, ms] = m.slice(1).map((g) => (g === undefined ? 0 : Number(g))) as [number, number, number, number];
  return Math.round(((h * 60 + min) * 60 + sec) * 1000 + ms);
}

/** 'HH:MM' (or 'HH:MM:SS') after the scenario's start; returns milliseconds or null. */
export function parseTimeOfDay(v: string): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v.trim());
  if (!m) return null;
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 48 || min > 59 || sec > 59) return null;
  return ((h * 60 + min) * 60 + sec) * 1000;
}

export const duration = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `'${v}' is not a duration; write e.g. 90s, 5m, 1h30m or 250ms` });
      return z.NEVER;
    }
    return ms;
  });

/** A period or window that must last: zero would make a loop spin, a rate undefined or every request fail. */
export const positiveDuration = duration.refine((ms) => ms > 0, { message: 'must be longer than 0' });

export const timeOfDay = z.string().transform((v, ctx) => {
  const ms = parseTimeOfDay(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `'${v}' is not a time of day; write HH:MM, counted from the scenario's start` });
    return z.NEVER;
  }
  return ms;
});

export const cpu = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const m = parseCpu(v);
  if (m === null) {
    ctx.addIssue({ code: 'custom', message: `'${v}' is not a CPU quantity; write e.g. 250m or 2` });
    return z.NEVER;
  }
  return m;
});

export const memory = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const m = parseMemory(v);
  if (m === null) {
    ctx.addIssue({ code: 'custom', message: `'${v}' is not a memory quantity; write e.g. 512Mi or 2Gi` });
    return z.NEVER;
  }
  return m;
});

export const name = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS-1123 name: lower-case letters, digits, - and .')
  .max(63);
