import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { RunEvent } from './events.js';

/** Serialises events one per line with a fixed key order (t, autoscaler, type, rest), so logs diff cleanly. */
export function toJsonl(events: Iterable<RunEvent>): string {
  return [...jsonlChunks(events)].join('');
}

/** The same text as toJsonl, a few thousand lines at a time, so a writer can yield between chunks. */
export function* jsonlChunks(events: Iterable<RunEvent>, linesPerChunk = 5_000): Generator<string> {
  let lines: string[] = [];
  for (const e of events) {
    const { t, autoscaler, type, ...rest } = e;
    lines.push(JSON.stringify({ t, autoscaler, type, ...rest }));
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

/** Streams a large events.jsonl from disk without holding the text in memory. */
export async function readJsonl(path: string): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of rl) {
    n++;
    const line = raw.trim();
    if (line !== '') out.push(parseLine(line, n));
  }
  return out;
}

function parseLine(line: string, n: number): RunEvent {
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
