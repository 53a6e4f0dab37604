/**
 * Runs an Argo CD health script with Debian's lua5.1, the way Argo CD's controller runs it (gitops-engine's Lua VM
 * is gopher-lua, Lua 5.1): the live object as the global table `obj` (JSON objects as tables with string keys,
 * arrays as sequences from 1, null as nil), the script run as a chunk, its returned table's `status` and `message`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `lua5.1`, or a message saying how to install it. */
export const LUA = process.env.LUA ?? 'lua5.1';

export function luaAvailable(): boolean {
  try {
    execFileSync(LUA, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A Lua string literal of any text (bytes above 0x7e and controls escaped as \ddd). */
function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte}`;
  }
  return `${out}"`;
}

/** A JSON value as a Lua expression. */
export function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return luaString(value);
  if (Array.isArray(value)) return `{${value.map(toLua).join(', ')}}`;
  const fields = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
  return `{${fields.map(([k, v]) => `[${luaString(k)}] = ${toLua(v)}`).join(', ')}}`;
}

const DRIVER = `
obj = dofile(arg[1])
local hs = dofile(arg[2])
if type(hs) ~= "table" then error("the script returned " .. type(hs) .. ", not a table") end
io.write(tostring(hs.status), "\\0", tostring(hs.message))
`;

/** The `{status, message}` a health script returns for `object`. */
export function runHealthScript(script: string, object: unknown): { status: string; message: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lua-health-'));
  try {
    writeFileSync(join(dir, 'obj.lua'), `return ${toLua(object)}\n`);
    writeFileSync(join(dir, 'driver.lua'), DRIVER);
    const out = execFileSync(LUA, [join(dir, 'driver.lua'), join(dir, 'obj.lua'), script], { encoding: 'utf8' });
    const [status, message] = out.split('\0');
    return { status: status!, message: message! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
