/** The providers TOKEN_PROVIDER can name. A new provider: one file beside this one, one entry here. */
import { configError } from '../errors.ts';
import { hubspot } from './hubspot.ts';
import type { OAuthProvider } from './types.ts';

export const PROVIDERS: Readonly<Record<string, OAuthProvider>> = { [hubspot.name]: hubspot };

/** The provider called `name`; a config error (exit 2) naming the known ones otherwise. */
export function getProvider(name: string): OAuthProvider {
  const provider = PROVIDERS[name];
  if (provider === undefined) throw configError(`TOKEN_PROVIDER "${name}" is unknown; known: ${Object.keys(PROVIDERS).join(', ')}`);
  return provider;
}
