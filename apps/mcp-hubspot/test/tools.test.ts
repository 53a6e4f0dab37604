/**
 * Every tool, called with the official MCP client over HTTP on loopback, against the app on the real
 * runtime and the HubSpot stand-in (@mcp-gateway/stand-ins/hubspot), API version 2026-03.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRecord } from '@mcp-gateway/stand-ins/hubspot';
import { FIRST_TOKEN, callError, callOk, startHarness, type Harness } from './helpers.ts';

interface Page {
  total?: number;
  results: Array<{ id: string; properties: Record<string, string | null> }>;
  after?: string;
}

describe('mcp-hubspot tools (2026-03)', () => {
  let h: Harness;
  let ada: StoredRecord;
  let alan: StoredRecord;
  let acme: StoredRecord;

  beforeAll(async () => {
    h = await startHarness();
    ada = h.standIn.seed('contacts', { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', lifecyclestage: 'customer' });
    alan = h.standIn.seed('contacts', { email: 'alan@example.com', firstname: 'Alan', lastname: 'Turing', lifecyclestage: 'lead' });
    h.standIn.seed('contacts', { email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper', lifecyclestage: 'lead' });
    h.standIn.seed('contacts', { email: 'edsger@example.com', firstname: 'Edsger', lastname: 'Dijkstra' });
    acme = h.standIn.seed('companies', { name: 'Acme', domain: 'acme.example' });
    h.standIn.associate('contacts', ada.id, 'companies', acme.id);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists the ten tools with read/write annotations', async () => {
    const { tools } = await h.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect([...byName.keys()].sort()).toEqual([
      'add_note', 'create_association', 'create_crm_object', 'get_crm_objects', 'list_associations',
      'list_owners', 'list_pipelines', 'list_properties', 'search_crm_objects', 'update_crm_object',
    ]);
    for (const name of ['search_crm_objects', 'get_crm_objects', 'list_associations', 'list_properties', 'list_owners', 'list_pipelines']) {
      expect(byName.get(name)?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    }
    expect(byName.get('create_crm_object')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true });
    expect(byName.get('update_crm_object')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true });
    expect(byName.get('create_association')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
    expect(byName.get('add_note')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    expect(byName.get('search_crm_objects')?.inputSchema.properties).toHaveProperty('filterGroups');
  });

  it('search_crm_objects: filters, sort, chosen properties, paging with after', async () => {
    const args = {
      objectType: 'contacts',
      filterGroups: [
        { filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' }] },
        { filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'ada' }] },
      ],
      sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }],
      properties: ['firstname', 'email'],
      limit: 2,
    };
    const first = await callOk<Page>(h.client, 'search_crm_objects', args);
    expect(first.total).toBe(3);
    expect(first.results.map((r) => r.properties.firstname)).toEqual(['Grace', 'Alan']);
    // Only the requested properties come back, not HubSpot's defaults.
    expect(Object.keys(first.results[0]!.properties).sort()).toEqual(['email', 'firstname']);
    expect(first.after).toBeDefined();
    const second = await callOk<Page>(h.client, 'search_crm_objects', { ...args, after: first.after });
    expect(second.results.map((r) => r.properties.firstname)).toEqual(['Ada']);
    expect(second.after).toBeUndefined();

    const sent = h.standIn.requests.filter((r) => r.path === '/crm/objects/2026-03/contacts/search').at(-1)!;
    expect(sent.body).toMatchObject({ limit: 2, after: first.after, sorts: [{ propertyName: 'firstname', direction: 'DESCENDING' }] });
    expect(sent.token).toBe(FIRST_TOKEN);
  });

  it('search_crm_objects: free text, BETWEEN, IN, HAS_PROPERTY', async () => {
    const byQuery = await callOk<Page>(h.client, 'search_crm_objects', { objectType: 'contacts', query: 'hopper', properties: ['lastname'] });
    expect(byQuery.results.map((r) => r.properties.lastname)).toEqual(['Hopper']);
    const inList = await callOk<Page>(h.client, 'search_crm_objects', {
      objectType: 'contacts',
      filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'IN', values: ['Ada', 'Edsger'] }, { propertyName: 'lifecyclestage', operator: 'NOT_HAS_PROPERTY' }] }],
      properties: ['firstname'],
    });
    expect(inList.results.map((r) => r.properties.firstname)).toEqual(['Edsger']);
    const between = await callOk<Page>(h.client, 'search_crm_objects', {
      objectType: 'contacts',
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'BETWEEN', value: Number(ada.id), highValue: Number(alan.id) }] }],
    });
    expect(between.results.map((r) => r.id)).toEqual([ada.id, alan.id]);
  });

  it('search_crm_objects: refuses bad input before calling HubSpot', async () => {
    const before = h.standIn.requests.length;
    expect(await callError(h.client, 'search_crm_objects', { objectType: 'contacts', limit: 201 })).toMatch(/limit/i);
    expect(await callError(h.client, 'search_crm_objects', { objectType: 'widgets' })).toMatch(/objectType/);
    expect(
      await callError(h.client, 'search_crm_objects', { objectType: 'contacts', filterGroups: [{ filters: [{ propertyName: 'email', operator: 'BETWEEN', value: 'a' }] }] }),
    ).toMatch(/highValue/);
    const tooMany = Array.from({ length: 3 }, () => ({ filters: Array.from({ length: 9 }, () => ({ propertyName: 'email', operator: 'HAS_PROPERTY' })) }));
    expect(await callError(h.client, 'search_crm_objects', { objectType: 'contacts', filterGroups: tooMany })).toMatch(/25 filters/);
    expect(h.standIn.requests.length).toBe(before);
  });

  it('get_crm_objects: batch read by id and by email, with the ids not found', async () => {
    const out = await callOk<{ results: Page['results']; notFound?: string[] }>(h.client, 'get_crm_objects', {
      objectType: 'contacts',
      ids: [ada.id, '999999'],
      properties: ['email'],
    });
    expect(out.results).toEqual([{ id: ada.id, properties: { email: 'ada@example.com' } }]);
    expect(out.notFound).toEqual(['999999']);
    const byEmail = await callOk<{ results: Page['results'] }>(h.client, 'get_crm_objects', {
      objectType: 'contacts',
      ids: ['alan@example.com'],
      idProperty: 'email',
      properties: ['firstname'],
    });
    expect(byEmail.results).toEqual([{ id: alan.id, properties: { firstname: 'Alan' } }]);
    expect(await callError(h.client, 'get_crm_objects', { objectType: 'contacts', ids: Array.from({ length: 101 }, (_, i) => String(i + 1)) })).toMatch(/100/);
  });

  it('create_crm_object and update_crm_object', async () => {
    const created = await callOk<{ id: string; properties: Record<string, string> }>(h.client, 'create_crm_object', {
      objectType: 'deals',
      properties: { dealname: 'Big deal', amount: 1200, pipeline: 'default', dealstage: 'appointmentscheduled' },
    });
    expect(created.properties).toEqual({ dealname: 'Big deal', amount: '1200', pipeline: 'default', dealstage: 'appointmentscheduled' });
    expect(h.standIn.records.get('deals')?.get(created.id)?.properties.amount).toBe('1200');

    const updated = await callOk<{ id: string; properties: Record<string, string> }>(h.client, 'update_crm_object', {
      objectType: 'deals',
      id: created.id,
      properties: { dealstage: 'closedwon' },
    });
    expect(updated).toEqual({ id: created.id, properties: { dealstage: 'closedwon' } });
    expect(h.standIn.records.get('deals')?.get(created.id)?.properties).toMatchObject({ dealstage: 'closedwon', dealname: 'Big deal' });
    const patch = h.standIn.requests.at(-1)!;
    expect(patch).toMatchObject({ method: 'PATCH', path: `/crm/objects/2026-03/deals/${created.id}`, body: { properties: { dealstage: 'closedwon' } } });

    expect(await callError(h.client, 'update_crm_object', { objectType: 'deals', id: '424242', properties: { dealstage: 'x' } })).toMatch(/404/);
    expect(await callError(h.client, 'create_crm_object', { objectType: 'deals', properties: {} })).toMatch(/at least one property/);
  });

  it('list_associations and create_association (associations v4, default and labelled)', async () => {
    const bob = h.standIn.seed('contacts', { email: 'bob@example.com' });
    const made = await callOk<{ associated: boolean; types: Array<{ typeId: number }> }>(h.client, 'create_association', {
      fromObjectType: 'contacts', fromObjectId: bob.id, toObjectType: 'companies', toObjectId: acme.id,
    });
    expect(made.associated).toBe(true);
    expect(made.types[0]).toEqual({ category: 'HUBSPOT_DEFINED', typeId: 279 });
    expect(h.standIn.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/crm/objects/2026-03/contacts/${bob.id}/associations/default/companies/${acme.id}` });

    const labelled = await callOk<{ labels: string[] }>(h.client, 'create_association', {
      fromObjectType: 'contacts', fromObjectId: bob.id, toObjectType: 'companies', toObjectId: acme.id,
      associationTypeId: 501, associationCategory: 'USER_DEFINED',
    });
    expect(labelled.labels).toEqual(['Decision maker']);
    expect(h.standIn.requests.at(-1)).toMatchObject({
      method: 'PUT',
      path: `/crm/objects/2026-03/contacts/${bob.id}/associations/companies/${acme.id}`,
      body: [{ associationCategory: 'USER_DEFINED', associationTypeId: 501 }],
    });

    const page1 = await callOk<{ results: Array<{ id: string; types: Array<{ typeId: number; label: string | null }> }>; after?: string }>(
      h.client, 'list_associations', { objectType: 'companies', objectId: acme.id, toObjectType: 'contacts', limit: 1 },
    );
    expect(page1.results).toEqual([{ id: ada.id, types: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }] }]);
    expect(page1.after).toBeDefined();
    const page2 = await callOk<{ results: Array<{ id: string; types: Array<{ typeId: number; label: string | null }> }>; after?: string }>(
      h.client, 'list_associations', { objectType: 'companies', objectId: acme.id, toObjectType: 'contacts', limit: 1, after: page1.after },
    );
    expect(page2.results[0]?.id).toBe(bob.id);
    expect(page2.results[0]?.types.map((t) => t.label)).toEqual([null, 'Decision maker']);
    expect(page2.after).toBeUndefined();

    expect(await callError(h.client, 'create_association', {
      fromObjectType: 'contacts', fromObjectId: bob.id, toObjectType: 'companies', toObjectId: acme.id, associationTypeId: 77777,
    })).toMatch(/400.*invalid association type/);
  });

  it('add_note: one request creates the note with its associations', async () => {
    const deal = h.standIn.seed('deals', { dealname: 'Noted deal' });
    const note = await callOk<{ id: string; timestamp: string }>(h.client, 'add_note', {
      body: '<p>Called, all good.</p>',
      records: [{ objectType: 'contacts', id: ada.id }, { objectType: 'deals', id: deal.id }],
      ownerId: '6166860',
    });
    expect(note.timestamp).toBe('2026-11-24T10:00:00.000Z');
    const create = h.standIn.requests.find((r) => r.method === 'POST' && r.path === '/crm/objects/2026-03/notes')!;
    expect(create.body).toEqual({
      properties: { hs_note_body: '<p>Called, all good.</p>', hs_timestamp: '2026-11-24T10:00:00.000Z', hubspot_owner_id: '6166860' },
      associations: [
        { to: { id: ada.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] },
        { to: { id: deal.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 214 }] },
      ],
    });
    // The note shows up on the contact's associations.
    const notes = await callOk<{ results: Array<{ id: string }> }>(h.client, 'list_associations', { objectType: 'contacts', objectId: ada.id, toObjectType: 'notes' });
    expect(notes.results.map((r) => r.id)).toEqual([note.id]);
    // Type ids came from the labels endpoint, once per pair.
    await callOk(h.client, 'add_note', { body: 'again', records: [{ objectType: 'contacts', id: alan.id }] });
    expect(h.standIn.requests.filter((r) => r.path === '/crm/associations/2026-03/notes/contacts/labels')).toHaveLength(1);

    expect(await callError(h.client, 'add_note', { body: 'x', records: [] })).toMatch(/records/);
    expect(await callError(h.client, 'add_note', { body: 'x'.repeat(65_537), records: [{ objectType: 'contacts', id: ada.id }] })).toMatch(/body/);
  });

  it('list_properties: compact, filtered, hidden ones left out', async () => {
    const out = await callOk<{ total: number; results: Array<Record<string, unknown>> }>(h.client, 'list_properties', { objectType: 'contacts', search: 'life' });
    expect(out.total).toBe(1);
    expect(out.results[0]).toEqual({
      name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', group: 'contactinformation',
      description: 'Lifecycle Stage of the record',
      options: [{ value: 'lead', label: 'Lead' }, { value: 'customer', label: 'Customer' }],
    });
    const all = await callOk<{ total: number; results: Array<{ name: string; readOnly?: boolean }> }>(h.client, 'list_properties', { objectType: 'contacts' });
    expect(all.results.map((p) => p.name)).not.toContain('hs_internal_flag');
    expect(all.results.find((p) => p.name === 'hs_object_id')?.readOnly).toBe(true);
    const limited = await callOk<{ total: number; results: unknown[]; truncated?: boolean }>(h.client, 'list_properties', { objectType: 'contacts', limit: 2 });
    expect(limited).toMatchObject({ total: all.total, truncated: true });
    expect(limited.results).toHaveLength(2);
  });

  it('list_owners: paging and email filter', async () => {
    const first = await callOk<{ results: Array<{ id: string; email: string; teams?: string[] }>; after?: string }>(h.client, 'list_owners', { limit: 2 });
    expect(first.results.map((o) => o.email)).toEqual(['ada@example.com', 'alan@example.com']);
    expect(first.results[0]?.teams).toEqual(['West Coast Sales']);
    const rest = await callOk<{ results: Array<{ email: string }>; after?: string }>(h.client, 'list_owners', { limit: 2, after: first.after });
    expect(rest.results.map((o) => o.email)).toEqual(['grace@example.com']);
    expect(rest.after).toBeUndefined();
    const one = await callOk<{ results: Array<{ id: string }> }>(h.client, 'list_owners', { email: 'grace@example.com' });
    expect(one.results).toEqual([{ id: '6166862', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' }]);
    expect(h.standIn.requests.at(-1)).toMatchObject({ path: '/crm/owners/2026-03', query: { email: 'grace@example.com', limit: '100' } });
    expect(await callError(h.client, 'list_owners', { limit: 101 })).toMatch(/limit/i);
  });

  it('list_pipelines: stages in display order, archived ones left out', async () => {
    const deals = await callOk<{ results: Array<{ id: string; stages: Array<{ id: string }> }> }>(h.client, 'list_pipelines', { objectType: 'deals' });
    expect(deals.results.map((p) => p.id)).toEqual(['default']);
    expect(deals.results[0]?.stages.map((s) => s.id)).toEqual(['appointmentscheduled', 'qualifiedtobuy', 'closedwon']);
    const tickets = await callOk<{ results: Array<{ label: string; stages: Array<{ label: string; metadata?: unknown }> }> }>(h.client, 'list_pipelines', { objectType: 'tickets' });
    expect(tickets.results[0]?.stages[0]).toEqual({ id: '1', label: 'New', metadata: { ticketState: 'OPEN' } });
  });
});
