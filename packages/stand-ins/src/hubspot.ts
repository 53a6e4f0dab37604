/**
 * A loopback stand-in for the HubSpot CRM API (api.hubapi.com), for tests: a real node:http server with an
 * in-memory CRM. It follows HubSpot's documented request and response shapes for the endpoints below, in the
 * spelling of one API version (a date version such as `2026-03`, or `v3`); a path spelled for another
 * version gets 404, so the tests also check how the app builds paths.
 *
 * Implemented (date form; the v3 form is `/crm/v3/{family}/...`, associations v4 at `/crm/v4/...`):
 *   POST  /crm/objects/{v}/{type}/search                        filterGroups (OR of ANDs), sorts, query, properties, limit ≤ 200, after
 *   POST  /crm/objects/{v}/{type}/batch/read                    inputs ≤ 100, properties, idProperty; 207 + OBJECT_NOT_FOUND errors
 *   POST  /crm/objects/{v}/{type}                               properties, associations [{to:{id}, types:[...]}]; notes need hs_timestamp
 *   PATCH /crm/objects/{v}/{type}/{id}                          properties, idProperty
 *   GET   /crm/objects/{v}/{from}/{id}/associations/{to}        associations v4 list, limit ≤ 500, after
 *   PUT   /crm/objects/{v}/{from}/{id}/associations/default/{to}/{toId}
 *   PUT   /crm/objects/{v}/{from}/{id}/associations/{to}/{toId}   body [{associationCategory, associationTypeId}]
 *   GET   /crm/associations/{v}/{from}/{to}/labels              association types between two object types
 *   GET   /crm/properties/{v}/{type}
 *   GET   /crm/owners/{v}                                        email, limit ≤ 500, after
 *   GET   /crm/pipelines/{v}/{type}
 * Every request must carry `Authorization: Bearer <one of the valid tokens>`, else 401. Responses carry the
 * `X-HubSpot-RateLimit-*` headers. Tests can script faults (429 with headers, 5xx) per route.
 * Not implemented: archive endpoints, batch create/update/upsert, custom objects, property writes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from './http.ts';

/** One record as HubSpot returns it. */
export interface StoredRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** A request the stand-in received (the token is reduced to whether it was accepted). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The bearer token sent, so token-rotation tests can see which token was used. */
  token: string | undefined;
  at: number;
}

/** A scripted answer that replaces the normal one. */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface ScriptedFault {
  method: string;
  pathSuffix: string;
  fault: Fault;
  remaining: number;
}

/** A started stand-in. */
export interface HubSpotStandIn {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  baseUrl: string;
  /** The same as a URL (with a trailing slash). */
  url: URL;
  requests: RecordedRequest[];
  /** Records by object type, to seed and to inspect. */
  records: Map<string, Map<string, StoredRecord>>;
  setValidTokens(tokens: string[]): void;
  /** The next `times` requests whose method matches and whose path ends with `pathSuffix` get `fault`. */
  addFault(method: string, pathSuffix: string, fault: Fault, times?: number): void;
  clearFaults(): void;
  /** Creates a record directly (no request), returns it. */
  seed(objectType: string, properties: Record<string, string>): StoredRecord;
  /** Links two records with their default association (both directions). */
  associate(fromType: string, fromId: string, toType: string, toId: string): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** `2026-03` (default) or `v3`. */
  version?: string;
  validTokens: string[];
}

const OBJECT_TYPES = ['contacts', 'companies', 'deals', 'tickets', 'notes'];
const DEFAULT_PROPERTIES = ['hs_object_id', 'createdate', 'lastmodifieddate'];

