// A compact view for pull-request comments: a summary table, then the details in collapsible blocks.
import type { Action, Plan } from '../plan/types.js';
import { type Block, blocks, SYMBOL } from './describe-action.js';

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
    const all = blocks(plan.actions);
    for (const block of all) {
      out.push(`| \`${SYMBOL[block.change]}\` | \`${block.address}\` | ${escapeCell(block.headline)} |`);
    }
    out.push('');
    const groups = new Map<string, Block[]>();
    for (const block of all) {
      const name = group(block.actions[0]!);
      groups.set(name, [...(groups.get(name) ?? []), block]);
    }
    for (const [name, members] of groups) {
      // A diff block: '-' and '+' lines colour in GitHub's renderer; other markers are indented.
      const body = members.flatMap((block) => [
        `${SYMBOL[block.change]} ${block.address}`,
        ...block.lines.map((line) =>
          `${line.kind === '-' || line.kind === '+' ? line.kind : ' '}     ${line.kind === '~' ? `~ ${line.text}` : line.text}`.trimEnd(),
        ),
      ]);
      out.push(
        `<details><summary>${escapeHtml(name)} (${members.length})</summary>`,
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
