/** Settings of mcp-example (the runtime's own settings are read by the runtime). */

/** Something that happened to a long_task run (tests observe the server side through it). */
export type TaskEvent =
  | { type: 'started'; runId: number; steps: number }
  | { type: 'step'; runId: number; step: number }
  | { type: 'completed'; runId: number; steps: number }
  | { type: 'cancelled'; runId: number; step: number };

/** mcp-example settings. */
export interface ExampleConfig {
  /** EXAMPLE_STEP_MS: default pause between long_task steps, in milliseconds. */
  stepMs: number;
  /** EXAMPLE_CONFORMANCE_FIXTURES: also register the fixtures the conformance suite expects. */
  conformanceFixtures: boolean;
  /** Observer of long_task runs (in-process tests and the dev stack); not read from the environment. */
  onTaskEvent?: (event: TaskEvent) => void;
}

/** Defaults used by createApp() without arguments. */
export const DEFAULT_EXAMPLE_CONFIG: ExampleConfig = { stepMs: 500, conformanceFixtures: false };

/** Reads EXAMPLE_STEP_MS and EXAMPLE_CONFORMANCE_FIXTURES; throws with the variable's name on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const rawStep = env.EXAMPLE_STEP_MS?.trim();
  let stepMs = DEFAULT_EXAMPLE_CONFIG.stepMs;
  if (rawStep !== undefined && rawStep !== '') {
    if (!/^\d+$/.test(rawStep) || Number(rawStep) > 60_000) {
      throw new Error(`EXAMPLE_STEP_MS must be a whole number of milliseconds up to 60000, got "${rawStep}"`);
    }
    stepMs = Number(rawStep);
  }
  const rawFixtures = env.EXAMPLE_CONFORMANCE_FIXTURES?.trim().toLowerCase();
  if (rawFixtures !== undefined && rawFixtures !== '' && rawFixtures !== 'true' && rawFixtures !== 'false') {
    throw new Error(`EXAMPLE_CONFORMANCE_FIXTURES must be true or false, got "${rawFixtures}"`);
  }
  return { stepMs, conformanceFixtures: rawFixtures === 'true' };
}
