import type { Plan } from '../plan/types.js';
import { blocks, type DetailLine, SYMBOL } from './describe-action.js';

export interface HumanOptions {
  color: boolean;
}

const CODES = { green: 32, yellow: 33, red: 31, magenta: 35, dim: 2, bold: 1 } as const;
type Paint = (style: keyof typeof CODES, text: string) => string;

function painter(color: boolean): Paint {
  return (style, text) => (color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
}

const LINE_STYLE: Record<DetailLine['kind'], keyof typeof CODES | undefined> = {
  plain: 'dim',
  ' ': 'dim',
  '…': 'dim',
  '-': 'red',
  '+': 'green',
  '~': 'yellow',
};

export function renderPlanHuman(plan: Plan, options: HumanOptions): string {
  const paint = painter(options.color);
  const out: string[] = [];
  const where =
    plan.edit !== null
      ? `edit ${plan.edit.id}`
      : plan.source === 'previous-edit'
        ? 'the live version (read through the previous edit; no edit is open)'
        : 'no open edit';
  out.push(`App ${plan.appId}, ${where}`, '');

  if (plan.actions.length === 0) {
    out.push(...renderNotes(plan, paint));
    out.push(paint('green', 'No changes. The store listing matches the manifest.'), '');
    return out.join('\n');
  }
  out.push('appstore-release will perform these actions:', '');
  for (const block of blocks(plan.actions)) {
    const symbol = SYMBOL[block.change];
    const style =
      block.change === 'create'
        ? 'green'
        : block.change === 'delete'
          ? 'red'
          : block.change === 'replace'
            ? 'magenta'
            : 'yellow';
    out.push(`  ${paint('dim', `# ${block.headline}`)}`);
    out.push(`  ${paint(style, symbol)} ${paint('bold', block.address)}`);
    for (const line of block.lines) {
      const marker = line.kind === 'plain' || line.kind === '…' ? ' ' : line.kind;
      const text = line.kind === '…' ? '…' : line.text;
      const lineStyle = LINE_STYLE[line.kind];
      const rendered = `      ${marker} ${text}`.trimEnd();
      out.push(lineStyle ? paint(lineStyle, rendered) : rendered);
    }
    out.push('');
  }
  out.push(...renderNotes(plan, paint));
  const { add, change, destroy } = plan.summary;
  out.push(`${paint('bold', 'Plan:')} ${add} to add, ${change} to change, ${destroy} to destroy.`, '');
  return out.join('\n');
}

function renderNotes(plan: Plan, paint: Paint): string[] {
  if (plan.notes.length === 0) return [];
  return ['Notes:', ...plan.notes.map((n) => paint('dim', `  - ${n.message}`)), ''];
}
