import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Seals small JSON values into opaque strings with AES-256-GCM; what is sealed under one purpose opens only under it. */
export interface Sealer {
  seal(purpose: string, value: unknown): string;
  /** Returns undefined when the text was tampered with, sealed with another key or purpose, or is not ours. */
  unseal(purpose: string, text: string): unknown;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Derives the AES key from the shared session key (SESSION_KEY_FILE), so every replica opens every cookie. */
export function createSealer(secret: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'mcp-ui', 'mcp-ui cookie seal v1', 32));
  return {
    seal(purpose, value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${VERSION}:${purpose}`));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
    },
    unseal(purpose, text) {
      if (!text.startsWith(`${VERSION}.`)) return undefined;
      const raw = Buffer.from(text.slice(VERSION.length + 1), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES + 1) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(`${VERSION}:${purpose}`));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
        return JSON.parse(plain.toString('utf8'));
      } catch {
        return undefined;
      }
    },
  };
}
