/**
 * Where the HubSpot access token comes from.
 *
 * In the cluster the Secret `hubspot-access-token` is mounted as a directory; the kubelet replaces its
 * content by swapping a `..data` symlink, so the file path stays the same while the file behind it changes.
 * Each call stats the path (which follows the symlink) and re-reads only when inode, size or mtime
 * differ from the last read: one stat per HubSpot request, no restart after a refresh.
 * `HUBSPOT_ACCESS_TOKEN` is the fallback for local use. The token value never leaves this module
 * except as the return value of `current()`; it is never logged.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SecretValues } from '@mcp-gateway/telemetry';

/** Supplies the current access token. */
export interface TokenSource {
  /** The token to use now, or undefined when none is available (file absent or empty, no fallback). */
  current(): Promise<string | undefined>;
  /** A sentence saying where the token is expected, for error messages (no secret in it). */
  describe(): string;
  /**
   * The `expires-at` value written beside the token file by the refresher (RFC 3339), when present.
   * Read only when a call failed with 401, to make the error message precise.
   */
  expiresAt(): Promise<string | undefined>;
}

/** Options of {@link createTokenSource}. */
export interface TokenSourceOptions {
  /** The token file (HUBSPOT_ACCESS_TOKEN_FILE). */
  file?: string | undefined;
  /** The fallback token (HUBSPOT_ACCESS_TOKEN). */
  fallback?: string | undefined;
  /** Each token read is registered here, so the app's log scrubs it should it ever reach a line. */
  secrets?: SecretValues;
}

interface FileSnapshot {
  ino: number;
  size: number;
  mtimeMs: number;
  token: string | undefined;
}

/** A token source reading `file` when it exists, else `fallback`. */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { file, fallback, secrets } = options;
  if (fallback) secrets?.add(fallback);
  let cached: FileSnapshot | undefined;

  async function fromFile(path: string): Promise<string | undefined> {
    let info;
    try {
      info = await stat(path);
    } catch {
      cached = undefined;
      return undefined;
    }
    if (cached && cached.ino === info.ino && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
      return cached.token;
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      cached = undefined;
      return undefined;
    }
    const token = text.trim() || undefined;
    if (token) secrets?.add(token);
    cached = { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, token };
    return token;
  }

  return {
    async current() {
      if (file) {
        const token = await fromFile(file);
        if (token) return token;
      }
      return fallback || undefined;
    },
    async expiresAt() {
      if (!file) return undefined;
      try {
        const value = (await readFile(join(dirname(file), 'expires-at'), 'utf8')).trim();
        // Only a timestamp is echoed into messages, nothing else the file might hold.
        return /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    describe() {
      if (file && fallback) return `the file ${file} (HUBSPOT_ACCESS_TOKEN_FILE), else HUBSPOT_ACCESS_TOKEN`;
      if (file) return `the file ${file} (HUBSPOT_ACCESS_TOKEN_FILE)`;
      if (fallback) return 'HUBSPOT_ACCESS_TOKEN';
      return 'nowhere: neither HUBSPOT_ACCESS_TOKEN_FILE nor HUBSPOT_ACCESS_TOKEN is set';
    },
  };
}
