/**
 * scripts/refresh-crds.ts, offline: a loopback server stands in for the upstream repository's tagged source (it
 * serves the committed v1.4.1 files under the path the real host uses); unreachable and wrong sources must fail
 * with a message that says what to do, and leave the repository's folder as it was. Also: the committed copy is
 * the one its README describes, at the version servers.json pins.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENTGATEWAY_CRDS_VERSION, crdDir } from '../../generators/src/index.ts';
import { CRD_FILES, refreshCrds, RefreshError, upstreamTemplates } from '../refresh-crds.ts';
import { REPO_ROOT } from './helpers.ts';

const COMMITTED = crdDir();
let server: Server;
let base: string;
const roots: string[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    // The real host's layout: /<owner>/<repo>/<tag>/<path>; only the tag v9.9.9 exists here.
    const match = /^\/agentgateway\/agentgateway\/v9\.9\.9\/controller\/install\/helm\/agentgateway-crds\/templates\/([^/]+)$/.exec(req.url ?? '');
    if (!match || !(match[1]! in CRD_FILES)) return void res.writeHead(404).end('404: Not Found');
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(await readFile(join(COMMITTED, match[1]!)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function tempRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'refresh-crds-'));
  roots.push(root);
  return root;
}

/** The templates URL of `tag` on the stand-in, as upstreamTemplates() builds it for the real host. */
const standIn = (tag: string) => upstreamTemplates(tag).replace('https://raw.githubusercontent.com', base);

describe('refresh-crds', () => {
  it('fetches the three CRDs of a tag, checks them and writes them with a README of their checksums', async () => {
    const root = await tempRoot();
    const target = await refreshCrds({ version: 'v9.9.9', source: standIn('v9.9.9'), root });
    expect(target).toBe(join(root, 'generators/crds/agentgateway-v9.9.9'));
    expect((await readdir(target)).sort()).toEqual([...Object.keys(CRD_FILES), 'README.md'].sort());
    const readme = await readFile(join(target, 'README.md'), 'utf8');
    for (const file of Object.keys(CRD_FILES)) {
      const text = await readFile(join(target, file), 'utf8');
      expect(text).toBe(await readFile(join(COMMITTED, file), 'utf8'));
      expect(readme).toContain(createHash('sha256').update(text).digest('hex'));
    }
    expect(readme).toContain('Licence: Apache-2.0');
    expect(readme).toContain(standIn('v9.9.9'));
    expect(await readdir(join(root, 'generators/crds'))).toEqual(['agentgateway-v9.9.9']);
  });

  it('without a network path to the source, fails naming the URL and the offline way, and writes nothing', async () => {
    const root = await tempRoot();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = refreshCrds({ version: 'v9.9.9', source: `http://127.0.0.1:${port}/templates/`, root });
    await expect(failure).rejects.toThrow(RefreshError);
    await expect(failure).rejects.toThrow(/cannot download http:\/\/127\.0\.0\.1:\d+\/templates\/agentgateway\.dev_agentgatewaybackends\.yaml \(ECONNREFUSED\)\. Without internet access, pull the chart .*helm pull oci:\/\/cr\.agentgateway\.dev\/charts\/agentgateway-crds --version v9\.9\.9 --untar.* --from <chart>\/templates/);
    await expect(readdir(join(root, 'generators'))).rejects.toThrow(/ENOENT/);
  });

  it('names a tag that does not exist', async () => {
    await expect(refreshCrds({ version: 'v0.0.1', source: standIn('v0.0.1'), root: await tempRoot() })).rejects.toThrow(/HTTP 404 \(is v0\.0\.1 a released tag\?\)/);
  });

  it('refuses files that are not the expected CRDs and keeps the folder already there', async () => {
    const root = await tempRoot();
    const from = join(root, 'chart');
    await mkdir(from);
    for (const file of Object.keys(CRD_FILES)) await writeFile(join(from, file), await readFile(join(COMMITTED, file)));
    const existing = join(root, 'generators/crds/agentgateway-v9.9.9');
    await mkdir(existing, { recursive: true });
    await writeFile(join(existing, 'keep.txt'), 'old');

    await writeFile(join(from, 'agentgateway.dev_agentgatewaypolicies.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    await expect(refreshCrds({ version: 'v9.9.9', from, root })).rejects.toThrow('agentgateway.dev_agentgatewaypolicies.yaml: expected a CustomResourceDefinition, found kind ConfigMap');
    await writeFile(join(from, 'agentgateway.dev_agentgatewaypolicies.yaml'), '{{- if .Values.crds }}\nkind: CustomResourceDefinition\n');
    await expect(refreshCrds({ version: 'v9.9.9', from, root })).rejects.toThrow(/contains Helm template syntax/);
    await rm(join(from, 'agentgateway.dev_agentgatewaypolicies.yaml'));
    await expect(refreshCrds({ version: 'v9.9.9', from, root })).rejects.toThrow(/cannot read .*agentgateway\.dev_agentgatewaypolicies\.yaml: ENOENT/);
    expect(await readdir(existing)).toEqual(['keep.txt']);
    await expect(refreshCrds({ version: '1.4', from, root })).rejects.toThrow('"1.4" is not a release tag like v1.4.1');
  });

  it('as a command: exit 2 on bad arguments, 1 with one line when the source cannot be reached', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [join(REPO_ROOT, 'scripts/refresh-crds.ts'), ...args], { cwd: REPO_ROOT }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    expect(await run([])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: node scripts/refresh-crds.ts <version>') });
    const unreachable = await run(['v9.9.9', '--source', 'http://127.0.0.1:9/templates/']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^refresh-crds: cannot download http:\/\/127\.0\.0\.1:9\//);
  });
});

describe('the committed CRDs', () => {
  it('are the release servers.json pins, unedited (their README lists their checksums)', async () => {
    const registry = JSON.parse(await readFile(join(REPO_ROOT, 'servers.json'), 'utf8')) as { controlPlane: { agentgatewayVersion: string } };
    expect(AGENTGATEWAY_CRDS_VERSION).toBe(registry.controlPlane.agentgatewayVersion);
    const readme = await readFile(join(COMMITTED, 'README.md'), 'utf8');
    for (const file of Object.keys(CRD_FILES)) {
      expect(readme).toContain(`| \`${file}\` | ${CRD_FILES[file]} | \`${createHash('sha256').update(await readFile(join(COMMITTED, file))).digest('hex')}\` |`);
    }
    expect(readme).toMatch(/Licence: Apache-2\.0/);
  });

  it('are the only copy the repository reads: no tracked file points outside the clone', async () => {
    const { stdout } = await promisify(execFile)('git', ['grep', '-l', '-e', 'shared/crds', '-e', 'AGENTGATEWAY_CRDS_DIR', '--', '.', ':!scripts/test/refresh-crds.test.ts', ':!scripts/test/ci-workflow.test.ts'], { cwd: REPO_ROOT }).catch(
      (error: { code: number; stdout: string }) => (error.code === 1 ? { stdout: '' } : Promise.reject(error)),
    );
    expect(stdout.trim().split('\n').filter(Boolean)).toEqual([]);
  });
});
