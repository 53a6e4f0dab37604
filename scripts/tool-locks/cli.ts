/**
 * `npm run tools:lock` and `npm run tools:check`: write and check the tool locks beside servers.json.
 *
 *   npm run tools:lock [-- <server>...]                    lock the servers built from apps/ (all of them by default)
 *   npm run tools:lock -- <server> --url <url> [--token-env VAR]   lock a server from a running instance
 *   npm run tools:lock -- <server> --by-hand               compute the digests of a lock written by hand
 *   npm run tools:check [-- <server>...]                   compare the servers built from apps/ with their locks (CI)
 *   npm run tools:check -- <server> --url <url> [--token-env VAR]  compare a running instance with its lock (drift)
 *   --root <dir>: the repository (default this one); --host <name>: the Host header to send with --url (a server's
 *   Host check admits its Service's names: through `kubectl port-forward`, give `<server>-service`)
 *
 * A server built from apps/ is started as its image runs it and asked by the official MCP client in both protocol
 * eras. `--token-env VAR` sends `Authorization: Bearer $VAR` (the token stays out of the command line and the lock).
 * Exit codes: 0 written / matches; 1 a difference, a server that failed, or a bad registry; 2 bad arguments.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkApp, checkUrl, loadLockContext, lockByHand, lockFromApp, lockFromUrl, notFromApps, splitByApps, type Outcome } from './locks.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const USAGE = `usage: npm run tools:lock [-- <server>... | <server> --url <url> [--token-env VAR] [--host <name>] | <server> --by-hand] [--root <dir>]
       npm run tools:check [-- <server>... | <server> --url <url> [--token-env VAR] [--host <name>]] [--root <dir>]`;

class UsageError extends Error {}

function headersFrom(tokenEnv: string | undefined): Record<string, string> {
  if (tokenEnv === undefined) return {};
  const token = process.env[tokenEnv];
  if (!token) throw new UsageError(`--token-env ${tokenEnv}: the variable is not set`);
  return { authorization: `Bearer ${token}` };
}

function urlFrom(text: string): URL {
  try {
    const url = new URL(text);
    if (url.username || url.password) throw new UsageError('--url: no credentials in the URL; pass a bearer token with --token-env VAR');
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch (error) {
    if (error instanceof UsageError) throw error;
  }
  throw new UsageError(`--url ${text}: not an http(s) URL of an MCP endpoint`);
}

async function run(mode: 'lock' | 'check', argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, 'token-env': { type: 'string' }, host: { type: 'string' }, 'by-hand': { type: 'boolean' }, root: { type: 'string' } },
  });
  const single = values.url !== undefined || values['by-hand'] === true;
  if (single && positionals.length !== 1) throw new UsageError(`--url and --by-hand take exactly one server`);
  if (values['by-hand'] && (mode === 'check' || values.url !== undefined)) throw new UsageError('--by-hand is for tools:lock, without --url');
  if ((values.host !== undefined || values['token-env'] !== undefined) && values.url === undefined) throw new UsageError('--host and --token-env go with --url');
  if (values.host !== undefined && !/^[a-z0-9.-]+(:\d+)?$/i.test(values.host)) throw new UsageError(`--host ${values.host}: not a host name`);
  const context = loadLockContext(resolve(values.root ?? REPO_ROOT));
  const outcomes: Outcome[] = [];
  const settle = async (name: string, work: () => Promise<Outcome> | Outcome) => {
    try {
      outcomes.push(await work());
    } catch (error) {
      outcomes.push({ server: name, ok: false, lines: [`${name}: ${error instanceof Error ? error.message : String(error)}`] });
    }
    for (const line of outcomes.at(-1)!.lines) out(line);
  };
  if (single) {
    const [name] = positionals as [string];
    if (values['by-hand']) await settle(name, () => lockByHand(context, name));
    else {
      const url = urlFrom(values.url!);
      const reach = { headers: headersFrom(values['token-env']), ...(values.host !== undefined && { host: values.host }) };
      await settle(name, () => (mode === 'lock' ? lockFromUrl(context, name, url, reach) : checkUrl(context, name, url, reach)));
    }
  } else {
    const { fromApps, others } = splitByApps(context, positionals);
    // One server at a time: each is bundled and started, and the machine is shared.
    for (const name of fromApps) await settle(name, () => (mode === 'lock' ? lockFromApp(context, name) : checkApp(context, name)));
    for (const name of others) await settle(name, () => notFromApps(context, name));
  }
  if (outcomes.some((o) => o.written)) out('next: npm run generate, then commit tool-locks/ with base/ (the plan of the pull request lists the tool changes for review)');
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [mode, ...rest] = argv;
  if (mode !== 'lock' && mode !== 'check') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    return await run(mode, rest, (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`tools:${mode}: ${error instanceof Error ? error.message : String(error)}\n${usage ? `${USAGE}\n` : ''}`);
    return usage ? 2 : 1;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
