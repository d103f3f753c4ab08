// Image and video lists: each upload or delete is guarded by a fresh GET of the list (its ETag goes in
// If-Match), and the state file learns which local bytes produced which id right after each mutation.
import { resolve } from 'node:path';
import type { AssetKind, AssetRef } from '../appstore/types.js';
import type { DeleteAssetAction, FileRef, ReplaceAssetListAction, UploadAssetAction } from '../plan/types.js';
import { ApiError } from '../remote/errors.js';
import type { Versioned } from '../remote/remote-state.js';
import type { ApplyContext } from './context.js';
import { ChangedSincePlanError, guardedWrite } from './guard.js';

type AssetAction = UploadAssetAction | DeleteAssetAction | ReplaceAssetListAction;

const ids = (list: AssetRef[]) => list.map((a) => a.id);

function readList(ctx: ApplyContext, locale: string, kind: AssetKind): Promise<Versioned<AssetRef[]>> {
  return kind === 'videos' ? ctx.api.getVideos(ctx.edit, locale) : ctx.api.getImages(ctx.edit, locale, kind);
}

/** The state file's locale keys use the manifest's spelling (hyphen), whatever the API's keys are. */
function stateKey(locale: string): string {
  return locale.replace('_', '-');
}

/** Records the list as it now stands: known hashes for ids we recorded or uploaded, '' for others. */
async function record(ctx: ApplyContext, action: AssetAction, now: string[], uploaded: Map<string, string>) {
  const key = stateKey(action.locale);
  const previous = ctx.state.assets[key]?.[action.assetKind];
  const known = new Map<string, string>();
  for (const [i, id] of (previous?.ids ?? []).entries()) known.set(id, previous?.sha256[i] ?? '');
  for (const [id, sha] of uploaded) known.set(id, sha);
  ctx.state.assets[key] = {
    ...ctx.state.assets[key],
    [action.assetKind]: { ids: now, sha256: now.map((id) => known.get(id) ?? '') },
  };
  ctx.expectations.set(action.address, now);
  await ctx.saveState();
}

async function upload(ctx: ApplyContext, action: AssetAction, file: FileRef, expected: string | undefined) {
  const path = resolve(ctx.manifest.dir, file.path);
  const send = (etag: string | undefined) => {
    const source = { path, size: file.size };
    const onProgress = (p: { sent: number; total: number }) => ctx.progress(p.sent, p.total);
    return action.assetKind === 'videos'
      ? ctx.api.uploadVideo(ctx.edit, action.locale, source, etag ?? '', onProgress)
      : ctx.api.uploadImage(ctx.edit, action.locale, action.assetKind, source, etag ?? '', onProgress);
  };
  // Set only once the upload request itself goes out: a failed read before it proves nothing landed.
  let before: string[] | undefined;
  try {
    const asset = await guardedWrite({
      address: action.address,
      expected,
      read: () => readList(ctx, action.locale, action.assetKind),
      project: ids,
      write: (etag, current) => {
        before = ids(current);
        return send(etag);
      },
    });
    return after(before ?? [], asset.id, action);
  } catch (error) {
    if (before === undefined) throw error;
    if (!(error instanceof ApiError) || (error.status >= 400 && error.status < 500)) throw error;
    // DESIGN decision 10: the upload may have landed. Look before sending it again.
    const now = ids((await readList(ctx, action.locale, action.assetKind)).value);
    const single = 'overwrites' in action && action.overwrites !== undefined;
    const landed = single
      ? now.length === 1 && now[0] !== before[0]
      : now.length === before.length + 1 && before.every((id, i) => now[i] === id);
    if (landed) return now;
    if (now.join() !== before.join()) throw new ChangedSincePlanError(action.address);
    const retried = await guardedWrite({
      address: action.address,
      expected: undefined,
      read: () => readList(ctx, action.locale, action.assetKind),
      project: ids,
      write: (etag) => send(etag),
    });
    return after(before, retried.id, action);
  }
}

function after(before: string[], newId: string, action: AssetAction): string[] {
  return 'overwrites' in action && action.overwrites !== undefined ? [newId] : [...before, newId];
}

export async function handleAsset(ctx: ApplyContext, action: AssetAction): Promise<void> {
  const expected = () => ctx.expectations.expected(action);
  switch (action.kind) {
    case 'upload-image':
    case 'upload-video': {
      const now = await upload(ctx, action, action.file, expected());
      await record(ctx, action, now, new Map([[now.at(-1)!, action.file.sha256]]));
      return;
    }
    case 'delete-image':
    case 'delete-video': {
      const now = await guardedWrite({
        address: action.address,
        expected: expected(),
        read: () => readList(ctx, action.locale, action.assetKind),
        project: ids,
        write: async (etag, current) => {
          await (action.assetKind === 'videos'
            ? ctx.api.deleteVideo(ctx.edit, action.locale, action.assetId, etag ?? '')
            : ctx.api.deleteImage(ctx.edit, action.locale, action.assetKind, action.assetId, etag ?? ''));
          return ids(current).filter((id) => id !== action.assetId);
        },
        landed: (current) => (ids(current).includes(action.assetId) ? undefined : { result: ids(current) }),
      });
      await record(ctx, action, now, new Map());
      return;
    }
    case 'replace-image-list':
    case 'replace-video-list': {
      // No reorder call exists: delete all, then upload in order (each upload guarded on its own).
      await guardedWrite({
        address: action.address,
        expected: expected(),
        read: () => readList(ctx, action.locale, action.assetKind),
        project: ids,
        write: (etag) =>
          action.assetKind === 'videos'
            ? ctx.api.deleteAllVideos(ctx.edit, action.locale, etag ?? '')
            : ctx.api.deleteAllImages(ctx.edit, action.locale, action.assetKind, etag ?? ''),
        landed: (current) => (current.length === 0 ? { result: undefined } : undefined),
      });
      await record(ctx, action, [], new Map());
      const uploaded = new Map<string, string>();
      let now: string[] = [];
      for (const file of action.after) {
        now = await upload(
          ctx,
          action,
          file,
          ctx.expectations.expected({ address: action.address, assumed: { unknown: true } }),
        );
        uploaded.set(now.at(-1)!, file.sha256);
        await record(ctx, action, now, uploaded);
      }
      return;
    }
  }
}
