// A compact view for pull-request comments: a summary table, then the details in collapsible blocks.
import type { Action, Plan } from '../plan/types.js';
import { details, displayOrder, headline, SYMBOL } from './describe-action.js';

function group(action: Action): string {
  if ('locale' in action) return `listing ${action.locale}`;
  if (action.address.startsWith('apk.')) return 'APKs';
  return action.address;
}

export function renderPlanMarkdown(plan: Plan): string {
  const { add, change, destroy } = plan.summary;
  const out: string[] = ['### appstore-release plan', ''];
  out.push(`App \`${plan.appId}\`${plan.edit ? `, edit \`${plan.edit.id}\`` : ', no open edit'}`, '');
  if (plan.actions.length === 0) {
    out.push('**No changes.** The store listing matches the manifest.', '');
  } else {
    out.push(`**Plan:** ${add} to add, ${change} to change, ${destroy} to destroy.`, '');
    out.push('| | Address | Action |', '|---|---|---|');
    const ordered = displayOrder(plan.actions);
    for (const action of ordered) {
      out.push(`| \`${SYMBOL[action.change]}\` | \`${action.address}\` | ${escapeCell(headline(action))} |`);
    }
    out.push('');
    const groups = new Map<string, Action[]>();
    for (const action of ordered) groups.set(group(action), [...(groups.get(group(action)) ?? []), action]);
    for (const [name, actions] of groups) {
      const body = actions.flatMap((action) => [
        `${SYMBOL[action.change]} ${action.address}`,
        ...details(action).map((line) =>
          `    ${line.kind === 'plain' ? ' ' : line.kind} ${line.text}`.trimEnd(),
        ),
      ]);
      out.push(
        `<details><summary>${escapeHtml(name)} (${actions.length})</summary>`,
        '',
        '```diff',
        ...body,
        '```',
        '',
        '</details>',
        '',
      );
    }
  }
  if (plan.notes.length > 0) out.push('**Notes**', '', ...plan.notes.map((n) => `- ${n.message}`), '');
  return out.join('\n');
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
