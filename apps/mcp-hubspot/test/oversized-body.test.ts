/**
 * An 8 MiB chunked body, far over the 1 MiB body limit, sent 20 times to the HubSpot server on loopback (a proxy
 * piping a client's upload): every time the sender reads the 413 and its JSON-RPC error, never a reset, and the
 * same connection then serves a ping (the runtime reads and drops the rest of a refused body,
 * packages/mcp-runtime/src/body.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectOversizedBodiesRefused } from '../../../packages/mcp-runtime/test/large-body.ts';
import { startHarness, type Harness } from './helpers.ts';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

describe('an oversized request body', () => {
  it('gets 20 answers of 413 for 20 sends of 8 MiB chunked, no reset, the connection still usable', async () => {
    await expectOversizedBodiesRefused(harness.app.url);
  }, 180_000);
});
