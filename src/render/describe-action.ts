// What each action means, as lines of text. The human and Markdown views both use this, so an action
// reads the same everywhere; neither decides anything the planner did not.
import type { Action, ChangeSymbol } from '../plan/types.js';
import { formatFile, formatValue, isLongText } from './format.js';
import { diffLines, withContext } from './text-diff.js';

export type DetailLine = { kind: 'plain' | ' ' | '-' | '+' | '~' | '…'; text: string };

export const SYMBOL: Record<ChangeSymbol, string> = { create: '+', update: '~', delete: '-', replace: '-/+' };

const VERB: Record<ChangeSymbol, string> = {
  create: 'created',
  update: 'updated in place',
  delete: 'destroyed',
  replace: 'replaced',
};

export function headline(action: Action): string {
  switch (action.kind) {
    case 'create-edit':
      return 'a new edit will be created (a copy of the live version)';
    case 'replace-apk':
      return `${action.address} will be replaced (same APK id ${action.apkId}; targeting and DRM kept)`;
    case 'upload-apk':
      return 'unknown' in action.assumed
        ? `${action.address} will be compared by versionCode once the edit exists, and replaced or uploaded if needed`
        : `${action.address} will be uploaded as a new APK`;
    case 'replace-image-list':
    case 'replace-video-list':
      return `${action.address} will be replaced: ${action.reason}`;
    case 'upload-image':
    case 'upload-video':
      return action.overwrites !== undefined
        ? `${action.address} will be overwritten`
        : `${action.address} will get a new ${action.kind === 'upload-video' ? 'video' : 'image'}`;
    case 'delete-image':
    case 'delete-video':
      return `${action.address}: ${action.assetId} will be deleted`;
    default:
      return `${action.address} will be ${VERB[action.change]}`;
  }
}

const unknownNote = (action: Action): DetailLine[] =>
  'unknown' in action.assumed
    ? [{ kind: 'plain', text: '(current values known after the edit is created)' }]
    : [];

function fieldLines(name: string, before: unknown, after: unknown, unknown: boolean): DetailLine[] {
  if (unknown) return [{ kind: '+', text: `${name}: ${formatValue(after)}` }];
  if (isLongText(before) || isLongText(after)) {
    const lines = withContext(diffLines(String(before ?? ''), String(after ?? '')));
    return [
      { kind: '~', text: `${name}:` },
      ...lines.map(
        (l): DetailLine => (l.op === '…' ? { kind: '…', text: '…' } : { kind: l.op, text: `  ${l.text}` }),
      ),
    ];
  }
  return [{ kind: '~', text: `${name}: ${formatValue(before)} → ${formatValue(after)}` }];
}

export function details(action: Action): DetailLine[] {
  const unknown = 'unknown' in action.assumed;
  switch (action.kind) {
    case 'create-edit':
      return [];
    case 'replace-apk':
      return [
        { kind: '~', text: `versionCode: ${action.before.versionCode} → ${action.after.versionCode}` },
        { kind: '+', text: `file: ${formatFile(action.after.file)}` },
      ];
    case 'upload-apk':
      return [
        ...unknownNote(action),
        { kind: '+', text: `versionCode: ${action.after.versionCode}` },
        { kind: '+', text: `file: ${formatFile(action.after.file)}` },
        ...(action.targeting
          ? [
              {
                kind: '+' as const,
                text: `targeting: include ${formatValue(action.targeting.include)}, exclude ${formatValue(action.targeting.exclude)}`,
              },
            ]
          : []),
      ];
    case 'delete-apk':
      return [{ kind: '-', text: `versionCode: ${action.before.versionCode} (id ${action.apkId})` }];
    case 'update-targeting': {
      const added = action.diff.after.filter((id) => !action.diff.before.includes(id));
      const removed = action.diff.before.filter((id) => !action.diff.after.includes(id));
      const name = (id: string) =>
        [...action.body.amazonDevices, ...action.body.nonAmazonDevices].find((d) => d.id === id)?.name ?? id;
      return [
        ...removed.map((id): DetailLine => ({ kind: '-', text: `${name(id)} (${id})` })),
        ...added.map((id): DetailLine => ({ kind: '+', text: `${name(id)} (${id})` })),
      ];
    }
    case 'put-listing':
      return [
        ...unknownNote(action),
        ...Object.entries(action.fields).flatMap(([field, change]) =>
          change ? fieldLines(field, change.before, change.after, unknown || action.change === 'create') : [],
        ),
      ];
    case 'delete-listing':
      return [{ kind: '-', text: `title: ${formatValue(action.before.title)}` }];
    case 'put-details':
      return [
        ...unknownNote(action),
        ...Object.entries(action.fields).flatMap(([field, change]) =>
          change ? fieldLines(field, change.before, change.after, unknown) : [],
        ),
      ];
    case 'put-availability':
      return [
        ...unknownNote(action),
        ...fieldLines('publishingDate', describeDate(action.before), describeDate(action.body), unknown),
      ];
    case 'upload-image':
    case 'upload-video':
      return [
        ...(action.overwrites !== undefined ? [{ kind: '-' as const, text: action.overwrites }] : []),
        { kind: '+', text: formatFile(action.file) },
      ];
    case 'delete-image':
    case 'delete-video':
      return [{ kind: '-', text: action.assetId }];
    case 'replace-image-list':
    case 'replace-video-list':
      return [
        ...unknownNote(action),
        ...action.before.map((id): DetailLine => ({ kind: '-', text: id })),
        ...action.after.map((file): DetailLine => ({ kind: '+', text: formatFile(file) })),
      ];
  }
}

function describeDate(availability: {
  publishingDate?: { dateTime: string; zoneId: string };
}): string | null {
  const date = availability.publishingDate;
  return date === undefined ? null : `${date.dateTime} ${date.zoneId}`;
}

/** Display order (cloudformation-diff): deletions first, then the execution order. */
export function displayOrder(actions: Action[]): Action[] {
  return [...actions.filter((a) => a.change === 'delete'), ...actions.filter((a) => a.change !== 'delete')];
}

/** One block per address: several uploads or deletes on one list read as one change. */
export interface Block {
  address: string;
  change: ChangeSymbol;
  headline: string;
  lines: DetailLine[];
  actions: Action[];
}

export function blocks(actions: Action[]): Block[] {
  const out: Block[] = [];
  for (const action of displayOrder(actions)) {
    const last = out.at(-1);
    if (last !== undefined && last.address === action.address) {
      last.actions.push(action);
      last.lines.push(...details(action));
      if (last.change !== action.change) last.change = 'update';
      last.headline = groupHeadline(last.actions);
    } else {
      out.push({
        address: action.address,
        change: action.change,
        headline: headline(action),
        lines: details(action),
        actions: [action],
      });
    }
  }
  return out;
}

function groupHeadline(actions: Action[]): string {
  const address = actions[0]!.address;
  const uploads = actions.filter((a) => a.kind === 'upload-image' || a.kind === 'upload-video').length;
  const deletes = actions.filter((a) => a.kind === 'delete-image' || a.kind === 'delete-video').length;
  const noun = (n: number) => `${n} ${address.endsWith('.videos') ? 'video' : 'image'}${n === 1 ? '' : 's'}`;
  const parts = [
    uploads > 0 ? `${noun(uploads)} added` : '',
    deletes > 0 ? `${noun(deletes)} deleted` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `${address}: ${parts.join(', ')}` : `${address}: ${actions.length} changes`;
}
