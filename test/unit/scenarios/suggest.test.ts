import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../../scenarios/schema/suggest.js';

describe('did-you-mean suggestions', () => {
  it('counts a swap of adjacent letters as one edit', () => {
    expect(editDistance('replcias', 'replicas')).toBe(1);
  });

  it('picks the nearest of several candidates', () => {
    expect(closest('replicaz', ['resources', 'replicas', 'name'])).toBe('replicas');
  });

  it('offers nothing when every candidate is more than a third of the word away', () => {
    expect(closest('cpx', ['gpu', 'memory'])).toBeNull();
  });
});
