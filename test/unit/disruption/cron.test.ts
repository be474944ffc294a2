import { describe, expect, it } from 'vitest';
import { CronSyntaxError, firesAt, parseCron, windowCovers } from '../../../provisioner/disruption/cron.js';

const at = (iso: string): number => Date.parse(iso);

describe('budget schedules (cron in UTC)', () => {
  it('fires on the minutes the five fields name, weekday names included', () => {
    const s = parseCron('0 9 * * mon-fri');
    expect(firesAt(s, at('2026-01-05T09:00:00Z'))).toBe(true);
    expect(firesAt(s, at('2026-01-05T09:01:00Z'))).toBe(false);
    expect(firesAt(s, at('2026-01-04T09:00:00Z'))).toBe(false);
  });

  it('reads the macros upstream allows', () => {
    expect(firesAt(parseCron('@daily'), at('2026-01-05T00:00:00Z'))).toBe(true);
    expect(firesAt(parseCron('@hourly'), at('2026-01-05T07:00:00Z'))).toBe(true);
    expect(firesAt(parseCron('@weekly'), at('2026-01-04T00:00:00Z'))).toBe(true);
    expect(firesAt(parseCron('@monthly'), at('2026-02-01T00:00:00Z'))).toBe(true);
    expect(firesAt(parseCron('@yearly'), at('2026-02-01T00:00:00Z'))).toBe(false);
  });

  it('takes steps, ranges and lists', () => {
    const s = parseCron('*/15 8-10,22 * * *');
    expect(firesAt(s, at('2026-01-05T08:45:00Z'))).toBe(true);
    expect(firesAt(s, at('2026-01-05T22:30:00Z'))).toBe(true);
    expect(firesAt(s, at('2026-01-05T11:00:00Z'))).toBe(false);
  });

  it('matches a day when either day field does, when both are restricted', () => {
    const s = parseCron('0 0 1 * sun');
    expect(firesAt(s, at('2026-01-04T00:00:00Z'))).toBe(true);
    expect(firesAt(s, at('2026-01-01T00:00:00Z'))).toBe(true);
    expect(firesAt(s, at('2026-01-05T00:00:00Z'))).toBe(false);
  });

  it('covers an instant within duration of a firing, and not after the window closes', () => {
    const s = parseCron('0 9 * * *');
    expect(windowCovers(s, 8 * 3_600_000, at('2026-01-05T16:59:00Z'))).toBe(true);
    expect(windowCovers(s, 8 * 3_600_000, at('2026-01-05T17:00:00Z'))).toBe(false);
    expect(windowCovers(s, 8 * 3_600_000, at('2026-01-05T08:59:59Z'))).toBe(false);
  });

  it.each(['0 9 * *', '61 * * * *', '0 9 * * funday', '*/0 * * * *', '5-1 * * * *'])('rejects %s with a syntax error', (text) => {
    expect(() => parseCron(text)).toThrow(CronSyntaxError);
  });
});
