/**
 * Refreshes the agentgateway CRD schemas the generators validate against, for another agentgateway release:
 * fetches AgentgatewayBackend, AgentgatewayPolicy and AgentgatewayParameters from the release's tagged source (the
 * `agentgateway-crds` chart's templates), checks that each is a plain CustomResourceDefinition of that kind with a
 * served schema, and writes them with a README (source, version, licence, checksums) to
 * `generators/crds/agentgateway-<version>/`, replacing that folder only once everything is in hand.
 *
 * Usage: node scripts/refresh-crds.ts <version> [--from <dir>] [--source <url>]
 *   <version>  a release tag, e.g. v1.4.1
 *   --from     read the files from a folder instead (the chart pulled elsewhere:
 *              helm pull oci://cr.agentgateway.dev/charts/agentgateway-crds --version <version> --untar; use its templates/)
 *   --source   base URL of the templates folder (default: the tagged source on GitHub; tests point it at loopback)
 * Exit codes: 0 written, 1 the files could not be fetched or are not the CRDs expected, 2 bad arguments.
 * Afterwards: set AGENTGATEWAY_CRDS_VERSION (generators/src/validate/crd.ts) and servers.json's
 * controlPlane.agentgatewayVersion to the new version, run npm run generate and npm test.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';

const REPO_ROOT = resolve(import.meta.dirname, '..');

/** The CRDs of the kinds the generators render, by file name in the chart's templates folder. */
export const CRD_FILES: Readonly<Record<string, string>> = {
  'agentgateway.dev_agentgatewaybackends.yaml': 'AgentgatewayBackend',
  'agentgateway.dev_agentgatewayparameters.yaml': 'AgentgatewayParameters',
  'agentgateway.dev_agentgatewaypolicies.yaml': 'AgentgatewayPolicy',
};

/** Where the chart's templates of a tag live in the upstream repository. */
export const upstreamTemplates = (version: string): string =>
  `https://raw.githubusercontent.com/agentgateway/agentgateway/${version}/controller/install/helm/agentgateway-crds/templates/`;

