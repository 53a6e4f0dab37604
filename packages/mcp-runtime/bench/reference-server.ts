/**
 * The benchmark's reference: mcp-example's tools served exactly as the SDK v2 documents it for plain
 * node:http: `createMcpHandler` with a per-request McpServer factory, adapted by `toNodeHandler`, behind
 * the documented localhost Host/Origin guards. Prints {"port":N} when listening. Not used in production.
 */
import { createServer } from 'node:http';
import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { createApp } from '@mcp-gateway/mcp-example';

const app = createApp();
const handler = createMcpHandler(() => {
  const server = new McpServer({ name: app.name, version: app.version });
  app.register(server);
  return server;
});
const nodeHandler = toNodeHandler(handler);
const validateHost = localhostHostValidation();
const validateOrigin = localhostOriginValidation();

const httpServer = createServer((req, res) => {
  if (!validateHost(req, res) || !validateOrigin(req, res)) return;
  void nodeHandler(req, res);
});
httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = httpServer.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`);
});
process.once('SIGTERM', () => httpServer.close(() => process.exit(0)));
