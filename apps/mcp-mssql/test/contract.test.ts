// The contract between the generated manifests and this program (docs/contracts.md, "mcp-mssql"): the
// Deployment rendered by the generator from the real servers.json is read back, and its environment,
// Secret mount and probes are checked against what the program reads (MSSQL_ENV_VARIABLES, loadConfig).
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegistry, renderObjects } from '../../../generators/src/index.ts';
import { locksFor } from '../../../generators/test/helpers.ts';
import { loadConfig, MSSQL_ENV_VARIABLES } from '../src/config.ts';

interface Container {
  env?: Array<{ name: string; value?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean; subPath?: string }>;
  readinessProbe?: { httpGet?: { path?: string }; timeoutSeconds?: number };
}
interface Deployment {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { containers: Container[]; volumes?: Array<{ name: string; secret?: { secretName: string } }> } } };
}

const text = await readFile(new URL('../../../servers.json', import.meta.url), 'utf8');
const { registry, problems } = parseRegistry(text, locksFor(text));

describe('mcp-mssql as rendered from servers.json', () => {
  it('renders', () => {
    expect(problems).toEqual([]);
  });

  const objects = (registry === undefined ? [] : renderObjects(registry)) as unknown as Deployment[];
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'mcp-mssql');
  const pod = deployment?.spec.template.spec;
  const container = pod?.containers[0];
  const env = Object.fromEntries((container?.env ?? []).map((v) => [v.name, v.value ?? '']));

  it('sets only MSSQL_ variables the program knows, and the program accepts them all', () => {
    expect(deployment).toBeDefined();
    const unknown = Object.keys(env).filter((name) => name.startsWith('MSSQL_') && !(MSSQL_ENV_VARIABLES as readonly string[]).includes(name));
    expect(unknown).toEqual([]);
    const config = loadConfig(env);
    expect(config.server).toBe(env['MSSQL_SERVER']);
    expect(config.auth).toEqual({ kind: 'sql-login', userFile: '/var/run/secrets/mssql/username', passwordFile: '/var/run/secrets/mssql/password' });
  });

  it('mounts the login Secret as a directory (no subPath) where the file variables point', () => {
    const mount = container?.volumeMounts?.find((m) => m.mountPath === dirname(env['MSSQL_USER_FILE'] ?? ''));
    expect(mount).toBeDefined();
    expect(mount?.subPath).toBeUndefined();
    expect(dirname(env['MSSQL_PASSWORD_FILE'] ?? '')).toBe(mount?.mountPath);
    expect(pod?.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName).toBe('mcp-mssql-login');
  });

  it('probes /readyz with a timeout longer than the app takes to answer it', () => {
    expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect((container?.readinessProbe?.timeoutSeconds ?? 1) * 1000).toBeGreaterThan(loadConfig(env).readyTimeoutMs);
  });
});
