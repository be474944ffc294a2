/**
 * events.jsonl on disk while a run is under way: written as the events happen, read back one arm at a time, so a
 * run never holds its whole history in memory (a 24 h day at 150,000 pods logs millions of events).
 */
import { closeSync, createReadStream, createWriteStream, openSync, readSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGzip } from 'node:zlib';
import type { RunEvent } from '../../provisioner/runtime/events.js';
import { EventLogError, jsonlLine, parseLine } from './jsonl.js';

/** Bytes buffered before a write: large enough that writes cost nothing, small next to a run's memory. */
const FLUSH_BYTES = 1 << 20;

/**
 * Appends events to a file as lines, byte for byte what toJsonl would give for the same events. Writes are
 * synchronous: the simulation that emits them is synchronous too, and runs on a worker thread.
 */
export class JsonlFileWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private buffered = 0;
  private open = true;
  /** Events written so far. */
  count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(e: RunEvent): void {
    const line = jsonlLine(e) + '\n';
    this.buffer.push(line);
    this.buffered += line.length;
    this.count++;
    if (this.buffered >= FLUSH_BYTES) this.flush();
  }

  /** Flushes and closes the file; safe to call again (a failed run closes it in a finally). */
  close(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }
}

/** The lines of a plain text file, read synchronously a megabyte at a time. */
function* linesOf(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(FLUSH_BYTES);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      const lines = (rest + decoder.write(chunk.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}

/**
 * Each arm's events in turn from a log whose arms are contiguous (as `burstlab run` writes it: one arm after the
 * other), so only one arm is ever in memory. An arm that reappears after another began is an error, not a merge.
 */
export function* armLogs(path: string): Generator<RunEvent[]> {
  const seen = new Set<string>();
  let arm: RunEvent[] = [];
  let n = 0;
  for (const raw of linesOf(path)) {
    n++;
    const line = raw.trim();
    if (line === '') continue;
    const e = parseLine(line, n);
    const current = arm[0]?.autoscaler;
    if (current !== undefined && e.autoscaler !== current) {
      yield arm;
      arm = [];
    }
    if (arm.length === 0) {
      if (seen.has(e.autoscaler)) throw new EventLogError(`events.jsonl line ${n}: arm ${e.autoscaler} appears again after another arm's events`, n);
      seen.add(e.autoscaler);
    }
    arm.push(e);
  }
  if (arm.length > 0) yield arm;
}

/**
 * armLogs as [arm, events in time order] pairs, to iterate more than once: each iteration reads the file anew, so a
 * report that replays every arm holds one arm at a time (ArmEvents in reports/model/timeline.ts).
 */
export function armEventsOf(path: string): Iterable<readonly [string, readonly RunEvent[]]> {
  return {
    *[Symbol.iterator]() {
      for (const events of armLogs(path)) yield [events[0]!.autoscaler, events.sort((a, b) => a.t - b.t)] as const;
    },
  };
}

/** Compresses `source` into `target` (gzip, deterministic: Node writes no name and a zero mtime in the header). */
export async function gzipFile(source: string, target: string): Promise<void> {
  await pipeline(createReadStream(source), createGzip(), createWriteStream(target));
}
