import { describe, expect, it } from 'vitest';
import { closestFlag, editDistance, parseCommandArgs } from '../../../harness/runner/args.js';
import { UsageError } from '../../../harness/runner/errors.js';

const OPTIONS = {
  out: { type: 'string' },
  seed: { type: 'string' },
  output: { type: 'string', short: 'o', default: 'table' },
  quiet: { type: 'boolean', short: 'q', default: false },
  'dry-run': { type: 'boolean', default: false },
} as const;

/** The UsageError a command line raises, or a failed expectation when it parses. */
function usageError(args: string[]): UsageError {
  try {
    parseCommandArgs('run', args, OPTIONS);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error(`expected ${args.join(' ')} to be a usage error`);
}

describe('parseCommandArgs', () => {
  it('parses long flags, short flags and positionals', () => {
    const { values, positionals } = parseCommandArgs('run', ['a.yaml', '-q', '-o', 'json', '--seed', '7'], OPTIONS);
    expect(positionals).toEqual(['a.yaml']);
    expect(values).toMatchObject({ quiet: true, output: 'json', seed: '7' });
  });

  it('reads grouped short flags as node does: -qo json', () => {
    expect(parseCommandArgs('run', ['-qo', 'json'], OPTIONS).values).toMatchObject({ quiet: true, output: 'json' });
  });

  it('rejects an empty value such as --seed= instead of reading it as seed 0', () => {
    const err = usageError(['a.yaml', '--seed=']);
    expect(err.message).toBe('--seed needs a value, got an empty one');
    expect(err.exitCode).toBe(2);
  });

  it('rejects a string flag at the end of the line with no value', () => {
    expect(usageError(['a.yaml', '--out']).message).toBe('--out needs a value');
  });

  it('does not take the next flag as the value of a flag that needs one', () => {
    const err = usageError(['a.yaml', '--out', '--seed', '3']);
    expect(err.message).toBe("--out needs a value, got '--seed', which reads as an option");
    expect(err.hint).toMatch(/--out=--seed/);
  });

  it('suggests the closest known flag for a misspelt one', () => {
    const err = usageError(['a.yaml', '--sed', '3']);
    expect(err.message).toBe("unknown option '--sed'");
    expect(err.hint).toBe('did you mean --seed? see burstlab run --help');
  });

  it('suggests the flag an unknown prefix starts', () => {
    expect(usageError(['--dry']).hint).toMatch(/^did you mean --dry-run\?/);
  });

  it('names an unknown short flag without inventing a suggestion', () => {
    const err = usageError(['-z']);
    expect(err.message).toBe("unknown option '-z'");
    expect(err.hint).toBe('see burstlab run --help');
  });

  it('rejects a value given to a switch', () => {
    expect(usageError(['--quiet=yes']).message).toBe("--quiet takes no value, got '--quiet=yes'");
  });

  it('keeps every message to one line', () => {
    for (const args of [['--seed='], ['--out'], ['--sed'], ['-z'], ['--quiet=1'], ['--out', '-x']]) {
      const err = usageError(args);
      expect(err.message).not.toMatch(/\n/);
      expect(err.hint ?? '').not.toMatch(/\n/);
    }
  });
});

describe('closestFlag', () => {
  it('offers nothing for a word that is not near any flag', () => {
    expect(closestFlag('banana', OPTIONS)).toBeNull();
  });

  it('suggests a short flag typed in the wrong case', () => {
    expect(closestFlag('Q', OPTIONS)).toBe('-q');
  });

  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('sede', 'seed')).toBe(1);
  });
});
