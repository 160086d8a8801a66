import { DAY_MS, HOUR_MS } from '../../src/rotation/retirement-policy';

/**
 * The rotation schedule's grammar (`rate(N hours|days)`, `cron(M H DOM MON DOW Y)`) and the time between two of its
 * rotations. One definition for the schedule check, the retirement windows and the overdue alarm.
 */

/** `rate(N hours)` or `rate(N days)`. */
export const RATE = /^rate\(([0-9]+) (hours?|days?)\)$/;

/** The six fields of a cron expression, or undefined when the expression is not `cron(…)` with six fields. */
export function cronFields(expression: string): string[] | undefined {
  const fields = /^cron\((.*)\)$/.exec(expression)?.[1]?.trim().split(/\s+/);
  return fields?.length === 6 ? fields : undefined;
}

/** Shortest and longest time between two scheduled rotations (from one window's start to the next's). */
export interface IntervalBounds {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * Cron parts this reader does not model (`W`, `LW`) stand for "every value" in the shortest interval, which can only
 * make it shorter (retirement windows are then checked against a shorter time, never a longer one), and for a year
 * in the longest (every such schedule still runs every year: the overdue alarm never fires early).
 */
export const UNMODELLED_MAX_MS = 12 * 31 * DAY_MS;

/** Years of rotations enumerated: two leap years, and every weekday on every date more than once. */
const SPAN_YEARS = 8;
const SPAN_START = Date.UTC(2024, 0, 1);

/**
 * The interval bounds of a schedule: exact for `rate()`, and for `cron()` measured between the rotations it
 * starts over eight years (month lists, steps, ranges, `L`, `#` and the day-of-week forms included).
 * @returns undefined when the expression is neither, or its cron starts fewer than two rotations in eight years
 */
export function rotationIntervalBoundsMs(expression: string): IntervalBounds | undefined {
  const rate = RATE.exec(expression);
  if (rate) {
    const ms = Number(rate[1]) * (rate[2]!.startsWith('hour') ? HOUR_MS : DAY_MS);
    return { minMs: ms, maxMs: ms };
  }
  const fields = cronFields(expression);
  if (!fields || fields[5] !== '*') return undefined;
  const [, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const hours = values(hour, 0, 23);
  const months = values(month, 1, 12, MONTHS);
  const days = dayMatcher(dayOfMonth, dayOfWeek);
  const modelled = hours && months && days;
  const starts = startsOver(hours ?? ALL_HOURS, months ?? ALL_MONTHS, days ?? (() => true));
  const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
  if (gaps.length === 0) return undefined;
  return { minMs: Math.min(...gaps), maxMs: modelled ? Math.max(...gaps) : UNMODELLED_MAX_MS };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const ALL_HOURS = new Set(Array.from({ length: 24 }, (_, i) => i));
const ALL_MONTHS = new Set(Array.from({ length: 12 }, (_, i) => i + 1));

function startsOver(hours: Set<number>, months: Set<number>, days: (date: Date) => boolean): number[] {
  const starts: number[] = [];
  const sortedHours = [...hours].sort((a, b) => a - b);
  for (let day = SPAN_START; day < Date.UTC(2024 + SPAN_YEARS, 0, 1); day += DAY_MS) {
    const date = new Date(day);
    if (!months.has(date.getUTCMonth() + 1) || !days(date)) continue;
    for (const h of sortedHours) starts.push(day + h * HOUR_MS);
  }
  return starts;
}

/** The day-of-month and day-of-week fields as one test of a date (`?` leaves the test to the other field). */
function dayMatcher(dayOfMonth: string, dayOfWeek: string): ((date: Date) => boolean) | undefined {
  const byMonth = dayOfMonthMatcher(dayOfMonth);
  const byWeek = dayOfWeekMatcher(dayOfWeek);
  if (!byMonth || !byWeek) return undefined;
  return (date) => byMonth(date) && byWeek(date);
}

function dayOfMonthMatcher(field: string): ((date: Date) => boolean) | undefined {
  if (field === '?' || field === '*') return () => true;
  if (field === 'L') return (date) => date.getUTCDate() === daysInMonth(date);
  const days = values(field, 1, 31);
  return days && ((date) => days.has(date.getUTCDate()));
}

/** Day of week: 1–7 or SUN–SAT, `nL` (the last weekday n of the month), `n#k` (the k-th weekday n). */
function dayOfWeekMatcher(field: string): ((date: Date) => boolean) | undefined {
  if (field === '?' || field === '*') return () => true;
  const weekday = (date: Date) => date.getUTCDay() + 1;
  const last = /^([1-7]|[A-Z]{3})L$/i.exec(field);
  if (last) {
    const n = single(last[1]!, WEEKDAYS);
    return n === undefined ? undefined : (date) => weekday(date) === n && date.getUTCDate() + 7 > daysInMonth(date);
  }
  const nth = /^([1-7]|[A-Z]{3})#([1-5])$/i.exec(field);
  if (nth) {
    const n = single(nth[1]!, WEEKDAYS);
    const k = Number(nth[2]);
    return n === undefined ? undefined : (date) => weekday(date) === n && Math.ceil(date.getUTCDate() / 7) === k;
  }
  const days = values(field, 1, 7, WEEKDAYS);
  return days && ((date) => days.has(weekday(date)));
}

/** A cron list (`*`, `n`, `a-b`, `*\/s`, `a/s`, `a-b/s`, comma-separated; names allowed), or undefined. */
function values(field: string, min: number, max: number, names: readonly string[] = []): Set<number> | undefined {
  const result = new Set<number>();
  for (const item of field.split(',')) {
    const match = /^(\*|[0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?(?:\/([0-9]+))?$/.exec(item);
    if (!match) return undefined;
    const [, from, to, step] = match;
    const start = from === '*' ? min : single(from!, names, min);
    const end = to !== undefined ? single(to, names, min) : from === '*' || step !== undefined ? max : start;
    const by = step === undefined ? 1 : Number(step);
    if (start === undefined || end === undefined || start < min || end > max || by < 1) return undefined;
    for (let v = start; v <= end; v += by) result.add(v);
  }
  return result.size > 0 ? result : undefined;
}

/** A number, or a name's position (JAN = 1, SUN = 1). */
function single(text: string, names: readonly string[], base = 1): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const index = names.indexOf(text.toUpperCase());
  return index < 0 ? undefined : index + base;
}

function daysInMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}
