/**
 * Validates a CronJob schedule the way Kubernetes reads it (standard 5-field cron plus @hourly-style macros).
 * Returns a reason when the schedule is invalid, undefined when it is valid.
 */

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

function parseValue(text: string, spec: FieldSpec): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return undefined;
  return spec.name === 'month' ? index + 1 : index;
}

function checkPart(part: string, spec: FieldSpec): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || range === undefined || range === '') return `"${part}" is not a valid ${spec.name}`;
  if (step !== undefined && !/^[1-9][0-9]*$/.test(step)) return `step "${step}" in the ${spec.name} field must be a positive integer`;
  if (step !== undefined && Number(step) > spec.max) return `step ${step} in the ${spec.name} field is larger than ${spec.max}`;
  if (range === '*' || range === '?') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${part}" is not a valid ${spec.name}`;
  const values = bounds.map((b) => parseValue(b, spec));
  for (const [i, value] of values.entries()) {
    if (value === undefined) return `"${bounds[i]}" is not a valid ${spec.name}`;
    if (value < spec.min || value > spec.max) return `${spec.name} ${value} is out of range ${spec.min}-${spec.max}`;
  }
  if (values.length === 2 && values[0]! > values[1]!) return `range "${range}" in the ${spec.name} field is backwards`;
  return undefined;
}

/** Why a schedule is invalid, or undefined. */
export function cronProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (/^(TZ|CRON_TZ)=/.test(trimmed)) return 'do not put a time zone in the schedule; use timeZone';
  if (trimmed.startsWith('@')) return MACROS.has(trimmed) ? undefined : `unknown macro "${trimmed}"`;
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    for (const part of field.split(',')) {
      const reason = checkPart(part, FIELDS[i]!);
      if (reason) return reason;
    }
  }
  return undefined;
}

const MACRO_SCHEDULES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The values one field of a valid schedule matches. */
function fieldValues(field: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range, step] = part.split('/') as [string, string | undefined];
    const [low, high] = range === '*' || range === '?' ? [spec.min, spec.max] : range.split('-').map((b) => parseValue(b, spec)!);
    const end = high ?? (step === undefined ? low! : spec.max);
    for (let v = low!; v <= end; v += step === undefined ? 1 : Number(step)) values.add(spec.name === 'day of week' && v === 7 ? 0 : v);
  }
  return values;
}

/**
 * The longest time between two runs of a valid schedule, in minutes, as the CronJob controller starts them (a day
 * matches when its day of month or its day of week does, if both are restricted). `*\/23 * * * *` runs at :00, :23
 * and :46, so its longest gap is 23 minutes. Alerts use it to tell a late run from the schedule's own rhythm.
 */
export function longestGapMinutes(schedule: string): number {
  const trimmed = schedule.trim();
  const fields = (MACRO_SCHEDULES[trimmed] ?? trimmed).split(/\s+/);
  const [minutes, hours, days, months, weekdays] = fields.map((field, i) => fieldValues(field, FIELDS[i]!));
  const daily = fields.slice(2).every((field) => field === '*' || field === '?');
  const dayRestricted = fields[2] !== '*' && fields[2] !== '?';
  const weekdayRestricted = fields[4] !== '*' && fields[4] !== '?';
  // A daily pattern repeats after two days; any other after at most a year (two, for 29 February).
  const span = (daily ? 2 : 2 * 366 + 1) * 24 * 60;
  const start = Date.UTC(2024, 0, 1);
  let last: number | undefined;
  let longest = 0;
  for (let m = 0; m < span; m += 1) {
    const at = new Date(start + m * 60_000);
    if (!minutes!.has(at.getUTCMinutes()) || !hours!.has(at.getUTCHours())) continue;
    if (!daily) {
      if (!months!.has(at.getUTCMonth() + 1)) continue;
      const dayMatch = days!.has(at.getUTCDate());
      const weekdayMatch = weekdays!.has(at.getUTCDay());
      if (!(dayRestricted && weekdayRestricted ? dayMatch || weekdayMatch : dayMatch && weekdayMatch)) continue;
    }
    if (last !== undefined) longest = Math.max(longest, m - last);
    last = m;
  }
  return longest || span;
}
