import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { RunEvent } from '../../provisioner/runtime/events.js';

/** One event's line, without its newline: fixed key order (t, autoscaler, type, rest), so logs diff cleanly. */
export function jsonlLine(e: RunEvent): string {
  const { t, autoscaler, type, ...rest } = e;
  return JSON.stringify({ t, autoscaler, type, ...rest });
}

/** Serialises events one per line with a fixed key order (t, autoscaler, type, rest), so logs diff cleanly. */
export function toJsonl(events: Iterable<RunEvent>): string {
  return [...jsonlChunks(events)].join('');
}

/** The same text as toJsonl, a few thousand lines at a time, so a writer can yield between chunks. */
export function* jsonlChunks(events: Iterable<RunEvent>, linesPerChunk = 5_000): Generator<string> {
  let lines: string[] = [];
  for (const e of events) {
    lines.push(jsonlLine(e));
    if (lines.length === linesPerChunk) {
      yield lines.join('\n') + '\n';
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('\n') + '\n';
}

/** Writes events.jsonl chunk by chunk, awaiting `between` after each (to yield to signals, or to stop by throwing). */
export async function writeJsonl(path: string, events: Iterable<RunEvent>, between?: () => Promise<void>): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (const chunk of jsonlChunks(events)) {
      await file.write(chunk);
      await between?.();
    }
  } finally {
    await file.close();
  }
}

export class EventLogError extends Error {
  constructor(
    message: string,
    readonly line: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EventLogError';
  }
}

/** Parses an events.jsonl text; a malformed line is an error naming its line number. */
export function parseJsonl(text: string): RunEvent[] {
  const out: RunEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    out.push(parseLine(line, i + 1));
  }
  return out;
}

/** Streams a large events.jsonl from disk without holding the text in memory; a `.gz` path is gunzipped on the way. */
export async function readJsonl(path: string): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  const file = createReadStream(path);
  const input = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  // A read or gunzip error (a truncated or corrupt .gz) must reach the caller rather than hang the line reader.
  if (input !== file) file.on('error', (err) => input.destroy(err));
  input.setEncoding('utf8');
  const rl = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const raw of rl) {
    n++;
    const line = raw.trim();
    if (line !== '') out.push(parseLine(line, n));
  }
  return out;
}

export function parseLine(line: string, n: number): RunEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new EventLogError(`events.jsonl line ${n}: not valid JSON`, n, { cause });
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { t?: unknown }).t !== 'number' ||
    typeof (value as { type?: unknown }).type !== 'string' ||
    typeof (value as { autoscaler?: unknown }).autoscaler !== 'string'
  ) {
    throw new EventLogError(`events.jsonl line ${n}: an event needs numeric "t", string "type" and "autoscaler"`, n);
  }
  return value as RunEvent;
}
