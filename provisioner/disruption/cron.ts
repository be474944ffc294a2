/**
 * The cron schedules Karpenter's disruption budgets accept (its CRD's pattern): five fields (minute, hour, day of
 * month, month, day of week) or one of the macros @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.
 * Fields take `*`, numbers, ranges `a-b`, steps `x/n` and lists; months and weekdays also take their three-letter
 * names; weekday 7 is Sunday. Schedules are in UTC, as upstream evaluates them.
 */
export interface CronSchedule {
  minute: ReadonlySet<number>;
  hour: ReadonlySet<number>;
  dayOfMonth: ReadonlySet<number>;
  month: ReadonlySet<number>;
  dayOfWeek: ReadonlySet<number>;
  /** Cron's rule: when both day fields are restricted, a day matches if either does. */
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

/** Thrown for a schedule cron cannot read; the message names the field. */
export class CronSyntaxError extends Error {
  override name = 'CronSyntaxError';
}

function value(text: string, f: FieldSpec): number {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + f.namesFrom!;
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${f.name}: '${text}' is not a number`);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new CronSyntaxError(`${f.name}: ${n} is outside ${f.min}-${f.max}`);
  return n;
}

function parseField(text: string, f: FieldSpec): { values: Set<number>; restricted: boolean } {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronSyntaxError(`${f.name}: step '${stepText}' must be a positive number`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = f.min;
      hi = f.max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      lo = value(a, f);
      hi = value(b, f);
      if (lo > hi) throw new CronSyntaxError(`${f.name}: range ${range} runs backwards`);
    } else {
      lo = value(range, f);
      hi = stepText === undefined ? lo : f.max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, restricted: text !== '*' };
}

export function parseCron(text: string): CronSchedule {
  const expanded = MACROS[text.trim()] ?? text.trim();
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new CronSyntaxError(`expected 5 fields (minute hour day-of-month month day-of-week) or a macro like @daily, got ${parts.length}`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]!)) as [
    ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>,
  ];
  if (dow.values.has(7)) dow.values.add(0);
  return {
    minute: minute.values,
    hour: hour.values,
    dayOfMonth: dom.values,
    month: month.values,
    dayOfWeek: dow.values,
    domRestricted: dom.restricted,
    dowRestricted: dow.restricted,
  };
}

/** Whether the schedule fires at the minute that starts at `utcMs` (epoch ms, UTC). */
export function firesAt(s: CronSchedule, utcMs: number): boolean {
  const d = new Date(utcMs);
  if (!s.minute.has(d.getUTCMinutes()) || !s.hour.has(d.getUTCHours()) || !s.month.has(d.getUTCMonth() + 1)) return false;
  const dom = s.dayOfMonth.has(d.getUTCDate());
  const dow = s.dayOfWeek.has(d.getUTCDay());
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  return dom && dow;
}

const MINUTE = 60_000;

/**
 * Whether a window of `durationMs` opened by the schedule covers `utcMs`: it fired at some minute in
 * (utcMs - durationMs, utcMs]. Checked minute by minute back over the window (budget windows are hours long at most
 * in practice; a window of days costs a few thousand checks).
 */
export function windowCovers(s: CronSchedule, durationMs: number, utcMs: number): boolean {
  const start = Math.floor(utcMs / MINUTE) * MINUTE;
  for (let t = start; t > utcMs - durationMs; t -= MINUTE) if (firesAt(s, t)) return true;
  return false;
}
