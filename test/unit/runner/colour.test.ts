import { describe, expect, it } from 'vitest';
import { ANSI, colourEnabled, colourFor, paintTable, PLAIN } from '../../../harness/runner/colour.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };
const ANSI_CODE = /\x1b\[/;

describe('colour', () => {
  it('is on for a terminal', () => {
    expect(colourEnabled(tty, {})).toBe(true);
  });

  it('is off when the stream is piped or a file', () => {
    expect(colourEnabled(pipe, {})).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
  });

  it('is off on a terminal when NO_COLOR is set', () => {
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
  });

  it('ignores an empty NO_COLOR, as no-color.org says', () => {
    expect(colourEnabled(tty, { NO_COLOR: '' })).toBe(true);
  });

  it('is off for TERM=dumb', () => {
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('is forced on by FORCE_COLOR even when piped or with NO_COLOR, as in Node', () => {
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
  });

  it('is forced off by FORCE_COLOR=0 on a terminal', () => {
    expect(colourEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
  });

  it('leaves text untouched when off', () => {
    expect(colourFor(pipe, {}).red('FAIL')).toBe('FAIL');
  });
});

describe('paintTable', () => {
  const table = ['                 a      b', '-----', 'p99         9.0 s *  20.0 s  ', 'SLOs       pass    FAIL (1)  ', '* = better.'].join('\n');

  it('paints FAIL red, pass green and the better-value mark', () => {
    const painted = paintTable(table, ANSI);
    expect(painted).toContain(ANSI.red('FAIL (1)'));
    expect(painted).toContain(ANSI.green('pass'));
    expect(painted).toContain(`9.0 s ${ANSI.bold(ANSI.green('*'))}`);
  });

  it('changes nothing but the colour codes', () => {
    expect(paintTable(table, ANSI).replace(/\x1b\[\d+m/g, '')).toBe(table);
  });

  it('adds no colour codes when colour is off', () => {
    expect(paintTable(table, PLAIN)).not.toMatch(ANSI_CODE);
  });
});
