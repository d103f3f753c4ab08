// Images and videos are opaque remotely (ids only, no hash, no download), so the state file says which
// local bytes produced which ids (DESIGN decision 7). A list is unchanged only when the remote ids are
// the recorded ids and the recorded hashes are the local ones.
import { IMAGE_SPECS } from '../appstore/rules.js';
import type { AssetKind, AssetRef } from '../appstore/types.js';
import { fingerprint } from '../fingerprint/fingerprint.js';
import type { LocalFile, ManifestListing } from '../manifest/types.js';
import type { RemoteListing } from '../remote/remote-state.js';
import type { RecordedAssetList, StateFile } from '../state-file/types.js';
import { address } from './addresses.js';
import { fileRef } from './plan-apks.js';
import { findRemoteListing } from './plan-listings.js';
import type { Action } from './types.js';

export interface AssetPlan {
  actions: Action[];
  basis: Record<string, string>;
}

export function managedAssetLists(listing: ManifestListing): { kind: AssetKind; files: LocalFile[] }[] {
  const lists: { kind: AssetKind; files: LocalFile[] }[] = Object.entries(listing.images).map(
    ([kind, files]) => ({
      kind: kind as AssetKind,
      files: files ?? [],
    }),
  );
  if (listing.videos !== undefined) lists.push({ kind: 'videos', files: listing.videos });
  return lists;
}

export function planAssets(
  local: ManifestListing[],
  remote: Record<string, RemoteListing>,
  state: StateFile | undefined,
): AssetPlan {
  const out: AssetPlan = { actions: [], basis: {} };
  for (const listing of local) {
    const found = findRemoteListing(remote, listing.locale);
    for (const { kind, files } of managedAssetLists(listing)) {
      const where = address.assets(listing.locale, kind);
      const remoteList: AssetRef[] =
        (kind === 'videos' ? found?.[1].videos?.value : found?.[1].images[kind]?.value) ?? [];
      out.basis[where] = fingerprint(remoteList.map((a) => a.id));
      const recorded = state?.assets[listing.locale]?.[kind];
      const actions = planAssetList({
        locale: found?.[0] ?? listing.locale,
        kind,
        where,
        remoteIds: remoteList.map((a) => a.id),
        files,
        recorded,
        assumed: out.basis[where]!,
      });
      out.actions.push(...actions);
    }
  }
  return out;
}

interface ListInput {
  locale: string;
  kind: AssetKind;
  where: string;
  remoteIds: string[];
  files: LocalFile[];
  recorded: RecordedAssetList | undefined;
  assumed: string;
}

function planAssetList(input: ListInput): Action[] {
  const { locale, kind, where, remoteIds, files, recorded } = input;
  const localHashes = files.map((f) => f.sha256);
  const trusted = recorded !== undefined && same(recorded.ids, remoteIds);
  if (trusted && same(recorded.sha256, localHashes)) return [];

  const video = kind === 'videos';
  const common = { address: where, locale, assetKind: kind, assumed: { fingerprint: input.assumed } };
  const upload = (file: LocalFile, overwrites?: string): Action => ({
    ...common,
    kind: video ? 'upload-video' : 'upload-image',
    change: overwrites === undefined ? 'create' : 'update',
    file: fileRef(file),
    overwrites,
  });
  const remove = (assetId: string): Action => ({
    ...common,
    kind: video ? 'delete-video' : 'delete-image',
    change: 'delete',
    assetId,
    recordedSha256: trusted ? recorded.sha256[recorded.ids.indexOf(assetId)] : undefined,
  });

  if (remoteIds.length === 0) return files.map((f) => upload(f));
  if (files.length === 0) return remoteIds.map(remove);
  const single = !video && IMAGE_SPECS[kind].single;
  // A single-image upload overwrites the current image: one request, whatever we know.
  if (single && files.length === 1) return [upload(files[0]!, remoteIds[0])];

  if (trusted) {
    if (startsWith(localHashes, recorded.sha256))
      return files.slice(recorded.sha256.length).map((f) => upload(f));
    const removed = removedIndexes(recorded.sha256, localHashes);
    if (removed !== undefined) return removed.map((i) => remove(recorded.ids[i]!));
  }
  const reason =
    recorded === undefined
      ? 'no state file records which local files produced these ids'
      : !trusted
        ? 'the remote ids differ from the ones the state file recorded (changed outside this tool)'
        : recorded.sha256.includes('')
          ? 'the state file knows these ids but not which local files produced them (recorded by pull)'
          : 'the files or their order changed, and the API has no call to reorder';
  return [
    {
      ...common,
      kind: video ? 'replace-video-list' : 'replace-image-list',
      change: 'replace',
      reason,
      before: remoteIds,
      after: files.map(fileRef),
    },
  ];
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function startsWith(list: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= list.length && prefix.every((x, i) => x === list[i]);
}

/** Indexes of `full` to delete so that it becomes `kept` (order preserved), or undefined if impossible. */
function removedIndexes(full: readonly string[], kept: readonly string[]): number[] | undefined {
  const removed: number[] = [];
  let k = 0;
  for (let i = 0; i < full.length; i++) {
    if (k < kept.length && full[i] === kept[k]) k++;
    else removed.push(i);
  }
  return k === kept.length ? removed : undefined;
}
