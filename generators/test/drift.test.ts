/**
 * The CLI on a temporary repository root: generate, --check, removing a server, bad input. Runs the real
 * `node generators/src/cli.ts` as `npm run generate` does.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockLike, REPO_ROOT } from './helpers.ts';

const run = promisify(execFile);
const CLI = resolve(REPO_ROOT, 'generators/src/cli.ts');

async function generate(root: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, '--root', root, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Path → sha256 of every file under root. */
function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return out;
}

let root: string;
const registryPath = () => join(root, 'servers.json');
const editRegistry = (edit: (r: any) => void) => {
  const json = JSON.parse(readFileSync(registryPath(), 'utf8'));
  edit(json);
  writeFileSync(registryPath(), `${JSON.stringify(json, null, 2)}\n`);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'generate-drift-'));
  cpSync(resolve(REPO_ROOT, 'servers.json'), registryPath());
  cpSync(resolve(REPO_ROOT, 'tool-locks'), join(root, 'tool-locks'), { recursive: true });
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs/contracts.md'), 'hand-written\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run generate on a temporary root', () => {
  it('--check on an empty tree lists every file as added, writes nothing and exits 1 with the fix', async () => {
    const before = snapshotTree(root);
    const result = await generate(root, '--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('  added   base/servers/mcp-hubspot/token-cronjob.yaml');
    expect(result.stderr).toContain('run `npm run generate` and commit the result.');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('generates, then --check passes, and a second run changes no byte', async () => {
    expect((await generate(root)).code).toBe(0);
    const first = snapshotTree(root);
    expect(Object.keys(first)).toContain('base/.generated.json');
    expect(Object.keys(first)).toContain('docs/architecture.md');
    const check = await generate(root, '--check');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('up to date');
    const again = await generate(root);
    expect(again.stdout).toContain('no change');
    expect(snapshotTree(root)).toEqual(first);
  });

  it('produces the same bytes as the committed base/ for the same servers.json', () => {
    const committed = snapshotTree(resolve(REPO_ROOT, 'base'));
    const generated = snapshotTree(join(root, 'base'));
    expect(generated).toEqual(committed);
  });

  it('writes only the files whose bytes change: every other file keeps its mtime', async () => {
    const files = Object.keys(snapshotTree(root)).filter((p) => p.startsWith('base/') || p === 'docs/architecture.md');
    const past = new Date('2026-01-01T00:00:00Z');
    for (const file of files) utimesSync(join(root, file), past, past);
    const original = readFileSync(registryPath(), 'utf8');
    editRegistry((r) => {
      const example = r.servers.find((s: any) => s.name === 'mcp-example');
      example.env = { ...example.env, GREETING: 'hello' };
    });
    const result = await generate(root);
    expect(result.code).toBe(0);
    const rewritten = files.filter((file) => statSync(join(root, file)).mtimeMs !== past.getTime()).sort();
    // A plain variable of one server is in its Deployment and nowhere else: that file, and no other, is written.
    expect(rewritten).toEqual(['base/servers/mcp-example/deployment.yaml']);
    expect(result.stdout).toContain('1 change(s)');
    writeFileSync(registryPath(), original);
    await generate(root);
  });

  it('reports a hand edit as changed and restores it', async () => {
    const file = join(root, 'base/servers/mcp-example/service.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('port: 8000', 'port: 8001'));
    const check = await generate(root, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('  changed base/servers/mcp-example/service.yaml');
    await generate(root);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('removing a server removes exactly its listed files and keeps unlisted ones', async () => {
    writeFileSync(join(root, 'base/servers/mcp-mssql/NOTES.txt'), 'not generated\n');
    writeFileSync(join(root, 'base/local.yaml'), 'kind: Unlisted\n');
    editRegistry((r) => (r.servers = r.servers.filter((s: any) => s.name !== 'mcp-mssql')));
    // Its lock goes with it: a lock without its server is refused.
    const stale = await generate(root, '--check');
    expect(stale.stderr).toContain('tool-locks/mcp-mssql.json: (file): no server named "mcp-mssql" in servers.json: delete the lock, or rename it after its server');
    rmSync(join(root, 'tool-locks/mcp-mssql.json'));
    const check = await generate(root, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('  stale   base/servers/mcp-mssql/deployment.yaml');
    expect(check.stderr).toContain('  changed base/shared/ui/catalog.yaml');
    expect((await generate(root)).code).toBe(0);
    expect(readdirSync(join(root, 'base/servers/mcp-mssql'))).toEqual(['NOTES.txt']);
    expect(existsSync(join(root, 'base/local.yaml'))).toBe(true);
    expect(readFileSync(join(root, 'docs/contracts.md'), 'utf8')).toBe('hand-written\n');
    expect(readFileSync(join(root, 'base/shared/ui/catalog.yaml'), 'utf8')).not.toContain('mcp-mssql');
  });

  it('removing the last file of a server folder removes the folder', async () => {
    editRegistry((r) => (r.servers = r.servers.filter((s: any) => s.name !== 'mcp-example')));
    rmSync(join(root, 'tool-locks/mcp-example.json'));
    expect((await generate(root)).code).toBe(0);
    expect(existsSync(join(root, 'base/servers/mcp-example'))).toBe(false);
  });

  it('refuses a secret typed into env, naming the field, and leaves base/ as it was', async () => {
    const before = snapshotTree(root);
    const original = readFileSync(registryPath(), 'utf8');
    editRegistry((r) => (r.servers.find((s: any) => s.name === 'mcp-hubspot').env.HUBSPOT_ACCESS_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555'));
    const registryBytes = readFileSync(registryPath(), 'utf8');
    const result = await generate(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/servers\.json:\d+:\d+: servers\[\d+\]\.env\.HUBSPOT_ACCESS_TOKEN: HUBSPOT_ACCESS_TOKEN looks like a secret .*secretMounts/);
    expect(result.stderr).not.toContain('pat-na1-');
    expect(snapshotTree(root)).toEqual({ ...before, 'servers.json': createHash('sha256').update(registryBytes).digest('hex') });
    writeFileSync(registryPath(), original);
  });

  it('on bad input prints every problem, exits 1 and leaves every byte as it was', async () => {
    const before = snapshotTree(root);
    editRegistry((r) => {
      r.servers[0].port = 70000;
      r.servers.push({ name: 'mcp-x', description: 'x', image: 'x:1', routePath: '/auth/x', access: [{ everyoneInTenant: true }] });
      r.servers.push({ name: 'mcp-x', description: 'y', image: 'y:1', access: [{ everyoneInTenant: true }] });
    });
    writeFileSync(join(root, 'tool-locks/mcp-x.json'), lockLike('mcp-x', 'mcp-hubspot'));
    const registryBytes = readFileSync(registryPath(), 'utf8');
    const result = await generate(root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('3 problem(s); nothing was written');
    expect(result.stderr).toMatch(/servers\.json:\d+:\d+: servers\[0\]\.port: must be <= 65535 \(found 70000\)/);
    expect(result.stderr).toContain('route path "/auth/x" is reserved for the UI');
    expect(result.stderr).toContain('duplicate server name "mcp-x" (also servers[1])');
    expect(snapshotTree(root)).toEqual({ ...before, 'servers.json': createHash('sha256').update(registryBytes).digest('hex'), 'tool-locks/mcp-x.json': expect.any(String) });
    rmSync(join(root, 'tool-locks/mcp-x.json'));
  });

  it('refuses a server without a lock, and a lock edited by hand, naming the file, the tool and the command; base/ stays', async () => {
    cpSync(resolve(REPO_ROOT, 'servers.json'), registryPath());
    cpSync(resolve(REPO_ROOT, 'tool-locks'), join(root, 'tool-locks'), { recursive: true });
    expect((await generate(root)).code).toBe(0);
    const before = snapshotTree(root);
    const lockFile = join(root, 'tool-locks/mcp-hubspot.json');
    const lockBytes = readFileSync(lockFile, 'utf8');
    rmSync(lockFile);
    const missing = await generate(root);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/servers\.json:\d+:\d+: servers\[\d\]: server "mcp-hubspot" has no tool lock \(tool-locks\/mcp-hubspot\.json\), and none is assumed: .*`npm run tools:lock -- mcp-hubspot`/);
    writeFileSync(lockFile, lockBytes.replace('"description": "Add a note', '"description": "Add a note (and copy it elsewhere)'));
    const edited = await generate(root);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/tool-locks\/mcp-hubspot\.json:\d+:\d+: tools\[0\]\.digest: tool "add_note": the digest does not match its definition \(sha256:[0-9a-f]{64}\): the lock was edited by hand; run `npm run tools:lock -- mcp-hubspot`/);
    expect(snapshotTree(root)).toEqual({ ...before, 'tool-locks/mcp-hubspot.json': expect.any(String) });
    writeFileSync(lockFile, lockBytes);
    expect((await generate(root, '--check')).code).toBe(0);
  });

  it('rejects malformed JSON with its position', async () => {
    writeFileSync(registryPath(), '{\n  "servers": [,]\n}\n');
    const result = await generate(root, '--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("servers.json:2:15: (syntax): malformed JSON: expected a value but found ','");
  });

  it('rejects unknown options with usage', async () => {
    const result = await generate(root, '--chekc');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm run generate');
  });
});
