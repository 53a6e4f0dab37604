/** loadRuntimeConfig / resolveRuntimeConfig: the environment contract of docs/contracts.md. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadRuntimeConfig, parseList, resolveRuntimeConfig } from '../src/config.ts';

describe('loadRuntimeConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadRuntimeConfig({})).toEqual({
      port: 8000,
      host: '0.0.0.0',
      mcpPath: '/mcp',
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      allowedOrigins: [],
      maxBodyBytes: 1_048_576,
      maxInflightRequests: 64,
      maxInflightBytes: 8_388_608,
      endpoint: 'fast',
      shutdownTimeoutMs: 10_000,
      logLevel: 'info',
    });
  });

  it('reads every variable and normalizes the lists', () => {
    const config = loadRuntimeConfig({
      PORT: '9000',
      METRICS_PORT: '9464',
      HOST: '127.0.0.1',
      MCP_PATH: '/api/mcp/',
      MCP_ALLOWED_HOSTS: ' mcp-example-service , MCP-Example-Service.agentgateway-system.svc:8000,[::1]:8000,',
      MCP_ALLOWED_ORIGINS: 'https://mcp.example.com, http://localhost:5173/',
      MCP_MAX_BODY_BYTES: '2048',
      MCP_MAX_INFLIGHT_REQUESTS: '8',
      MCP_MAX_INFLIGHT_BYTES: '4096',
      MCP_ENDPOINT: 'sdk',
      SHUTDOWN_TIMEOUT_MS: '0',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toEqual({
      port: 9000,
      metricsPort: 9464,
      host: '127.0.0.1',
      mcpPath: '/api/mcp',
      allowedHosts: ['mcp-example-service', 'mcp-example-service.agentgateway-system.svc', '[::1]'],
      allowedOrigins: ['https://mcp.example.com', 'http://localhost:5173'],
      maxBodyBytes: 2048,
      maxInflightRequests: 8,
      maxInflightBytes: 4096,
      endpoint: 'sdk',
      shutdownTimeoutMs: 0,
      logLevel: 'debug',
    });
  });

  it.each([
    [{ PORT: '80a' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ METRICS_PORT: 'x' }, /METRICS_PORT must be a whole number/],
    [{ METRICS_PORT: '8000' }, /METRICS_PORT must differ from PORT \(both 8000\)/],
    [{ MCP_MAX_BODY_BYTES: '0' }, /MCP_MAX_BODY_BYTES must be between 1/],
    [{ MCP_MAX_BODY_BYTES: '-5' }, /MCP_MAX_BODY_BYTES must be a whole number/],
    [{ SHUTDOWN_TIMEOUT_MS: '1.5' }, /SHUTDOWN_TIMEOUT_MS must be a whole number/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of debug, info, warn, error/],
    [{ MCP_ENDPOINT: 'fastest' }, /MCP_ENDPOINT must be one of fast, sdk, got "fastest"/],
    [{ MCP_MAX_INFLIGHT_REQUESTS: '0' }, /MCP_MAX_INFLIGHT_REQUESTS must be between 1/],
    [{ MCP_MAX_INFLIGHT_BYTES: '1000' }, /MCP_MAX_INFLIGHT_BYTES \(1000\) must be at least MCP_MAX_BODY_BYTES \(1048576\)/],
    [{ MCP_PATH: 'mcp' }, /MCP_PATH must be a path starting with "\/"/],
    [{ MCP_PATH: '/healthz' }, /MCP_PATH must not be \/healthz/],
    [{ MCP_ALLOWED_ORIGINS: '*' }, /"\*" is not allowed/],
    [{ MCP_ALLOWED_ORIGINS: 'ftp://files.example.com' }, /must use http or https/],
    [{ MCP_ALLOWED_ORIGINS: 'not an origin' }, /is not an origin/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadRuntimeConfig(env)).toThrow(ConfigError);
    expect(() => loadRuntimeConfig(env)).toThrow(message);
  });

  it('treats empty values as unset', () => {
    expect(loadRuntimeConfig({ PORT: '', METRICS_PORT: '', MCP_ALLOWED_HOSTS: ' ', LOG_LEVEL: '' })).not.toHaveProperty('metricsPort');
    expect(loadRuntimeConfig({ PORT: '', MCP_ALLOWED_HOSTS: ' ', LOG_LEVEL: '' })).toMatchObject({ port: 8000, allowedHosts: ['localhost', '127.0.0.1', '[::1]'], logLevel: 'info' });
  });
});

describe('resolveRuntimeConfig', () => {
  it('fills a partial config from the defaults and normalizes it', () => {
    expect(resolveRuntimeConfig({ port: 0, allowedHosts: ['LOCALHOST:3000'], allowedOrigins: ['https://a.example/'] })).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      allowedHosts: ['localhost'],
      allowedOrigins: ['https://a.example'],
    });
  });
});

describe('parseList', () => {
  it('splits, trims and drops empty entries', () => expect(parseList(' a, ,b,')).toEqual(['a', 'b']));
});
