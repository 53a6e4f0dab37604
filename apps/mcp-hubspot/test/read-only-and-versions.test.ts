/**
 * HUBSPOT_READ_ONLY hides the write tools; HUBSPOT_API_VERSION=v3 sends the older paths
 * (the stand-in serves only the spelling of the version it was started with).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { callError, callOk, startHarness, type Harness } from './helpers.ts';

describe('mcp-hubspot modes', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('read-only: write tools are not listed and cannot be called', async () => {
    h = await startHarness({ readOnly: true });
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'get_crm_objects', 'list_associations', 'list_owners', 'list_pipelines', 'list_properties', 'search_crm_objects',
    ]);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const result = await h.client.callTool({ name: 'create_crm_object', arguments: { objectType: 'contacts', properties: { email: 'x@example.com' } } }).catch((e: unknown) => e);
    // Either a protocol error or a tool error; in both cases nothing reached HubSpot.
    if (!(result instanceof Error)) expect((result as { isError?: boolean }).isError).toBe(true);
    expect(h.standIn.requests).toHaveLength(0);
  });

  it('v3: objects under /crm/v3, associations v4 under /crm/v4, owners and pipelines under /crm/v3', async () => {
    h = await startHarness({ apiVersion: 'v3' });
    const contact = h.standIn.seed('contacts', { email: 'ada@example.com' });
    const company = h.standIn.seed('companies', { name: 'Acme' });
    await callOk(h.client, 'search_crm_objects', { objectType: 'contacts' });
    await callOk(h.client, 'create_association', { fromObjectType: 'contacts', fromObjectId: contact.id, toObjectType: 'companies', toObjectId: company.id });
    const links = await callOk<{ results: Array<{ id: string }> }>(h.client, 'list_associations', { objectType: 'contacts', objectId: contact.id, toObjectType: 'companies' });
    expect(links.results.map((r) => r.id)).toEqual([company.id]);
    await callOk(h.client, 'add_note', { body: 'hi', records: [{ objectType: 'companies', id: company.id }] });
    await callOk(h.client, 'list_owners', {});
    await callOk(h.client, 'list_pipelines', { objectType: 'deals' });
    await callOk(h.client, 'list_properties', { objectType: 'deals' });
    expect(h.standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /crm/v3/objects/contacts/search',
      `PUT /crm/v4/objects/contacts/${contact.id}/associations/default/companies/${company.id}`,
      `GET /crm/v4/objects/contacts/${contact.id}/associations/companies`,
      'GET /crm/v4/associations/notes/companies/labels',
      'POST /crm/v3/objects/notes',
      'GET /crm/v3/owners',
      'GET /crm/v3/pipelines/deals',
      'GET /crm/v3/properties/deals',
    ]);
  });

  it('a path spelled for another version gets a clear 404 tool error', async () => {
    h = await startHarness({ apiVersion: '2026-03' }, 'v3');
    expect(await callError(h.client, 'list_owners', {})).toMatch(/404/);
  });
});
