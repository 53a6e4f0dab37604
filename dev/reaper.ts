/**
 * The dev stack's safety net: a small watchdog process that outlives `npm run dev` only to stop what it
 * started. The stack tells it each child's pid on its stdin (`+<pid>`, `-<pid>` when one exits on its own); when
 * that pipe closes without `done` (the dev process was killed, however), it sends SIGTERM to every pid still
 * listed, SIGKILL after 5 s, and exits. Started detached, so a signal to the stack's process group (Ctrl-C) does not
 * reach it first.
 *
 * Usage (by processes.ts only): node dev/reaper.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';

const pids = new Set<number>();
let done = false;
let buffer = '';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffer += chunk;
  let end: number;
  while ((end = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, end).trim();
    buffer = buffer.slice(end + 1);
    if (line === 'done') done = true;
    else if (/^[+-]\d+$/.test(line)) (line[0] === '+' ? pids.add.bind(pids) : pids.delete.bind(pids))(Number(line.slice(1)));
  }
});
process.stdin.on('end', async () => {
  if (done) process.exit(0);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 5_000 && [...pids].some(alive); waited += 100) await sleep(100);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  process.exit(0);
});
// A terminal's Ctrl-C or hang-up is for the stack, which then closes the pipe; the reaper does its work after.
for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);