/** A refresh that cannot complete; the message says what failed and what to do. */
export class RefreshError extends Error {
  /** 2 for a bad argument, 1 otherwise. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'RefreshError';
    this.exitCode = exitCode;
  }
}

/** Checks that `text` is one plain CustomResourceDefinition of `kind` in agentgateway.dev with a served schema. */
export function checkCrd(file: string, text: string, kind: string): void {
  if (text.includes('{{')) throw new RefreshError(`${file}: contains Helm template syntax; use the chart's rendered templates or the tagged source`);
  const docs = parseAllDocuments(text).filter((doc) => doc.contents !== null);
  if (docs.length !== 1) throw new RefreshError(`${file}: expected one YAML document, found ${docs.length}`);
  const [doc] = docs;
  if (doc!.errors.length > 0) throw new RefreshError(`${file}: not valid YAML: ${doc!.errors[0]!.message}`);
  const crd = doc!.toJS() as { kind?: string; spec?: { group?: string; names?: { kind?: string }; versions?: Array<{ served?: boolean; schema?: { openAPIV3Schema?: unknown } }> } };
  if (crd.kind !== 'CustomResourceDefinition') throw new RefreshError(`${file}: expected a CustomResourceDefinition, found kind ${String(crd.kind)}`);
  if (crd.spec?.group !== 'agentgateway.dev' || crd.spec.names?.kind !== kind) {
    throw new RefreshError(`${file}: expected ${kind} in agentgateway.dev, found ${String(crd.spec?.names?.kind)} in ${String(crd.spec?.group)}`);
  }
  if (!crd.spec.versions?.some((version) => version.served === true && version.schema?.openAPIV3Schema !== undefined)) {
    throw new RefreshError(`${file}: no served version with an openAPIV3Schema`);
  }
}

/** Reads every CRD file from a folder or a base URL. */
async function collect(version: string, from: string | undefined, source: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const file of Object.keys(CRD_FILES)) {
    if (from !== undefined) {
      try {
        files.set(file, await readFile(join(from, file), 'utf8'));
      } catch (error) {
        throw new RefreshError(`cannot read ${join(from, file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      continue;
    }
    const url = new URL(file, source);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new RefreshError(
        `cannot download ${url} (${reason}). Without internet access, pull the chart where there is some ` +
          `(helm pull oci://cr.agentgateway.dev/charts/agentgateway-crds --version ${version} --untar) and run ` +
          `node scripts/refresh-crds.ts ${version} --from <chart>/templates`,
      );
    }
    if (!response.ok) throw new RefreshError(`cannot download ${url}: HTTP ${response.status} (is ${version} a released tag?)`);
    files.set(file, await response.text());
  }
  for (const [file, text] of files) checkCrd(file, text, CRD_FILES[file]!);
  return files;
}

/** The README written beside the files. */
export function crdReadme(version: string, origin: string, files: Map<string, string>): string {
  const sums = [...files].map(([file, text]) => `| \`${file}\` | ${CRD_FILES[file]} | \`${createHash('sha256').update(text).digest('hex')}\` |`);
  return [
    `# agentgateway ${version} CRD schemas`,
    '',
    `The CustomResourceDefinitions of agentgateway ${version} for the kinds the generators render, as published in the`,
    "`agentgateway-crds` Helm chart (upstream: github.com/agentgateway/agentgateway,",
    `\`controller/install/helm/agentgateway-crds/templates/\` at tag ${version}). The generators validate every rendered`,
    'object of these kinds against them (generators/src/validate/crd.ts), CEL rules included.',
    '',
    `Source of this copy: ${origin}. Licence: Apache-2.0 (the agentgateway project's). Not edited here: refresh them`,
    'with `node scripts/refresh-crds.ts <version>` (see scripts/README.md).',
    '',
    '| file | kind | sha256 |',
    '|---|---|---|',
    ...sums,
    '',
  ].join('\n');
}

/** Fetches, checks and writes the CRDs of `version`; returns the folder written. */
export async function refreshCrds(options: { version: string; from?: string; source?: string; root?: string }): Promise<string> {
  const { version } = options;
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new RefreshError(`"${version}" is not a release tag like v1.4.1`, 2);
  const source = options.source ?? upstreamTemplates(version);
  const files = await collect(version, options.from, source);
  const parent = join(options.root ?? REPO_ROOT, 'generators', 'crds');
  const target = join(parent, `agentgateway-${version}`);
  const staging = `${target}.refresh-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  for (const [file, text] of files) await writeFile(join(staging, file), text);
  await writeFile(join(staging, 'README.md'), crdReadme(version, options.from !== undefined ? `the folder ${options.from}` : source, files));
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  return target;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { from: { type: 'string' }, source: { type: 'string' } } });
  } catch (error) {
    process.stderr.write(`refresh-crds: ${(error as Error).message}\n`);
    return 2;
  }
  const [version, ...extra] = parsed.positionals;
  if (version === undefined || extra.length > 0) {
    process.stderr.write('usage: node scripts/refresh-crds.ts <version> [--from <dir>] [--source <url>]\n');
    return 2;
  }
  try {
    const target = await refreshCrds({ version, ...(parsed.values.from !== undefined && { from: resolve(parsed.values.from) }), ...(parsed.values.source !== undefined && { source: parsed.values.source }) });
    process.stdout.write(`refresh-crds: wrote ${target}\nnext: set AGENTGATEWAY_CRDS_VERSION in generators/src/validate/crd.ts and controlPlane.agentgatewayVersion in servers.json to ${version}, then npm run generate && npm test\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof RefreshError)) throw error;
    process.stderr.write(`refresh-crds: ${error.message}\n`);
    return error.exitCode;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
