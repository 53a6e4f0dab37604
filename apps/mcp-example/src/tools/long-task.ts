/** long_task: a slow tool that reports progress and stops when the request is cancelled. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import type { TaskEvent } from '../config.ts';

/** Step callback: returns after reporting, may throw to stop. */
export type StepReporter = (step: number, total: number) => Promise<void>;

/**
 * Runs `steps` steps of `stepMs` each, reporting after every step. Resolves with the number of
 * steps done; stops at the next step boundary (or mid-wait) when `signal` aborts.
 */
export async function runSteps(
  steps: number,
  stepMs: number,
  signal: AbortSignal,
  report: StepReporter,
): Promise<{ done: number; cancelled: boolean }> {
  for (let step = 1; step <= steps; step += 1) {
    try {
      await sleep(stepMs, undefined, { signal });
    } catch {
      return { done: step - 1, cancelled: true };
    }
    if (signal.aborted) return { done: step - 1, cancelled: true };
    await report(step, steps);
  }
  return { done: steps, cancelled: false };
}

let nextRunId = 1;

/** Registers long_task. */
export function registerLongTask(server: McpServer, defaultStepMs: number, onTaskEvent?: (event: TaskEvent) => void): void {
  server.registerTool(
    'long_task',
    {
      title: 'Long-running task',
      description:
        'Works for `steps` steps, sending a progress notification after each when the request has a progress token. Cancelling the request stops it.',
      inputSchema: z.object({
        steps: z.number().int().min(1).max(100).default(5).describe('Number of steps (1-100)'),
        stepMs: z.number().int().min(0).max(10_000).optional().describe('Pause per step in milliseconds'),
      }),
      annotations: { title: 'Long-running task', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ steps, stepMs }, ctx) => {
      const runId = nextRunId++;
      const progressToken = ctx.mcpReq._meta?.progressToken;
      onTaskEvent?.({ type: 'started', runId, steps });
      const result = await runSteps(steps, stepMs ?? defaultStepMs, ctx.mcpReq.signal, async (step, total) => {
        onTaskEvent?.({ type: 'step', runId, step });
        if (progressToken === undefined) return;
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken, progress: step, total, message: `step ${step} of ${total}` },
        });
      });
      if (result.cancelled) {
        onTaskEvent?.({ type: 'cancelled', runId, step: result.done });
        return { isError: true, content: [{ type: 'text', text: `Cancelled after ${result.done} of ${steps} steps` }] };
      }
      onTaskEvent?.({ type: 'completed', runId, steps });
      return { content: [{ type: 'text', text: `Completed ${steps} steps` }] };
    },
  );
}
