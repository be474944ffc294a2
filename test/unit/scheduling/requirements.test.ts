import { describe, expect, it } from 'vitest';
import { Requirements } from '../../../provisioner/scheduling/requirements.js';

describe('the requirements algebra', () => {
  it('intersects two In sets to their common values', () => {
    const r = Requirements.of([{ key: 'k', operator: 'In', values: ['a', 'b'] }]).intersect(Requirements.of([{ key: 'k', operator: 'In', values: ['b', 'c'] }]));
    expect(r.narrow('k', ['a', 'b', 'c'])).toEqual(['b']);
  });

  it('reports a conflict when In sets do not overlap', () => {
    const r = Requirements.of([{ key: 'k', operator: 'In', values: ['a'] }, { key: 'k', operator: 'In', values: ['b'] }]);
    expect(r.conflict()).toBe('k');
  });

  it('removes NotIn values from an In set', () => {
    const r = Requirements.of([{ key: 'k', operator: 'In', values: ['a', 'b'] }, { key: 'k', operator: 'NotIn', values: ['a'] }]);
    expect(r.narrow('k', ['a', 'b'])).toEqual(['b']);
  });

  it('matches a node without the label for NotIn and DoesNotExist, but not for In or Exists', () => {
    expect(Requirements.of([{ key: 'k', operator: 'NotIn', values: ['a'] }]).matches({})).toBe(true);
    expect(Requirements.of([{ key: 'k', operator: 'DoesNotExist' }]).matches({})).toBe(true);
    expect(Requirements.of([{ key: 'k', operator: 'In', values: ['a'] }]).matches({})).toBe(false);
    expect(Requirements.of([{ key: 'k', operator: 'Exists' }]).matches({})).toBe(false);
  });

  it('compares Gt and Lt as integers', () => {
    const r = Requirements.of([{ key: 'cpu', operator: 'Gt', values: ['2'] }, { key: 'cpu', operator: 'Lt', values: ['16'] }]);
    expect(r.matches({ cpu: '2' })).toBe(false);
    expect(r.matches({ cpu: '8' })).toBe(true);
    expect(r.matches({ cpu: '16' })).toBe(false);
  });

  it('finds an integer range emptied by NotIn a conflict', () => {
    expect(Requirements.of([{ key: 'g', operator: 'Gt', values: ['5'] }, { key: 'g', operator: 'Lt', values: ['7'] }, { key: 'g', operator: 'NotIn', values: ['6'] }]).conflict()).toBe('g');
  });

  it('finds an empty integer range a conflict', () => {
    expect(Requirements.of([{ key: 'g', operator: 'Gt', values: ['5'] }, { key: 'g', operator: 'Lt', values: ['6'] }]).conflict()).toBe('g');
  });

  it('gives the same signature to the same constraints written in another order', () => {
    const a = Requirements.of([{ key: 'x', operator: 'In', values: ['1', '2'] }, { key: 'y', operator: 'Exists' }]);
    const b = Requirements.of([{ key: 'y', operator: 'Exists' }, { key: 'x', operator: 'In', values: ['2', '1'] }]);
    expect(a.signature()).toBe(b.signature());
  });

  it('writes itself back as requirements that mean the same, for the event log', () => {
    const r = Requirements.of([
      { key: 'cat', operator: 'In', values: ['m', 'c', 'r'] },
      { key: 'cat', operator: 'NotIn', values: ['r'] },
      { key: 'gen', operator: 'Gt', values: ['4'] },
      { key: 'size', operator: 'NotIn', values: ['metal'] },
      { key: 'size', operator: 'Exists' },
      { key: 'gpu', operator: 'DoesNotExist' },
    ]);
    expect(Requirements.of(r.toList()).signature()).toBe(r.signature());
    expect(r.toList().find((x) => x.key === 'cat')).toEqual({ key: 'cat', operator: 'In', values: ['c', 'm'] });
  });
});
