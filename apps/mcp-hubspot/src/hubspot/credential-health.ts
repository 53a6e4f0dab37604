/**
 * Credential health as metrics, so an alert fires before a HubSpot call fails: when the token in use expires (the
 * `expires-at` the refresher writes beside it), how old it is (since it last changed in the mounted file), whether
 * one is at hand, and whether the last HubSpot call was refused for it (401). Names are generic (`mcp_credential_*`)
 * so the rendered alerts apply to any server with a refreshed token. Read at scrape time; never the token itself.
 */
import { stat } from 'node:fs/promises';
import { Gauge, type Registry } from '@mcp-gateway/telemetry';
import type { TokenSource } from './token-source.ts';

/** What the HubSpot client reports about the token after each call HubSpot answered. */
export interface CredentialVerdicts {
  /** HubSpot answered without refusing the token. */
  accepted(): void;
  /** HubSpot refused the token (401), with no newer token to try. */
  refused(): void;
}

/** The verdict of the last call, kept for the gauge. */
export interface CredentialHealth extends CredentialVerdicts {
  readonly lastCallRefused: boolean;
}

export function createCredentialHealth(): CredentialHealth {
  let lastCallRefused = false;
  return {
    accepted: () => void (lastCallRefused = false),
    refused: () => void (lastCallRefused = true),
    get lastCallRefused() {
      return lastCallRefused;
    },
  };
}

/** Where the token comes from, for the metrics. */
export interface CredentialSource {
  tokens: TokenSource;
  /** HUBSPOT_ACCESS_TOKEN_FILE, when set. */
  file: string | undefined;
  health: CredentialHealth;
  now?: () => number;
}

async function fileChangedAt(file: string | undefined): Promise<number | undefined> {
  if (file === undefined) return undefined;
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Registers the credential gauges on `registry`; the file-based ones have no sample while nothing is known. */
export function registerCredentialMetrics(registry: Registry, source: CredentialSource): void {
  const now = source.now ?? Date.now;
  const registers = [registry];
  new Gauge({
    name: 'mcp_credential_present',
    help: '1 when an upstream credential (token) is at hand, 0 when none is.',
    registers,
    async collect() {
      this.set((await source.tokens.current()) === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: 'mcp_credential_expiry_timestamp_seconds',
    help: 'When the credential in use expires (expires-at beside the token file), in seconds since the Unix epoch.',
    labelNames: ['source'],
    registers,
    async collect() {
      this.reset();
      const expiresAt = await source.tokens.expiresAt();
      const seconds = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt) / 1000;
      if (Number.isFinite(seconds)) this.set({ source: 'file' }, seconds);
    },
  });
  new Gauge({
    name: 'mcp_credential_age_seconds',
    help: 'Seconds since the credential file last changed (a refresh writes it anew).',
    labelNames: ['source'],
    registers,
    async collect() {
      this.reset();
      const changedAt = await fileChangedAt(source.file);
      if (changedAt !== undefined) this.set({ source: 'file' }, Math.max(0, (now() - changedAt) / 1000));
    },
  });
  new Gauge({
    name: 'mcp_credential_refused',
    help: '1 when the last upstream call was refused for the credential (HubSpot 401), 0 after a call it accepted.',
    registers,
    collect() {
      this.set(source.health.lastCallRefused ? 1 : 0);
    },
  });
}
