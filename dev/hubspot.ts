/**
 * The HubSpot API stand-in of the dev stack: the same loopback server the mcp-hubspot tests use
 * (packages/stand-ins, @mcp-gateway/stand-ins/hubspot), seeded with a few records so the tools have something to show.
 */
import { startHubSpotStandIn as startStandIn, type HubSpotStandIn as StandIn } from '@mcp-gateway/stand-ins/hubspot';

export type HubSpotStandIn = StandIn & { url: URL };

export async function startHubSpotStandIn(options: { validTokens: string[] }): Promise<HubSpotStandIn> {
  const standIn = await startStandIn({ validTokens: options.validTokens });
  const company = standIn.seed('companies', { name: 'Analytical Engines Ltd', domain: 'engines.example' });
  const contact = standIn.seed('contacts', { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@engines.example' });
  standIn.seed('contacts', { firstname: 'Charles', lastname: 'Babbage', email: 'charles@engines.example' });
  standIn.associate('contacts', contact.id, 'companies', company.id);
  standIn.seed('deals', { dealname: 'Difference engine No. 2', amount: '17000', dealstage: 'appointmentscheduled' });
  return Object.assign(standIn, { url: new URL(standIn.baseUrl) });
}
