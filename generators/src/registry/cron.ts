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
