/**
 * `npm run bench:generate`: synthetic registries of 100, 1,000 and 3,000 servers through parse, render,
 * validation (schema + CRD CEL + cross-object + the policies' own CEL) and YAML emit, all in memory. Each size
 * runs in a fresh child process (with the Node flags of `npm run generate`) so its peak RSS is its own; each size
 * runs three times and the fastest is printed.
 * Prints wall time per phase and peak RSS. Target: 1,000 servers under 3 s and 300 MB (parse + render + validate).
 *
 * Usage: npm run bench:generate [-- 100 1000 3000]
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { renderFiles } from '../src/emit.ts';
import { buildLock, formatLock, parseLock } from '@mcp-gateway/tool-lock';
import { generateNodeFlags } from '../src/node-flags.ts';
import { parseRegistry } from '../src/registry/parse.ts';
import { readToolLockFiles } from '../src/registry/tool-locks.ts';
import { renderObjects } from '../src/render/index.ts';
import { crossCheckObjects } from '../src/validate/cross-check.ts';
import { environmentObjects } from '../src/render/environments.ts';
import { checkPodSecurity } from '../src/validate/pod-security.ts';
import { checkPolicyCel } from '../src/validate/policy-cel.ts';
import { validateObjectsWithStats } from '../src/validate/schemas.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** servers.json with `count` servers: every 10th a StatefulSet with a token refresh, the rest Deployments. */
export function syntheticRegistry(count: number): string {
  const base = JSON.parse(readFileSync(resolve(REPO_ROOT, 'servers.json'), 'utf8'));
  const template = base.servers.find((s: { name: string }) => s.name === 'mcp-hubspot');
  base.servers = Array.from({ length: count }, (_, i) => {
    const name = `mcp-s${String(i).padStart(5, '0')}`;
    if (i % 10 !== 0) return { name, description: `Synthetic server ${i}.`, image: `ghcr.io/example/${name}:1.0.${i}`, replicas: 2, env: { LOG_LEVEL: 'info' }, access: [{ everyoneInTenant: true }] };
    const secretName = `${name}-token`;
    return {
      ...structuredClone(template),
      name,
      secretMounts: [{ secretName, mountPath: '/var/run/secrets/token', env: { TOKEN_FILE: 'access-token' } }],
      tokenRefresh: { ...template.tokenRefresh, secretName, credentialsSecret: { name: `${name}-credentials` } },
    };
  });
  return JSON.stringify(base, null, 2);
}

/** The tool locks of `syntheticRegistry(count)`: the committed tools of mcp-hubspot (every 10th server) or of mcp-example. */
export function syntheticToolLocks(count: number): Map<string, string> {
  const committed = readToolLockFiles(REPO_ROOT);
  const toolsOf = (server: string) => parseLock(committed.get(server)!).tools.map(({ digest: _digest, ...tool }) => tool);
  const [hubspot, example] = [toolsOf('mcp-hubspot'), toolsOf('mcp-example')];
  return new Map(Array.from({ length: count }, (_, i) => {
    const name = `mcp-s${String(i).padStart(5, '0')}`;
    return [name, formatLock(buildLock(name, { kind: 'hand' }, i % 10 === 0 ? hubspot : example))] as const;
  }));
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

/** One size, in this process; prints one JSON line. */
function measure(count: number): void {
  const text = syntheticRegistry(count);
  const locks = syntheticToolLocks(count);
  const start = performance.now();
  const [parsed, parseMs] = timed(() => parseRegistry(text, locks));
  if (!parsed.registry) throw new Error(`synthetic registry invalid: ${parsed.problems[0]?.message}`);
  const [objects, renderMs] = timed(() => renderObjects(parsed.registry!));
  const [validated, validateMs] = timed(() => validateObjectsWithStats(objects));
  const [cross, crossMs] = timed(() => crossCheckObjects(objects));
  const [policyCel, policyCelMs] = timed(() => checkPolicyCel(objects));
  // What `npm run generate` adds: each environment's render diffed against the base, and the Pod Security rules.
  const [environments, environmentsMs] = timed(() => [...environmentObjects(parsed.registry!), ...checkPodSecurity(objects)]);
  const totalMs = performance.now() - start;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const [files, emitMs] = timed(() => renderFiles(parsed.registry!));
  const problems = validated.problems.length + cross.length + policyCel.length + environments.filter((e) => 'message' in e).length;
  const result = {
    servers: count,
    objects: objects.length,
    files: files.length,
    problems,
    celEvaluated: validated.cel.evaluated,
    ms: { parse: parseMs, render: renderMs, validate: validateMs, crossCheck: crossMs, policyCel: policyCelMs, environments: environmentsMs, total: totalMs, emit: emitMs },
    peakRssMb,
    peakRssWithEmitMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(result));
}

async function main(): Promise<void> {
  const [mode, size] = process.argv.slice(2);
  if (mode === '--child') return measure(Number(size));
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const run = promisify(execFile);
  console.log('servers  objects  parse ms  render ms  validate ms  cross ms  policy CEL ms  env+PSS ms  TOTAL ms  peak RSS MB  problems  | emit ms  RSS with emit MB');
  for (const count of sizes.length > 0 ? sizes : [100, 1000, 3000]) {
    // The fastest of three fresh processes: the machine is shared, and the least disturbed run is the measure.
    let r: any;
    for (let i = 0; i < 3; i++) {
      const { stdout } = await run(process.execPath, [...generateNodeFlags(), import.meta.filename, '--child', String(count)], { maxBuffer: 16 * 1024 * 1024 });
      const candidate = JSON.parse(stdout.trim().split('\n').at(-1)!);
      if (!r || candidate.ms.total + candidate.ms.emit < r.ms.total + r.ms.emit) r = candidate;
    }
    const f = (n: number, w: number) => Math.round(n).toString().padStart(w);
    console.log(
      `${f(r.servers, 7)}  ${f(r.objects, 7)}  ${f(r.ms.parse, 8)}  ${f(r.ms.render, 9)}  ${f(r.ms.validate, 11)}  ${f(r.ms.crossCheck, 8)}  ${f(r.ms.policyCel, 13)}  ${f(r.ms.environments, 10)}  ${f(r.ms.total, 8)}  ${f(r.peakRssMb, 11)}  ${f(r.problems, 8)}  | ${f(r.ms.emit, 7)}  ${f(r.peakRssWithEmitMb, 15)}`,
    );
  }
}

// Only when run as a script (tests may import syntheticRegistry).
if (import.meta.filename === process.argv[1]) await main();
