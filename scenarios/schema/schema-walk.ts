import type { ZodType } from 'zod';

/** The parts of a zod 4 schema definition the walks below follow. */
interface Def {
  type: string;
  innerType?: ZodType;
  element?: ZodType;
  shape?: Record<string, ZodType>;
  in?: ZodType;
  options?: ZodType[];
  discriminator?: string;
  left?: ZodType;
  right?: ZodType;
  values?: unknown[];
}

function defOf(schema: ZodType): Def {
  return schema._zod.def as unknown as Def;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema without its default, prefault, optional or transform wrappers. */
function unwrap(schema: ZodType): ZodType {
  const def = defOf(schema);
  if ((def.type === 'default' || def.type === 'prefault' || def.type === 'optional' || def.type === 'nullable') && def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  return schema;
}

/** The element schema when `schema` is a list (behind any default), so a list can be checked one entry at a time. */
export function elementOf(schema: ZodType): ZodType | null {
  const def = defOf(unwrap(schema));
  return def.type === 'array' && def.element ? def.element : null;
}

/** The schema of an object's field, or null when `schema` is not an object with that field. */
export function fieldOf(schema: ZodType, key: string): ZodType | null {
  const def = defOf(unwrap(schema));
  return def.type === 'object' ? (def.shape?.[key] ?? null) : null;
}

/**
 * The keys the object at `path` accepts, for "did you mean". A discriminated union contributes the option the value
 * selects (all options when it selects none); an intersection contributes both sides.
 */
export function knownKeysAt(schema: ZodType, path: ReadonlyArray<PropertyKey>, value: unknown): string[] {
  return [...new Set(shapesAt(schema, path, value).flatMap((shape) => Object.keys(shape)))];
}

function shapesAt(schema: ZodType, path: ReadonlyArray<PropertyKey>, value: unknown): Array<Record<string, ZodType>> {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'object': {
      if (path.length === 0) return [def.shape ?? {}];
      const [key, ...rest] = path;
      const child = def.shape?.[String(key)];
      return child ? shapesAt(child, rest, isRecord(value) ? value[String(key)] : undefined) : [];
    }
    case 'array': {
      if (path.length === 0 || !def.element) return [];
      const [index, ...rest] = path;
      return shapesAt(def.element, rest, Array.isArray(value) ? value[Number(index)] : undefined);
    }
    case 'union': {
      const options = def.options ?? [];
      const chosen = def.discriminator && isRecord(value) ? options.filter((o) => selects(o, def.discriminator!, value[def.discriminator!])) : [];
      return (chosen.length > 0 ? chosen : options).flatMap((o) => shapesAt(o, path, value));
    }
    case 'intersection':
      return [def.left, def.right].flatMap((side) => (side ? shapesAt(side, path, value) : []));
    default:
      return [];
  }
}

function selects(option: ZodType, discriminator: string, value: unknown): boolean {
  const field = fieldOf(option, discriminator);
  return field !== null && (defOf(field).values ?? []).includes(value);
}
