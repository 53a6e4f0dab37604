/**
 * .github/workflows/ci.yml runs the README's commands, the drift check and the plan, with the least
 * permissions. GitHub Actions cannot run here, so this checks the workflow's structure.
 */
import { describe, expect, it } from 'vitest';
import { get, readYaml } from './helpers.ts';

const workflow = readYaml('.github/workflows/ci.yml')[0] as Record<string, unknown>;
const steps = (job: string) => get(workflow, 'jobs', job, 'steps') as Array<{ run?: string; uses?: string; if?: string }>;
const commands = (job: string) => steps(job).flatMap((s) => (s.run ? [s.run.trim()] : []));

describe('ci.yml', () => {
  it('runs on pushes and pull requests', () => {
    expect(Object.keys(get(workflow, 'on') as object).sort()).toEqual(['pull_request', 'push']);
  });

  it('test job: setup, drift checks, then the tests, in that order', () => {
    const run = commands('test');
    const at = (command: string) => run.findIndex((r) => r.startsWith(command));
    expect(at('npm run setup')).toBeGreaterThanOrEqual(0);
    expect(at('npm run setup')).toBeLessThan(at('npm run generate -- --check'));
    expect(at('npm run generate -- --check')).toBeLessThan(at('npm run validate'));
    expect(at('npm run validate')).toBeLessThan(at('npm test'));
    expect(run.some((r) => r.includes('git status --porcelain -- base docs'))).toBe(true);
  });

  it('needs nothing beside the checkout (the CRD schemas are in the repository)', () => {
    const text = JSON.stringify(workflow);
    expect(text).not.toMatch(/AGENTGATEWAY_CRDS_DIR|shared\/crds|helm pull/);
  });

  it('plan job: only on pull requests, against the base branch, posting Markdown', () => {
    expect(get(workflow, 'jobs', 'plan', 'if')).toBe("github.event_name == 'pull_request'");
    expect(commands('plan')).toContain('npm run plan -- "origin/${{ github.base_ref }}" --format markdown --output plan.md');
    expect(steps('plan').some((s) => s.uses?.startsWith('actions/github-script@'))).toBe(true);
    expect(get(workflow, 'jobs', 'plan', 'steps', 0, 'with', 'fetch-depth')).toBe(0);
  });

  it('grants read-only by default and pull-request writes to the plan job only', () => {
    expect(get(workflow, 'permissions')).toEqual({ contents: 'read' });
    expect(get(workflow, 'jobs', 'test', 'permissions')).toBeUndefined();
    expect(get(workflow, 'jobs', 'plan', 'permissions')).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });
});
