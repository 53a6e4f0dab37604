/**
 * Quoting of identifiers for the few statements this app builds itself (describe, sample). Names
 * are first checked against the catalog, then quoted with brackets, `]` doubled: never pasted in.
 */
import { ToolError } from './errors.ts';

/** Longest identifier SQL Server allows (sysname). */
export const MAX_IDENTIFIER_LENGTH = 128;

/** `[name]` with every `]` doubled; refuses names SQL Server could not hold. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new ToolError('invalid-input', 'an identifier cannot be empty');
  if (name.length > MAX_IDENTIFIER_LENGTH) {
    throw new ToolError('invalid-input', `an identifier cannot be longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  }
  if (name.includes('\u0000')) throw new ToolError('invalid-input', 'an identifier cannot contain a NUL character');
  return `[${name.replaceAll(']', ']]')}]`;
}

/** `[schema].[object]`. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}
