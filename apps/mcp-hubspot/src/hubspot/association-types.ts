/**
 * Finds the default (unlabelled, HubSpot-defined) association type between two object types from the
 * association labels endpoint instead of hard-coding ids, and remembers it: the ids are fixed per account.
 */
import type { HubSpotClient } from './client.ts';
import { HubSpotError } from './errors.ts';
import type { HubSpotPaths } from './paths.ts';

/** One association type as HubSpot spells it in request bodies. */
export interface AssociationSpec {
  associationCategory: string;
  associationTypeId: number;
}

/** Resolves default association types. */
export interface AssociationTypeResolver {
  defaultType(fromType: string, toType: string): Promise<AssociationSpec>;
}

interface LabelsResponse {
  results?: Array<{ category?: string; typeId?: number; label?: string | null }>;
}

export function createAssociationTypeResolver(hubspot: HubSpotClient, paths: HubSpotPaths): AssociationTypeResolver {
  const known = new Map<string, AssociationSpec>();
  return {
    async defaultType(fromType, toType) {
      const key = `${fromType}->${toType}`;
      const cached = known.get(key);
      if (cached) return cached;
      const body = await hubspot.request<LabelsResponse>({ method: 'GET', path: paths.associationLabels(fromType, toType) });
      const types = (body?.results ?? []).filter((t) => t.category === 'HUBSPOT_DEFINED' && typeof t.typeId === 'number');
      const chosen = types.find((t) => !t.label) ?? types[0];
      if (!chosen || chosen.typeId === undefined) {
        throw new HubSpotError('invalid_request', `HubSpot lists no default association type from ${fromType} to ${toType}.`);
      }
      const spec = { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: chosen.typeId };
      known.set(key, spec);
      return spec;
    },
  };
}
