/**
 * Renders environment plans for a terminal (text) or a pull-request comment (Markdown). Pure.
 */
import { formatAccessChange } from './access-diff.ts';
import { scopeLine, summaryLine, type EnvironmentPlan } from './diff-objects.ts';
import { formatToolChange } from './tool-diff.ts';

/** The access section: per environment with changes, one line per caller and server gaining or losing access. */
function accessSection(plans: EnvironmentPlan[]): { environment: string; lines: string[] }[] {
  return plans.filter((p) => p.access?.length).map((p) => ({ environment: p.environment, lines: p.access!.map(formatAccessChange) }));
}

/** The tool section: per environment with changes, each tool added, removed or changed, with its warning. */
function toolSection(plans: EnvironmentPlan[]): { environment: string; lines: string[] }[] {
  return plans.filter((p) => p.tools?.length).map((p) => ({ environment: p.environment, lines: p.tools!.flatMap(formatToolChange) }));
}

const TOOL_NOTE = 'what the gateway will serve, from the servers\' tool locks; review every description, and every tool that is not read-only';

/** What the plan compares, for the heading. */
export interface PlanHeader {
  /** The git ref the working tree is compared with, e.g. `origin/main`. */
  ref: string;
  /** Warnings to show above the plans (e.g. a stale `base/`). */
  warnings: string[];
}

/** Hidden marker that lets CI find and update its own earlier comment. */
export const COMMENT_MARKER = '<!-- mcp-gitops-plan -->';

/** GitHub rejects comments over 65,536 characters; stay well below. */
export const MARKDOWN_LIMIT = 60_000;

function indent(text: string, prefix: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** Plain text: summary lines first, then each object's change. */
export function formatText(header: PlanHeader, plans: EnvironmentPlan[]): string {
  const out = [`Plan: ${header.ref} -> working tree`, ...header.warnings.map((w) => `warning: ${w}`), ''];
  out.push(...plans.map(summaryLine), '');
  const scopes = plans.map(scopeLine).filter((line): line is string => line !== undefined);
  if (scopes.length > 0) out.push(...scopes, '');
  const access = accessSection(plans);
  if (access.length > 0) {
    out.push('Access changes (who gains or loses which server or tool; "every ..." is a caller holding none of the roles, scopes and groups named):');
    for (const { environment, lines } of access) out.push(`  ${environment}:`, ...lines.map((l) => `    ${l}`));
    out.push('');
  }
  const tools = toolSection(plans);
  if (tools.length > 0) {
    out.push(`Tool changes (${TOOL_NOTE}):`);
    for (const { environment, lines } of tools) out.push(`  ${environment}:`, ...lines.map((l) => `    ${l}`));
    out.push('');
  }
  for (const plan of plans) {
    if (plan.error || plan.added.length + plan.changed.length + plan.removed.length === 0) continue;
    out.push(`== ${plan.environment} ==`);
    for (const o of plan.added) out.push(`+ added ${o.key}`, indent(o.yaml, '    + '));
    for (const o of plan.changed) out.push(`~ changed ${o.key}`, indent(o.diff, '    '));
    for (const o of plan.removed) out.push(`- removed ${o.key}`, indent(o.yaml, '    - '));
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function fenced(language: string, body: string): string {
  // A longer fence than any backtick run inside keeps the block closed.
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${body.trimEnd()}\n${fence}`;
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function markdownBlocks(plan: EnvironmentPlan): string[] {
  const heading = `### ${summaryLine(plan)}`;
  if (plan.error) return [heading];
  return [
    heading,
    ...plan.added.map((o) => details(`added <code>${o.key}</code>`, fenced('yaml', o.yaml))),
    ...plan.changed.map((o) => details(`changed <code>${o.key}</code>`, fenced('diff', o.diff))),
    ...plan.removed.map((o) => details(`removed <code>${o.key}</code>`, fenced('yaml', o.yaml))),
  ];
}

/** Markdown for a pull-request comment, cut to {@link MARKDOWN_LIMIT} with a note when too long. */
export function formatMarkdown(header: PlanHeader, plans: EnvironmentPlan[]): string {
  const intro = [
    COMMENT_MARKER,
    `## Manifest plan against \`${header.ref}\``,
    ...header.warnings.map((w) => `> **Warning:** ${w}`),
    plans.map((p) => `- ${summaryLine(p)}`).join('\n'),
    ...plans.flatMap((p) => scopeLine(p) ?? []).map((line) => `<sub>${line}</sub>`),
    ...(accessSection(plans).length > 0
      ? ['### Access changes', '_Who gains or loses which server or tool; "every ..." is a caller holding none of the roles, scopes and groups named._', ...accessSection(plans).map(({ environment, lines }) => `**${environment}**\n\n${fenced('diff', lines.join('\n'))}`)]
      : []),
    ...(toolSection(plans).length > 0
      ? ['### Tool changes', `_${TOOL_NOTE[0]!.toUpperCase()}${TOOL_NOTE.slice(1)}._`, ...toolSection(plans).map(({ environment, lines }) => `**${environment}**\n\n${fenced('diff', lines.join('\n'))}`)]
      : []),
  ].join('\n\n');
  const cut = `\n\n_The plan is too long for a comment; the rest is left out. Run \`npm run plan -- ${header.ref}\` locally._`;
  let text = intro;
  for (const block of plans.flatMap(markdownBlocks)) {
    if (text.length + block.length + 2 + cut.length > MARKDOWN_LIMIT) {
      text += cut;
      break;
    }
    text += `\n\n${block}`;
  }
  return `${text}\n`;
}