/** Association types: from, to, forward type id, inverse type id, category, label (null = unlabelled default). */
const ASSOCIATION_TYPES: Array<[string, string, number, number, string, string | null]> = [
  ['contacts', 'companies', 279, 280, 'HUBSPOT_DEFINED', null],
  ['contacts', 'companies', 1, 2, 'HUBSPOT_DEFINED', 'Primary'],
  ['contacts', 'companies', 501, 502, 'USER_DEFINED', 'Decision maker'],
  ['deals', 'contacts', 3, 4, 'HUBSPOT_DEFINED', null],
  ['deals', 'companies', 341, 342, 'HUBSPOT_DEFINED', null],
  ['deals', 'companies', 5, 6, 'HUBSPOT_DEFINED', 'Primary'],
  ['tickets', 'contacts', 16, 15, 'HUBSPOT_DEFINED', null],
  ['tickets', 'companies', 339, 340, 'HUBSPOT_DEFINED', null],
  ['tickets', 'deals', 28, 27, 'HUBSPOT_DEFINED', null],
  ['notes', 'contacts', 202, 201, 'HUBSPOT_DEFINED', null],
  ['notes', 'companies', 190, 189, 'HUBSPOT_DEFINED', null],
  ['notes', 'deals', 214, 213, 'HUBSPOT_DEFINED', null],
  ['notes', 'tickets', 228, 227, 'HUBSPOT_DEFINED', null],
];

interface AssociationType {
  from: string;
  to: string;
  typeId: number;
  inverseTypeId: number;
  category: string;
  label: string | null;
}

/** Both directions of every association type. */
function associationTypeTable(): AssociationType[] {
  return ASSOCIATION_TYPES.flatMap(([from, to, fwd, inv, category, label]) => [
    { from, to, typeId: fwd, inverseTypeId: inv, category, label },
    { from: to, to: from, typeId: inv, inverseTypeId: fwd, category, label },
  ]);
}

const PROPERTIES: Record<string, Array<Record<string, unknown>>> = {
  contacts: [
    prop('email', 'Email', 'string', 'text', 'contactinformation'),
    prop('firstname', 'First Name', 'string', 'text', 'contactinformation'),
    prop('lastname', 'Last Name', 'string', 'text', 'contactinformation'),
    prop('phone', 'Phone Number', 'string', 'phonenumber', 'contactinformation'),
    prop('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', 'contactinformation', [
      ['lead', 'Lead'], ['customer', 'Customer'], ['other', 'Other', true],
    ]),
    prop('hubspot_owner_id', 'Contact owner', 'enumeration', 'select', 'contactinformation'),
    { ...prop('hs_object_id', 'Record ID', 'number', 'number', 'contactinformation'), modificationMetadata: { readOnlyValue: true } },
    { ...prop('hs_internal_flag', 'Internal', 'string', 'text', 'contactinformation'), hidden: true },
  ],
  companies: [
    prop('name', 'Name', 'string', 'text', 'companyinformation'),
    prop('domain', 'Company Domain Name', 'string', 'text', 'companyinformation'),
    prop('industry', 'Industry', 'enumeration', 'select', 'companyinformation', [['COMPUTER_SOFTWARE', 'Computer Software']]),
  ],
  deals: [
    prop('dealname', 'Deal Name', 'string', 'text', 'dealinformation'),
    prop('amount', 'Amount', 'number', 'number', 'dealinformation'),
    prop('dealstage', 'Deal Stage', 'enumeration', 'radio', 'dealinformation'),
    prop('pipeline', 'Pipeline', 'enumeration', 'select', 'dealinformation'),
    prop('closedate', 'Close Date', 'datetime', 'date', 'dealinformation'),
  ],
  tickets: [
    prop('subject', 'Ticket name', 'string', 'text', 'ticketinformation'),
    prop('content', 'Ticket description', 'string', 'textarea', 'ticketinformation'),
    prop('hs_pipeline', 'Pipeline', 'enumeration', 'select', 'ticketinformation'),
    prop('hs_pipeline_stage', 'Ticket status', 'enumeration', 'select', 'ticketinformation'),
    prop('hs_ticket_priority', 'Priority', 'enumeration', 'select', 'ticketinformation', [['LOW', 'Low'], ['HIGH', 'High']]),
  ],
};

function prop(name: string, label: string, type: string, fieldType: string, groupName: string, options: Array<[string, string, boolean?]> = []): Record<string, unknown> {
  return {
    name, label, type, fieldType, groupName, description: `${label} of the record`, hidden: false,
    options: options.map(([value, l, hidden], i) => ({ value, label: l, displayOrder: i, hidden: hidden ?? false })),
    modificationMetadata: { readOnlyValue: false, archivable: true, readOnlyDefinition: true },
  };
}

