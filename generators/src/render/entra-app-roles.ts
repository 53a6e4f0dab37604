/**
 * The Entra side of access as code: the API registration's `appRoles` (its manifest fragment, the body of a
 * Microsoft Graph `PATCH /applications`), from `auth.appRoles`. Each role's id is derived from its value, so
 * regenerating never changes an id and Entra keeps every assignment; docs/operations.md ("Access") applies it.
 */
import { createHash } from 'node:crypto';
import type { AppRole, Auth } from '../registry/types.ts';
import { sourceOf } from './placed.ts';

/** This module, named in the header of the files it renders. */
export const SOURCE = sourceOf(import.meta.url);

/** A name-based UUID (RFC 9562 version 5: SHA-1 of the namespace UUID's bytes and the name). */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of an app role: stable per API registration (the namespace is its client id) and role value. */
export function appRoleId(role: Pick<AppRole, 'value'>, auth: Pick<Auth, 'clientId'>): string {
  return uuidV5(`app-role:${role.value}`, auth.clientId.toLowerCase());
}

/** `{ appRoles: [...] }` with the fields Graph's `appRole` takes, roles sorted by value. */
export function renderAppRoles(auth: Pick<Auth, 'clientId' | 'appRoles'>) {
  const roles = [...auth.appRoles].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return {
    appRoles: roles.map((role) => ({
      allowedMemberTypes: [...role.allowedMemberTypes],
      description: role.description,
      displayName: role.displayName,
      id: appRoleId(role, auth),
      isEnabled: true,
      value: role.value,
    })),
  };
}
