/**
 * The requirements algebra of node selection: label constraints that can be intersected (a NodePool's with each
 * pod's), checked against a node's labels, or used to narrow a set of values (zones, capacity types).
 * Operators are Kubernetes' node-affinity operators; semantics follow them (NotIn and DoesNotExist match a node
 * that lacks the label; Gt and Lt compare integers).
 */
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values?: string[];
}

/** One key's allowed values: a finite set, or the complement of one, with optional integer bounds. */
interface Constraint {
  complement: boolean;
  values: ReadonlySet<string>;
  gt: number;
  lt: number;
  allowAbsent: boolean;
}

const ANY: Constraint = { complement: true, values: new Set(), gt: -Infinity, lt: Infinity, allowAbsent: true };

function constraintOf(r: Requirement): Constraint {
  const values = new Set(r.values ?? []);
  switch (r.operator) {
    case 'In':
      return { complement: false, values, gt: -Infinity, lt: Infinity, allowAbsent: false };
    case 'NotIn':
      return { complement: true, values, gt: -Infinity, lt: Infinity, allowAbsent: true };
    case 'Exists':
      return { complement: true, values: new Set(), gt: -Infinity, lt: Infinity, allowAbsent: false };
    case 'DoesNotExist':
      return { complement: false, values: new Set(), gt: -Infinity, lt: Infinity, allowAbsent: true };
    case 'Gt':
      return { complement: true, values: new Set(), gt: Number(r.values?.[0]), lt: Infinity, allowAbsent: false };
    case 'Lt':
      return { complement: true, values: new Set(), gt: -Infinity, lt: Number(r.values?.[0]), allowAbsent: false };
  }
}

function inBounds(c: Constraint, value: string): boolean {
  if (c.gt === -Infinity && c.lt === Infinity) return true;
  const n = Number(value);
  return Number.isInteger(n) && n > c.gt && n < c.lt;
}

function allows(c: Constraint, value: string | undefined): boolean {
  if (value === undefined) return c.allowAbsent;
  return (c.complement ? !c.values.has(value) : c.values.has(value)) && inBounds(c, value);
}

function intersect(a: Constraint, b: Constraint): Constraint {
  let complement: boolean;
  let values: Set<string>;
  if (!a.complement && !b.complement) {
    complement = false;
    values = new Set([...a.values].filter((v) => b.values.has(v)));
  } else if (!a.complement || !b.complement) {
    const [finite, co] = a.complement ? [b, a] : [a, b];
    complement = false;
    values = new Set([...finite.values].filter((v) => !co.values.has(v)));
  } else {
    complement = true;
    values = new Set([...a.values, ...b.values]);
  }
  const gt = Math.max(a.gt, b.gt);
  const lt = Math.min(a.lt, b.lt);
  if (!complement) values = new Set([...values].filter((v) => inBounds({ ...ANY, gt, lt }, v)));
  return { complement, values, gt, lt, allowAbsent: a.allowAbsent && b.allowAbsent };
}

function isEmpty(c: Constraint): boolean {
  if (c.allowAbsent) return false;
  if (!c.complement) return c.values.size === 0;
  return c.gt !== -Infinity && c.lt !== Infinity && !hasIntegerBetween(c);
}

/** Whether some integer strictly between the bounds is not excluded; a range wider than the exclusions always has one. */
function hasIntegerBetween(c: Constraint): boolean {
  const first = Math.floor(c.gt) + 1;
  if (c.lt - first > c.values.size + 1) return true;
  for (let n = first; n < c.lt; n++) if (!c.values.has(String(n))) return true;
  return false;
}

/** An immutable set of per-key constraints. */
export class Requirements {
  private constructor(private readonly byKey: ReadonlyMap<string, Constraint>) {}

  static readonly none = new Requirements(new Map());

  static of(list: readonly Requirement[]): Requirements {
    let out = Requirements.none;
    for (const r of list) out = out.intersect(new Requirements(new Map([[r.key, constraintOf(r)]])));
    return out;
  }