const OWNERS = [
  { id: '6166860', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', userId: 1296619, type: 'PERSON', archived: false, teams: [{ id: '178588', name: 'West Coast Sales', primary: true }] },
  { id: '6166861', email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', userId: 1296620, type: 'PERSON', archived: false },
  { id: '6166862', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', userId: 1296621, type: 'PERSON', archived: false },
];

const PIPELINES: Record<string, unknown[]> = {
  deals: [
    {
      id: 'default', label: 'Sales Pipeline', displayOrder: 0, archived: false,
      stages: [
        { id: 'closedwon', label: 'Closed Won', displayOrder: 2, archived: false, metadata: { isClosed: 'true', probability: '1.0' } },
        { id: 'appointmentscheduled', label: 'Appointment Scheduled', displayOrder: 0, archived: false, metadata: { isClosed: 'false', probability: '0.2' } },
        { id: 'qualifiedtobuy', label: 'Qualified To Buy', displayOrder: 1, archived: false, metadata: { isClosed: 'false', probability: '0.4' } },
        { id: 'oldstage', label: 'Retired stage', displayOrder: 3, archived: true, metadata: {} },
      ],
    },
    { id: '99', label: 'Old pipeline', displayOrder: 1, archived: true, stages: [] },
  ],
  tickets: [
    {
      id: '0', label: 'Support Pipeline', displayOrder: 0, archived: false,
      stages: [
        { id: '1', label: 'New', displayOrder: 0, archived: false, metadata: { ticketState: 'OPEN' } },
        { id: '4', label: 'Closed', displayOrder: 1, archived: false, metadata: { ticketState: 'CLOSED' } },
      ],
    },
  ],
};

class HttpError extends Error {
  readonly status: number;
  readonly category: string;
  constructor(status: number, category: string, message: string) {
    super(message);
    this.status = status;
    this.category = category;
  }
}

interface AssociationEdge {
  toType: string;
  toId: string;
  types: Map<number, { category: string; typeId: number; label: string | null }>;
}

export async function startHubSpotStandIn(options: StandInOptions): Promise<HubSpotStandIn> {
  const version = options.version ?? '2026-03';
  const legacy = version === 'v3';
  let validTokens = new Set(options.validTokens);
  const records = new Map<string, Map<string, StoredRecord>>(OBJECT_TYPES.map((t) => [t, new Map()]));
  const edges = new Map<string, AssociationEdge[]>(); // key: `${type}:${id}`
  const typeTable = associationTypeTable();
  const faults: ScriptedFault[] = [];
  const requests: RecordedRequest[] = [];
  let nextId = 1001;

  // Route prefixes in this version's spelling.
  const prefix = {
    objects: legacy ? '/crm/v3/objects/' : `/crm/objects/${version}/`,
    recordAssociations: legacy ? '/crm/v4/objects/' : `/crm/objects/${version}/`,
    associationSchema: legacy ? '/crm/v4/associations/' : `/crm/associations/${version}/`,
    properties: legacy ? '/crm/v3/properties/' : `/crm/properties/${version}/`,
    owners: legacy ? '/crm/v3/owners' : `/crm/owners/${version}`,
    pipelines: legacy ? '/crm/v3/pipelines/' : `/crm/pipelines/${version}/`,
  };

  function store(type: string): Map<string, StoredRecord> {
    const map = records.get(type);
    if (!map) throw new HttpError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
    return map;
  }

  function createRecord(type: string, properties: Record<string, unknown>): StoredRecord {
    const now = new Date().toISOString();
    const id = String(nextId++);
    const record: StoredRecord = {
      id,
      properties: { ...stringifyValues(properties), hs_object_id: id, createdate: now, lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    store(type).set(id, record);
    return record;
  }

  function findRecord(type: string, id: string, idProperty?: string): StoredRecord | undefined {
    const map = store(type);
    if (!idProperty || idProperty === 'hs_object_id') return map.get(id);
    for (const r of map.values()) if ((r.properties[idProperty] ?? '').toLowerCase() === id.toLowerCase()) return r;
    return undefined;
  }

  function addEdge(fromType: string, fromId: string, toType: string, toId: string, t: AssociationType): void {
    const link = (aType: string, aId: string, bType: string, bId: string, typeId: number): void => {
      const key = `${aType}:${aId}`;
      const list = edges.get(key) ?? [];
      let edge = list.find((e) => e.toType === bType && e.toId === bId);
      if (!edge) {
        edge = { toType: bType, toId: bId, types: new Map() };
        list.push(edge);
      }
      edge.types.set(typeId, { category: t.category, typeId, label: t.label });
      edges.set(key, list);
    };
    link(fromType, fromId, toType, toId, t.typeId);
    link(toType, toId, fromType, fromId, t.inverseTypeId);
  }

  function defaultType(from: string, to: string): AssociationType {
    const t = typeTable.find((x) => x.from === from && x.to === to && x.category === 'HUBSPOT_DEFINED' && x.label === null);
    if (!t) throw new HttpError(400, 'VALIDATION_ERROR', `No default association between ${from} and ${to}`);
    return t;
  }

  function requireRecord(type: string, id: string): StoredRecord {
    const r = findRecord(type, id);
    if (!r) throw new HttpError(404, 'OBJECT_NOT_FOUND', `resource not found: ${type} ${id}`);
    return r;
  }

  function view(record: StoredRecord, requested: string[] | undefined): Record<string, unknown> {
    const names = requested && requested.length > 0 ? [...new Set([...requested, ...DEFAULT_PROPERTIES])] : DEFAULT_PROPERTIES;
    const properties: Record<string, string | null> = {};
    for (const n of names) properties[n] = record.properties[n] ?? null;
    return { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: record.archived };
  }

  // ---- handlers ------------------------------------------------------------------------------

  function search(type: string, body: SearchBody): unknown {
    const limit = body.limit ?? 10;
    if (limit > 200) throw new HttpError(400, 'VALIDATION_ERROR', 'limit must be <= 200');
    const groups = body.filterGroups ?? [];
    if (groups.length > 5) throw new HttpError(400, 'VALIDATION_ERROR', 'too many filterGroups');
    if ((body.sorts ?? []).length > 1) throw new HttpError(400, 'VALIDATION_ERROR', 'only one sort allowed');
    let list = [...store(type).values()].filter((r) => !r.archived);
    if (groups.length) list = list.filter((r) => groups.some((g) => g.filters.every((f) => matches(r, f))));
    if (body.query) {
      const q = body.query.toLowerCase();
      list = list.filter((r) => Object.values(r.properties).some((v) => v?.toLowerCase().includes(q)));
    }
    const sort = body.sorts?.[0];
    list.sort((a, b) => {
      if (!sort) return Number(a.id) - Number(b.id);
      const c = compare(a.properties[sort.propertyName] ?? '', b.properties[sort.propertyName] ?? '');
      return sort.direction === 'DESCENDING' ? -c : c;
    });
    const offset = body.after ? Number(body.after) : 0;
    const page = list.slice(offset, offset + limit);
    const next = offset + limit < list.length ? { next: { after: String(offset + limit), link: '' } } : undefined;
    return { total: list.length, results: page.map((r) => view(r, body.properties)), ...(next ? { paging: next } : {}) };
  }

  function batchRead(type: string, body: { inputs?: Array<{ id: string }>; properties?: string[]; idProperty?: string }): { status: number; body: unknown } {
    const inputs = body.inputs ?? [];
    if (inputs.length > 100) throw new HttpError(400, 'VALIDATION_ERROR', 'at most 100 inputs');
    const found: StoredRecord[] = [];
    const missing: string[] = [];
    for (const { id } of inputs) {
      const r = findRecord(type, String(id), body.idProperty);
      if (r) found.push(r);
      else missing.push(String(id));
    }
    const now = new Date().toISOString();
    const result: Record<string, unknown> = { status: 'COMPLETE', results: found.map((r) => view(r, body.properties)), startedAt: now, completedAt: now };
    if (missing.length === 0) return { status: 200, body: result };
    result.numErrors = 1;
    result.errors = [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some objects, they may be deleted or not exist.', context: { ids: missing } }];
    return { status: 207, body: result };
  }

  function create(type: string, body: { properties?: Record<string, unknown>; associations?: Array<{ to?: { id?: string }; types?: Array<{ associationCategory?: string; associationTypeId?: number }> }> }): unknown {
    if (!body.properties || typeof body.properties !== 'object') throw new HttpError(400, 'VALIDATION_ERROR', 'properties are required');
    if (type === 'notes' && !body.properties.hs_timestamp) throw new HttpError(400, 'VALIDATION_ERROR', 'Property values were not valid: hs_timestamp is required');
    // Check every association first, so a bad one leaves nothing half-written.
    const links: Array<{ toType: string; toId: string; t: AssociationType }> = [];
    for (const a of body.associations ?? []) {
      for (const spec of a.types ?? []) {
        const t = typeTable.find((x) => x.from === type && x.typeId === spec.associationTypeId && x.category === spec.associationCategory);
        if (!t) throw new HttpError(400, 'VALIDATION_ERROR', `invalid association type ${spec.associationCategory}/${spec.associationTypeId} from ${type}`);
        requireRecord(t.to, String(a.to?.id));
        links.push({ toType: t.to, toId: String(a.to?.id), t });
      }
    }
    const record = createRecord(type, body.properties);
    for (const l of links) addEdge(type, record.id, l.toType, l.toId, l.t);
    return view(record, Object.keys(body.properties));
  }

  function update(type: string, id: string, idProperty: string | undefined, body: { properties?: Record<string, unknown> }): unknown {
    const record = findRecord(type, id, idProperty);
    if (!record) throw new HttpError(404, 'OBJECT_NOT_FOUND', `resource not found: ${type} ${id}`);
    if (!body.properties || typeof body.properties !== 'object') throw new HttpError(400, 'VALIDATION_ERROR', 'properties are required');
    Object.assign(record.properties, stringifyValues(body.properties));
    record.updatedAt = new Date().toISOString();
    record.properties.lastmodifieddate = record.updatedAt;
    return view(record, Object.keys(body.properties));
  }

  function listAssociations(fromType: string, fromId: string, toType: string, query: Record<string, string>): unknown {
    requireRecord(fromType, fromId);
    const limit = query.limit ? Number(query.limit) : 500;
    if (limit > 500) throw new HttpError(400, 'VALIDATION_ERROR', 'limit must be <= 500');
    const list = (edges.get(`${fromType}:${fromId}`) ?? []).filter((e) => e.toType === toType).sort((a, b) => Number(a.toId) - Number(b.toId));
    const offset = query.after ? Number(query.after) : 0;
    const page = list.slice(offset, offset + limit);
    const next = offset + limit < list.length ? { next: { after: String(offset + limit), link: '' } } : undefined;
    return {
      results: page.map((e) => ({ toObjectId: Number(e.toId), associationTypes: [...e.types.values()] })),
      ...(next ? { paging: next } : {}),
    };
  }

  function associateDefault(fromType: string, fromId: string, toType: string, toId: string): unknown {
    requireRecord(fromType, fromId);
    requireRecord(toType, toId);
    const t = defaultType(fromType, toType);
    addEdge(fromType, fromId, toType, toId, t);
    const now = new Date().toISOString();
    return {
      status: 'COMPLETE',
      results: [
        { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: t.category, associationTypeId: t.typeId } },
        { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: t.category, associationTypeId: t.inverseTypeId } },
      ],
      startedAt: now,
      completedAt: now,
    };
  }

  function associateLabelled(fromType: string, fromId: string, toType: string, toId: string, body: unknown): unknown {
    requireRecord(fromType, fromId);
    requireRecord(toType, toId);
    if (!Array.isArray(body) || body.length === 0) throw new HttpError(400, 'VALIDATION_ERROR', 'body must be a list of association types');
    const chosen = body.map((spec: { associationCategory?: string; associationTypeId?: number }) => {
      const t = typeTable.find((x) => x.from === fromType && x.to === toType && x.typeId === spec.associationTypeId && x.category === spec.associationCategory);
      if (!t) throw new HttpError(400, 'VALIDATION_ERROR', `invalid association type ${spec.associationCategory}/${spec.associationTypeId}`);
      return t;
    });
    for (const t of chosen) addEdge(fromType, fromId, toType, toId, t);
    return {
      fromObjectTypeId: fromType, fromObjectId: Number(fromId), toObjectTypeId: toType, toObjectId: Number(toId),
      labels: chosen.map((t) => t.label).filter((l): l is string => l !== null),
    };
  }

  function labels(fromType: string, toType: string): unknown {
    store(fromType);
    store(toType);
    return { results: typeTable.filter((t) => t.from === fromType && t.to === toType).map((t) => ({ category: t.category, typeId: t.typeId, label: t.label })) };
  }

  function owners(query: Record<string, string>): unknown {
    const limit = query.limit ? Number(query.limit) : 100;
    if (limit > 500) throw new HttpError(400, 'VALIDATION_ERROR', 'limit must be <= 500');
    const list = OWNERS.filter((o) => !query.email || o.email === query.email);
    const offset = query.after ? Number(query.after) : 0;
    const page = list.slice(offset, offset + limit);
    const next = offset + limit < list.length ? { next: { after: String(offset + limit), link: '' } } : undefined;
    return { results: page, ...(next ? { paging: next } : {}) };
  }

  // ---- routing -------------------------------------------------------------------------------

  function route(method: string, path: string, query: Record<string, string>, body: unknown): { status: number; body: unknown } {
    const okJson = (b: unknown, status = 200): { status: number; body: unknown } => ({ status, body: b });
    let m: RegExpMatchArray | null;

    if (path.startsWith(prefix.objects) || path.startsWith(prefix.recordAssociations)) {
      const objectsRest = path.startsWith(prefix.objects) ? path.slice(prefix.objects.length) : undefined;
      const assocRest = path.startsWith(prefix.recordAssociations) ? path.slice(prefix.recordAssociations.length) : undefined;
      if (assocRest !== undefined) {
        if (method === 'GET' && (m = assocRest.match(/^([^/]+)\/(\d+)\/associations\/([^/]+)$/))) return okJson(listAssociations(m[1]!, m[2]!, m[3]!, query));
        if (method === 'PUT' && (m = assocRest.match(/^([^/]+)\/(\d+)\/associations\/default\/([^/]+)\/(\d+)$/))) return okJson(associateDefault(m[1]!, m[2]!, m[3]!, m[4]!));
        if (method === 'PUT' && (m = assocRest.match(/^([^/]+)\/(\d+)\/associations\/([^/]+)\/(\d+)$/))) return okJson(associateLabelled(m[1]!, m[2]!, m[3]!, m[4]!, body), 201);
      }
      if (objectsRest !== undefined) {
        if (method === 'POST' && (m = objectsRest.match(/^([^/]+)\/search$/))) return okJson(search(m[1]!, (body ?? {}) as SearchBody));
        if (method === 'POST' && (m = objectsRest.match(/^([^/]+)\/batch\/read$/))) return batchRead(m[1]!, (body ?? {}) as never);
        if (method === 'POST' && (m = objectsRest.match(/^([^/]+)$/))) return okJson(create(m[1]!, (body ?? {}) as never), 201);
        if (method === 'PATCH' && (m = objectsRest.match(/^([^/]+)\/([^/]+)$/))) return okJson(update(m[1]!, decodeURIComponent(m[2]!), query.idProperty, (body ?? {}) as never));
      }
    }
    if (method === 'GET' && path.startsWith(prefix.associationSchema) && (m = path.slice(prefix.associationSchema.length).match(/^([^/]+)\/([^/]+)\/labels$/))) {
      return okJson(labels(m[1]!, m[2]!));
    }
    if (method === 'GET' && path.startsWith(prefix.properties) && (m = path.slice(prefix.properties.length).match(/^([^/]+)$/))) {
      const list = PROPERTIES[m[1]!];
      if (!list) throw new HttpError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${m[1]}`);
      return okJson({ results: list });
    }
    if (method === 'GET' && (path === prefix.owners || path === `${prefix.owners}/`)) return okJson(owners(query));
    if (method === 'GET' && path.startsWith(prefix.pipelines) && (m = path.slice(prefix.pipelines.length).match(/^([^/]+)$/))) {
      const list = PIPELINES[m[1]!];
      if (!list) throw new HttpError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${m[1]}`);
      return okJson({ results: list });
    }
    throw new HttpError(404, 'NOT_FOUND', `No route for ${method} ${path}`);
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    sendJson(res, status, body, {
      'x-hubspot-ratelimit-max': '190',
      'x-hubspot-ratelimit-remaining': '189',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      ...headers,
    });
  }

  function errorBody(category: string, message: string): Record<string, unknown> {
    return { status: 'error', message, correlationId: randomUUID(), category };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return send(res, 400, errorBody('VALIDATION_ERROR', 'Invalid input JSON'));
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, token, at: Date.now() });

    if (!token || !validTokens.has(token)) {
      return send(res, 401, errorBody('INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication.'));
    }
    const fault = faults.find((f) => f.remaining > 0 && f.method === method && url.pathname.endsWith(f.pathSuffix));
    if (fault) {
      fault.remaining -= 1;
      return send(res, fault.fault.status, fault.fault.body ?? errorBody('ERROR', `scripted ${fault.fault.status}`), fault.fault.headers);
    }
    try {
      const result = route(method, url.pathname, Object.fromEntries(url.searchParams), body);
      send(res, result.status, result.body);
    } catch (error) {
      if (error instanceof HttpError) return send(res, error.status, errorBody(error.category, error.message));
      send(res, 500, errorBody('INTERNAL_ERROR', String(error)));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, errorBody('INTERNAL_ERROR', 'stand-in failure')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    url: new URL(`http://127.0.0.1:${port}/`),
    requests,
    records,
    setValidTokens(tokens) {
      validTokens = new Set(tokens);
    },
    addFault(method, pathSuffix, fault, times = 1) {
      faults.push({ method, pathSuffix, fault, remaining: times });
    },
    clearFaults() {
      faults.length = 0;
    },
    seed(objectType, properties) {
      return createRecord(objectType, properties);
    },
    associate(fromType, fromId, toType, toId) {
      addEdge(fromType, fromId, toType, toId, defaultType(fromType, toType));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string;
  highValue?: string;
  values?: string[];
}

interface SearchBody {
  filterGroups?: Array<{ filters: SearchFilter[] }>;
  sorts?: Array<{ propertyName: string; direction?: string }>;
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string;
}

function stringifyValues(properties: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)]));
}

