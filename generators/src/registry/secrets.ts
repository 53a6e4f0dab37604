/**
 * Refuses secrets typed into the registry. servers.json is committed and its `env` lands in base/ as plain text,
 * so a value under a secret-like variable name, or a value that looks like a credential (a known token prefix, a
 * JWT, a private key, a URL or connection string with a password, a long random string), is a problem that
 * points at `secretMounts`. A deliberate exception is written in the entry: `notSecrets.<VAR>` with the reason.
 */
import type { Server } from './types.ts';

/** A problem plus the path segments of the field it is about (as in checks.ts). */
export interface SecretProblem {
  segments: (string | number)[];
  message: string;
}

/** Last words of a variable name that say it holds a secret (after splitting on `_` and camelCase). */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PWD', 'PASS', 'PASSPHRASE', 'SECRET', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY', 'DSN']);
/** `<word>_KEY` names that hold keys (API_KEY, ACCESS_KEY, PRIVATE_KEY ...); a bare `*_KEY` could be anything. */
const KEY_QUALIFIERS = new Set(['API', 'ACCESS', 'PRIVATE', 'SECRET', 'SIGNING', 'ENCRYPTION', 'SESSION', 'MASTER', 'ACCOUNT', 'SHARED', 'CLIENT', 'AUTH', 'LICENSE', 'SERVICE']);

/** `dbPassword` and `DB_PASSWORD` both become `['DB', 'PASSWORD']`. */
function nameWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split('_').filter(Boolean);
}

/** What in a variable's name says it holds a secret, or undefined. `TOKEN_URL` and `PASSWORD_FILE` are settings. */
export function secretLikeName(name: string): string | undefined {
  const words = nameWords(name);
  const last = words.at(-1);
  const before = words.at(-2);
  if (last === undefined) return undefined;
  if (SECRET_WORDS.has(last)) return `its name ends in ${last}`;
  if (last === 'KEY' && before !== undefined && KEY_QUALIFIERS.has(before)) return `its name ends in ${before}_KEY`;
  if (last === 'STRING' && before !== undefined && ['CONNECTION', 'CONN'].includes(before)) return `its name ends in ${before}_STRING`;
  return undefined;
}

/** Credentials recognisable by their shape, anywhere in a value. */
const CREDENTIAL_SHAPES: [RegExp, string][] = [
  [/\bpat-[a-z]{2}\d-[0-9a-f]{8}-[0-9a-f-]{10,}/i, 'a HubSpot private app token (pat-...)'],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/, 'a Stripe key'],
  [/\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/, 'an API key (sk-...)'],
  [/\bAIza[0-9A-Za-z_-]{35}/, 'a Google API key'],
  [/\bnpm_[A-Za-z0-9]{36}/, 'an npm token'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, 'a JWT'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, 'a URL with a password'],
  [/(?:^|;)\s*(?:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)\s*=/i, 'a connection string with a password or key'],
];

/** Shannon entropy in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * A long random-looking word: mixed-case letters with digits (base64 and most API keys), 32+ hex digits, or 32+
 * lowercase letters and digits run together, each with high entropy. Paths, URLs, dotted names and words joined by
 * `_` stay out: they are built from words, not drawn at random. Measured on random strings: 24 base64url
 * characters carry at least 3.8 bits, 32 hex digits at least 3.0.
 */
function looksRandom(word: string): boolean {
  // Dotted names (hosts, packages, classes) are words each in one case after its first letter.
  if (word.includes('.') && word.split('.').every((part) => /^[A-Za-z][a-z0-9]*$/.test(part))) return false;
  if (/^[0-9a-f]{32,}$/i.test(word)) return entropy(word) >= 3;
  if (word.length >= 24 && /[a-z]/.test(word) && /[A-Z]/.test(word) && /[0-9]/.test(word)) return entropy(word) >= 3.7;
  if (/^[a-z0-9]{32,}$/.test(word) && /[a-z]/.test(word) && /[0-9]/.test(word)) return entropy(word) >= 4;
  return false;
}

/** What about a value says it is a credential, or undefined. `randomness` adds the long-random-string check (env values). */
export function credentialLikeValue(value: string, options: { randomness: boolean }): string | undefined {
  for (const [shape, what] of CREDENTIAL_SHAPES) if (shape.test(value)) return `it looks like ${what}`;
  if (!options.randomness) return undefined;
  const words = value.split(/[\s,;"'()<>[\]{}|]+/).filter((word) => word.length >= 24 && !word.includes('://') && !word.startsWith('/'));
  return words.some(looksRandom) ? 'it looks like a long random string (a key or a token)' : undefined;
}

const WHERE_SECRETS_GO = 'servers.json is committed and env lands in base/ as plain text: put the value in a Secret and reference it with secretMounts (the program then reads a *_FILE path)';

/** The env checks of one server: secret-like names with a value, credential-like values, and the exceptions. */
export function checkServerSecrets(server: Pick<Server, 'env'> & { notSecrets?: Record<string, string> }, base: (string | number)[]): SecretProblem[] {
  const problems: SecretProblem[] = [];
  const exceptions = server.notSecrets ?? {};
  for (const [name, value] of Object.entries(server.env)) {
    if (name in exceptions || value === '') continue;
    const reason = secretLikeName(name) ?? credentialLikeValue(value, { randomness: true });
    if (reason) {
      problems.push({ segments: [...base, 'env', name], message: `${name} looks like a secret (${reason}); ${WHERE_SECRETS_GO}. If it is not a secret, say why in notSecrets.${name}` });
    }
  }
  for (const name of Object.keys(exceptions)) {
    if (!(name in server.env)) problems.push({ segments: [...base, 'notSecrets', name], message: `${name} is not in env; remove the exception` });
  }
  return problems;
}

/** Credential shapes in any other string of the registry (images, URLs, descriptions); these have no exception. */
export function checkStringsForCredentials(value: unknown, segments: (string | number)[], skip: ReadonlySet<string>): SecretProblem[] {
  if (typeof value === 'string') {
    const reason = credentialLikeValue(value, { randomness: false });
    return reason ? [{ segments, message: `looks like a credential (${reason}); secrets never go in servers.json: put it in a Secret` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => checkStringsForCredentials(item, [...segments, i], skip));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => (skip.has(key) ? [] : checkStringsForCredentials(item, [...segments, key], skip)));
  }
  return [];
}