  /** Requirements equivalent to a plain label selector (nodeSelector). */
  static fromLabels(labels: Readonly<Record<string, string>>): Requirements {
    return Requirements.of(Object.entries(labels).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] })));
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  intersect(other: Requirements): Requirements {
    if (other.byKey.size === 0) return this;
    if (this.byKey.size === 0) return other;
    const merged = new Map(this.byKey);
    for (const [key, c] of other.byKey) {
      const mine = merged.get(key);
      merged.set(key, mine ? intersect(mine, c) : c);
    }
    return new Requirements(merged);
  }

  /** The first key no value can satisfy, or null when the requirements can be met. */
  conflict(): string | null {
    for (const [key, c] of this.byKey) if (isEmpty(c)) return key;
    return null;
  }

  /** True when a node with these labels satisfies every constraint. */
  matches(labels: Readonly<Record<string, string>>): boolean {
    for (const [key, c] of this.byKey) if (!allows(c, labels[key])) return false;
    return true;
  }

  /** Like `matches`, for the constraints on `keys` only (an instance type answers for its own keys, not a pool's). */
  matchesOn(labels: Readonly<Record<string, string>>, keys: ReadonlySet<string>): boolean {
    for (const [key, c] of this.byKey) if (keys.has(key) && !allows(c, labels[key])) return false;
    return true;
  }

  /** Like `matches`, leaving the constraints on `skip` to the caller. */
  matchesExcept(labels: Readonly<Record<string, string>>, skip: ReadonlySet<string>): boolean {
    for (const [key, c] of this.byKey) if (!skip.has(key) && !allows(c, labels[key])) return false;
    return true;
  }

  /** Whether a node lacking the key entirely would satisfy the constraint on it (true when unconstrained). */
  allowsAbsent(key: string): boolean {
    return this.byKey.get(key)?.allowAbsent ?? true;
  }

  /** The one value the key must take, when the constraint pins exactly one; a launched node gets it as a label. */
  singleValue(key: string): string | null {
    const c = this.byKey.get(key);
    return c && !c.complement && c.values.size === 1 ? [...c.values][0]! : null;
  }

  /** The first key a node's labels violate, for scheduling reasons. */
  firstMismatch(labels: Readonly<Record<string, string>>): string | null {
    for (const [key, c] of this.byKey) if (!allows(c, labels[key])) return key;
    return null;
  }

  /** Whether `value` is allowed for `key` (true when the key is unconstrained). */
  allows(key: string, value: string): boolean {
    const c = this.byKey.get(key);
    return c === undefined || allows(c, value);
  }

  /** The members of `universe` allowed for `key`. */
  narrow(key: string, universe: readonly string[]): string[] {
    const c = this.byKey.get(key);
    return c === undefined ? [...universe] : universe.filter((v) => allows(c, v));
  }

  /**
   * Node-selector requirements equivalent to this set (several per key where one cannot say it), sorted by key:
   * how the event log states a NodePool's effective requirements.
   */
  toList(): Requirement[] {
    const out: Requirement[] = [];
    for (const [key, c] of [...this.byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const values = [...c.values].sort();
      if (!c.complement) {
        out.push(c.allowAbsent && values.length === 0 ? { key, operator: 'DoesNotExist' } : { key, operator: 'In', values });
        continue;
      }
      const bounded = c.gt !== -Infinity || c.lt !== Infinity;
      if (!c.allowAbsent && !bounded) out.push({ key, operator: 'Exists' });
      if (c.gt !== -Infinity) out.push({ key, operator: 'Gt', values: [String(c.gt)] });
      if (c.lt !== Infinity) out.push({ key, operator: 'Lt', values: [String(c.lt)] });
      if (values.length > 0) out.push({ key, operator: 'NotIn', values });
    }
    return out;
  }

  /** A stable text form, for grouping pods with identical constraints. */
  signature(): string {
    return [...this.byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, c]) => `${k}${c.complement ? '!' : '='}${[...c.values].sort().join(',')}|${c.gt}|${c.lt}|${c.allowAbsent ? 1 : 0}`)
      .join(';');
  }
}
