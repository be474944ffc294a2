import { describe, expect, it } from 'vitest';
import { epochOffsetMinutes, formatClock, formatDelta, formatDuration, formatUSD } from '../../../reports/format.js';

describe('format', () => {
  it('writes durations the way people say them', () => {
    expect([0.25, 4.2, 42, 372, 86_400].map(formatDuration)).toEqual(['0.25 s', '4.2 s', '42 s', '6 m 12 s', '24 h 00 m']);
  });

  it('writes money in cents, and unit costs below a cent with three significant digits', () => {
    expect([2143.912, 0.2, 0.000123456].map(formatUSD)).toEqual(['$2,143.91', '$0.20', '$0.000123']);
  });

  it('says how far behind the best a value is, in ratios, percentages or percentage points', () => {
    expect(formatDelta(300, 75, 'duration')).toBe('4.0×');
    expect(formatDelta(90, 75, 'duration')).toBe('+20%');
    expect(formatDelta(0.9904, 0.9976, 'percent')).toBe('−0.72 pp');
  });

  it("shows scenario clock times in the epoch's own UTC offset", () => {
    const epoch = '2026-03-02T00:00:00+05:30';
    expect(epochOffsetMinutes(epoch)).toBe(330);
    expect(formatClock(Date.parse(epoch), 330, 33_300)).toBe('09:15:00');
  });
});
