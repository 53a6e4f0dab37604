/**
 * A server of servers.json whose source is in apps/, started as its image runs it (image-run.ts) with the
 * environment its workload renders (the generator's `serverEnv`), on loopback: `PORT` (and `METRICS_PORT`) 0, `HOST`
 * and `MCP_ALLOWED_HOSTS` 127.0.0.1, each mounted Secret key a placeholder file (no tool reads one while listing), and
 * `MCP_TOOL_LOCK_FILE` the lock to check against, or none while a lock is being written.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverEnv, type RegistryEntries, type ServerEntry } from '../../generators/src/index.ts';
import { imageApp } from '../image-env.ts';
import { layoutImageFiles, startImage, stopImage, type StartedImage } from '../image-run.ts';

/** The folder of apps/ (under `root`) the server's image is built from, when its source is there. */
export function appOfServer(root: string, server: Pick<ServerEntry, 'image'>): string | undefined {
  const app = imageApp(server.image);
  return app !== undefined && existsSync(join(root, 'apps', app, 'src', 'index.ts')) ? app : undefined;
}

/** What a Secret key holds while the tools are listed: nothing a tool could use. */
const PLACEHOLDER = 'placeholder-for-npm-run-tools-lock\n';

export interface RunningServer {
  app: string;
  /** The MCP endpoint. */
  url: URL;
  started: StartedImage;
  /** Stops the process and removes its folder; the exit code (0 after a clean SIGTERM). */
  stop(): Promise<number | null>;
}

/** Builds `app`'s image files and starts them as `server`'s workload would run them. */
export async function startServerImage(root: string, registry: Pick<RegistryEntries, 'namespace' | 'monitoring'>, server: ServerEntry, app: string, lockFile?: string): Promise<RunningServer> {
  const { namespace, monitoring: { metricsPort } } = registry;
  const scratch = await mkdtemp(join(tmpdir(), `tools-lock-${server.name}-`));
  try {
    const files = await layoutImageFiles(app, join(scratch, 'image'), { root });
    const env = Object.fromEntries(serverEnv(server, namespace, metricsPort).map(({ name, value }) => [name, value]));
    for (const [index, mount] of server.secretMounts.entries()) {
      const dir = join(scratch, 'secrets', String(index));
      await mkdir(dir, { recursive: true });
      for (const [variable, key] of Object.entries(mount.env)) {
        await writeFile(join(dir, key), PLACEHOLDER);
        env[variable] = join(dir, key);
      }
    }
    delete env.MCP_TOOL_LOCK_FILE;
    if (lockFile !== undefined) env.MCP_TOOL_LOCK_FILE = lockFile;
    // Side by side with other servers on one machine: any free port for the metrics too.
    const started = await startImage(files, { ...env, HOST: '127.0.0.1', PORT: '0', ...('METRICS_PORT' in env && { METRICS_PORT: '0' }), MCP_ALLOWED_HOSTS: '127.0.0.1' });
    return {
      app,
      url: new URL(`${started.baseUrl}${server.path}`),
      started,
      async stop() {
        const { code } = await stopImage(started);
        await rm(scratch, { recursive: true, force: true });
        return code;
      },
    };
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
}
