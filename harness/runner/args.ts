import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A subcommand's flags and positionals, parsed strictly: an unknown flag (with the closest known one suggested), a
 * flag missing its value, an empty value (`--seed=`) or a value given to a switch is a UsageError (exit 2) with a
 * one-line hint, never node:util's raw message.
 */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O) {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  const help = `see burstlab ${command} --help`;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    const flag = token.rawName;
    if (!spec) {
      const near = closestFlag(token.name, options);
      throw new UsageError(`unknown option '${flag}'`, near ? `did you mean ${near}? ${help}` : help);
    }
    const long = `--${token.name}`;
    if (spec.type === 'boolean') {
      if (token.inlineValue) throw new UsageError(`${long} takes no value, got '${flag}=${token.value}'`, `write just ${long}`);
      continue;
    }
    if (token.value === undefined) throw new UsageError(`${flag} needs a value`, `write ${long} VALUE; ${help}`);
    if (token.value.trim() === '') throw new UsageError(`${flag} needs a value, got an empty one`, `write ${long} VALUE; ${help}`);
    if (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') {
      throw new UsageError(`${flag} needs a value, got '${token.value}', which reads as an option`, `a value starting with '-' is written ${long}=${token.value}`);
    }
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(firstLine((err as Error).message), help, { cause: err });
  }
}

/** The known long flag nearest to a misspelt one ('--sed' -> '--seed'), or null when none is plausibly meant. */
export function closestFlag(name: string, options: Options): string | null {
  const entries = Object.entries(options);
  // Any two letters are one edit apart: a short flag is only suggested for a wrong case ('-Q' for '-q').
  if (name.length === 1) {
    const short = entries.find(([, spec]) => spec.short?.toLowerCase() === name.toLowerCase())?.[1].short;
    return short ? `-${short}` : null;
  }
  const prefixed = entries.find(([known]) => known.startsWith(name));
  if (prefixed) return `--${prefixed[0]}`;
  let best: { flag: string; distance: number } | null = null;
  for (const [known] of entries) {
    const d = editDistance(name, known);
    if (best === null || d < best.distance) best = { flag: `--${known}`, distance: d };
  }
  // One edit in four characters is a typo; more is a different word.
  return best && best.distance <= Math.max(1, Math.floor(name.length / 4)) ? best.flag : null;
}

/** Levenshtein distance with adjacent transpositions counted as one edit ('--sede' and '--sed'...). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!;
}
