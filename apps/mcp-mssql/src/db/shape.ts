/**
 * Turns driver column metadata and row values into compact, JSON-safe results.
 */
import type { DriverColumn } from './driver.ts';

/** A result column: its name and T-SQL type. */
export interface ResultColumn {
  name: string;
  type: string;
  nullable?: boolean;
}

/** Binary values longer than this are shown shortened (the length is kept). */
export const MAX_BINARY_BYTES = 1024;

function typeName(column: DriverColumn): string {
  const type = column.type as { declaration?: unknown; name?: unknown } | undefined;
  const name = typeof type?.declaration === 'string' ? type.declaration : typeof type?.name === 'string' ? type.name : 'unknown';
  const lower = name.toLowerCase();
  if ((lower === 'decimal' || lower === 'numeric') && column.precision !== undefined) {
    return `${lower}(${column.precision},${column.scale ?? 0})`;
  }
  return lower;
}

/** Column metadata from a `recordset` event (array in arrayRowMode, else keyed by name). */
export function shapeColumns(columns: DriverColumn[] | Record<string, DriverColumn>): ResultColumn[] {
  const list = Array.isArray(columns) ? [...columns] : Object.values(columns);
  list.sort((a, b) => a.index - b.index);
  return list.map((column) => ({
    name: column.name,
    type: typeName(column),
    ...(column.nullable === undefined ? {} : { nullable: column.nullable }),
  }));
}

/** Only the first MAX_BINARY_BYTES are ever hex-encoded: a large value is cut before it is copied. */
function shapeBinary(bytes: Uint8Array): string {
  const shown = Buffer.from(bytes.subarray(0, MAX_BINARY_BYTES)).toString('hex').toUpperCase();
  return bytes.length > MAX_BINARY_BYTES ? `0x${shown}… (${bytes.length} bytes)` : `0x${shown}`;
}

/** One value as JSON can carry it: dates as ISO 8601, binary as 0x hex, big integers as strings. */
export function shapeValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return shapeBinary(value);
  if (Array.isArray(value)) return value.map(shapeValue);
  return value;
}

/** Size of shaped values as they will be sent: text in UTF-8, numbers and the rest as their JSON. */
export function shapedBytes(values: unknown[]): number {
  let bytes = 0;
  for (const value of values) {
    if (typeof value === 'string') bytes += Buffer.byteLength(value, 'utf8');
    else if (value === null || typeof value !== 'object') bytes += String(value).length;
    else bytes += Buffer.byteLength(JSON.stringify(value), 'utf8');
  }
  return bytes;
}

/**
 * A row as an array of values in column order. In arrayRowMode rows are arrays, except the one row
 * mssql assembles from a chunked FOR JSON / FOR XML result, which is an object keyed by position.
 */
export function shapeRow(row: unknown[] | Record<string, unknown>, columns: ResultColumn[]): unknown[] {
  if (Array.isArray(row)) return row.map(shapeValue);
  const values = Object.values(row);
  return columns.map((column, i) => shapeValue(Object.hasOwn(row, column.name) ? row[column.name] : values[i]));
}
