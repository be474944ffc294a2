/**
 * The tags burstlab puts on every AWS resource it creates (DESIGN.md principle 8): the run tag is how `cleanup`
 * finds leftovers, and how every read is scoped to the run's own resources, never the account's.
 */
export const RUN_TAG = 'burstlab.dev/run';
/** The node (claim) name: the idempotency key of a launch, and how an instance is found again by name. */
export const NODE_TAG = 'burstlab.dev/node';
export const NODEPOOL_TAG = 'karpenter.sh/nodepool';
export const NODEGROUP_TAG = 'burstlab.dev/nodegroup';

/** EC2 and FIS accept these characters in tag values; the rest are escaped. */
const SAFE = /[A-Za-z0-9 _.:/=@-]/;
const MAX_VALUE_LENGTH = 256;

export interface Tag {
  Key: string;
  Value: string;
}

export class TagValueError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`tag ${key}: ${message}`);
    this.name = 'TagValueError';
  }
}

/**
 * `value` as a tag value AWS accepts, losslessly: every character outside the allowed set, and `+` itself, becomes
 * `+XX` per UTF-8 byte, so a hostile name (quotes, newlines, `*`, non-ASCII) can neither be refused by the API nor
 * widen a tag filter. Too long once escaped is an error, never a truncation: two names must not share a tag.
 */
export function escapeTagValue(key: string, value: string): string {
  let out = '';
  for (const ch of value) {
    if (SAFE.test(ch)) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += `+${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out.length > MAX_VALUE_LENGTH) throw new TagValueError(key, `${out.length} characters once escaped, AWS allows ${MAX_VALUE_LENGTH}`);
  return out;
}

/** The inverse of escapeTagValue. */
export function unescapeTagValue(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '+' && /^[0-9A-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const byte of new TextEncoder().encode(value[i])) bytes.push(byte);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** A tag whose value is escaped. */
export function tag(key: string, value: string): Tag {
  return { Key: key, Value: escapeTagValue(key, value) };
}

/** The value of `key` among an AWS resource's tags, unescaped, or undefined. */
export function tagValue(tags: readonly { Key?: string; Value?: string }[] | undefined, key: string): string | undefined {
  const found = tags?.find((t) => t.Key === key)?.Value;
  return found === undefined ? undefined : unescapeTagValue(found);
}

/** An EC2 filter matching resources whose `key` tag is exactly `value` (escaped, so it can hold no wildcard). */
export function tagFilter(key: string, value: string): { Name: string; Values: string[] } {
  return { Name: `tag:${key}`, Values: [escapeTagValue(key, value)] };
}
