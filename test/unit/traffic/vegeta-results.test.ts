import { describe, expect, it } from 'vitest';
import { parseLoadgenLine } from '../../../harness/traffic/vegeta-results.js';

// A line as vegeta's JSON encoder writes it (`vegeta encode --to json`).
const RESULT = '{"attack":"web","seq":7,"code":200,"timestamp":"2026-11-25T10:20:00.123456789Z","latency":41500000,"bytes_out":0,"bytes_in":3,"error":"","body":"b2sK","method":"GET","url":"http://127.0.0.1:1/w/web","headers":{}}';

describe('burstlab-loadgen output', () => {
  it('reads a vegeta JSON result: attack, sequence, send time, latency in ms and success', () => {
    expect(parseLoadgenLine(RESULT)).toEqual({ kind: 'result', attack: 'web', seq: 7, wallMs: Date.parse('2026-11-25T10:20:00.123Z'), latencyMs: 41.5, ok: true, code: 200, error: '' });
  });

  it('counts a 5xx or a transport error as a failure', () => {
    expect(parseLoadgenLine(RESULT.replace('"code":200', '"code":504'))).toMatchObject({ ok: false, code: 504 });
    expect(parseLoadgenLine(RESULT.replace('"code":200', '"code":0').replace('"error":""', '"error":"context deadline exceeded"'))).toMatchObject({ ok: false, error: 'context deadline exceeded' });
  });

  it('reads the start line that anchors the plan', () => {
    expect(parseLoadgenLine('{"start":"2026-11-25T10:20:00.5+01:00"}')).toEqual({ kind: 'start', wallMs: Date.parse('2026-11-25T09:20:00.500Z') });
  });

  it('gives undefined for a line that is neither', () => {
    expect(parseLoadgenLine('panic: boom')).toBeUndefined();
    expect(parseLoadgenLine('{"attack":"web"}')).toBeUndefined();
    expect(parseLoadgenLine('{"start":"yesterday"}')).toBeUndefined();
  });
});
