/**
 * Runs a command and measures it: wall time and the peak resident memory of its whole process tree (the command
 * and every process it starts, such as the kustomize runs of the plan), sampled from /proc every 20 ms. Linux only;
 * elsewhere the peak is reported as undefined.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One measured run. */
export interface Measurement {
  ms: number;
  /** Peak of the sum of the tree's resident memory, in MB (undefined without /proc). */
  peakRssMb: number | undefined;
  code: number;
  stdout: string;
  stderr: string;
}

const PAGE = 4096;

/** The resident bytes of `root` and all its descendants right now. */
function treeRss(root: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses; the fields after its last ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE;
    } catch {
      // Gone already.
    }
    pending.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Runs `command` with `args` to its end, measuring it. Never throws for a non-zero exit: see `code`. */
export function measure(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let peak: number | undefined;
    const sample = () => {
      const rss = child.pid ? treeRss(child.pid) : undefined;
      if (rss !== undefined) peak = Math.max(peak ?? 0, rss);
    };
    const timer = setInterval(sample, 20);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - start, peakRssMb: peak === undefined ? undefined : peak / 1024 / 1024, code: code ?? 1, stdout, stderr });
    });
    sample();
  });
}