/** Numbers compare as numbers, everything else case-insensitively as text. */
function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a.toLowerCase().localeCompare(b.toLowerCase());
}

function matches(record: StoredRecord, f: SearchFilter): boolean {
  const v = record.properties[f.propertyName];
  const has = v !== undefined && v !== null && v !== '';
  switch (f.operator) {
    case 'HAS_PROPERTY': return has;
    case 'NOT_HAS_PROPERTY': return !has;
    case 'EQ': return has && compare(v, f.value ?? '') === 0;
    case 'NEQ': return !has || compare(v, f.value ?? '') !== 0;
    case 'LT': return has && compare(v, f.value ?? '') < 0;
    case 'LTE': return has && compare(v, f.value ?? '') <= 0;
    case 'GT': return has && compare(v, f.value ?? '') > 0;
    case 'GTE': return has && compare(v, f.value ?? '') >= 0;
    case 'BETWEEN': return has && compare(v, f.value ?? '') >= 0 && compare(v, f.highValue ?? '') <= 0;
    case 'IN': return has && (f.values ?? []).some((x) => compare(v, x) === 0);
    case 'NOT_IN': return !has || !(f.values ?? []).some((x) => compare(v, x) === 0);
    case 'CONTAINS_TOKEN': return has && v.toLowerCase().includes((f.value ?? '').replaceAll('*', '').toLowerCase());
    case 'NOT_CONTAINS_TOKEN': return !has || !v.toLowerCase().includes((f.value ?? '').replaceAll('*', '').toLowerCase());
    default: throw new HttpError(400, 'VALIDATION_ERROR', `unknown operator ${f.operator}`);
  }
}
