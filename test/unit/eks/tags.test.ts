import { describe, expect, it } from 'vitest';
import { escapeTagValue, TagValueError, tagFilter, tagValue, unescapeTagValue } from '../../../harness/targets/eks/tags.js';

describe('tag values', () => {
  it('keeps the characters AWS allows as they are', () => {
    expect(escapeTagValue('k', 'run-1 a_b.c:d/e=f@g')).toBe('run-1 a_b.c:d/e=f@g');
  });

  it('escapes quotes, wildcards, newlines, plus signs and non-ASCII per UTF-8 byte', () => {
    expect(escapeTagValue('k', 'a"*\n+ü')).toBe('a+22+2A+0A+2B+C3+BC');
  });

  it.each(['plain', 'a"*\n+ü', '+2A', '日本 run', '😀'])('reads back %j exactly', (value) => {
    expect(unescapeTagValue(escapeTagValue('k', value))).toBe(value);
  });

  it('refuses a value too long once escaped instead of truncating it', () => {
    expect(() => escapeTagValue('burstlab.dev/run', '*'.repeat(100))).toThrow(TagValueError);
  });

  it('filters on the escaped value, so a wildcard in a name matches only that name', () => {
    expect(tagFilter('burstlab.dev/run', 'run-*')).toEqual({ Name: 'tag:burstlab.dev/run', Values: ['run-+2A'] });
  });

  it('reads a resource\'s tag unescaped', () => {
    expect(tagValue([{ Key: 'k', Value: 'pool+2A' }], 'k')).toBe('pool*');
    expect(tagValue([{ Key: 'other', Value: 'x' }], 'k')).toBeUndefined();
  });
});
