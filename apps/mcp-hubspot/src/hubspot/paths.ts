/**
 * Builds HubSpot API paths for one API version, so nothing else knows how versions are spelled.
 *
 * Date versions (`2026-03`) put the version after the API family: `/crm/objects/2026-03/contacts`,
 * `/crm/properties/2026-03/deals`, `/crm/owners/2026-03`, `/crm/pipelines/2026-03/tickets`,
 * `/crm/associations/2026-03/notes/contacts/labels`; record associations live under the objects family.
 * `v3` uses the older spelling: `/crm/v3/objects/...`, and associations v4 at `/crm/v4/...`.
 */

/** Every path the tools use. Each segment is URI-encoded. */
export interface HubSpotPaths {
  objects(objectType: string): string;
  object(objectType: string, id: string): string;
  search(objectType: string): string;
  batchRead(objectType: string): string;
  /** Associations v4: list the records of `toType` associated with one record. */
  associations(fromType: string, fromId: string, toType: string): string;
  /** Associations v4: PUT here creates the default (unlabeled) association. */
  defaultAssociation(fromType: string, fromId: string, toType: string, toId: string): string;
  /** Associations v4: PUT here with `[{associationCategory, associationTypeId}]` creates labelled ones. */
  labelledAssociation(fromType: string, fromId: string, toType: string, toId: string): string;
  /** Associations v4 schema: the association types between two object types. */
  associationLabels(fromType: string, toType: string): string;
  properties(objectType: string): string;
  owners(): string;
  pipelines(objectType: string): string;
}

const enc = encodeURIComponent;

/** The path builder for `version` (`v3` or a date version such as `2026-03`). */
export function createPaths(version: string): HubSpotPaths {
  const legacy = version === 'v3';
  const family = (name: string): string => (legacy ? `/crm/v3/${name}` : `/crm/${name}/${enc(version)}`);
  const objectsRoot = family('objects');
  // Associations v4 predates date versions: under v3 its record endpoints are /crm/v4/objects/...
  const recordAssociationsRoot = legacy ? '/crm/v4/objects' : objectsRoot;
  const associationSchemaRoot = legacy ? '/crm/v4/associations' : family('associations');

  return {
    objects: (type) => `${objectsRoot}/${enc(type)}`,
    object: (type, id) => `${objectsRoot}/${enc(type)}/${enc(id)}`,
    search: (type) => `${objectsRoot}/${enc(type)}/search`,
    batchRead: (type) => `${objectsRoot}/${enc(type)}/batch/read`,
    associations: (from, id, to) => `${recordAssociationsRoot}/${enc(from)}/${enc(id)}/associations/${enc(to)}`,
    defaultAssociation: (from, id, to, toId) =>
      `${recordAssociationsRoot}/${enc(from)}/${enc(id)}/associations/default/${enc(to)}/${enc(toId)}`,
    labelledAssociation: (from, id, to, toId) =>
      `${recordAssociationsRoot}/${enc(from)}/${enc(id)}/associations/${enc(to)}/${enc(toId)}`,
    associationLabels: (from, to) => `${associationSchemaRoot}/${enc(from)}/${enc(to)}/labels`,
    properties: (type) => `${family('properties')}/${enc(type)}`,
    owners: () => family('owners'),
    pipelines: (type) => `${family('pipelines')}/${enc(type)}`,
  };
}
