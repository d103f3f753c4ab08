// The state file `pull` writes. The API hands out asset ids but never the bytes, so pull records the
// ids it saw with an unknown ('') hash each: the same sentinel apply writes for an id it did not upload
// itself (src/apply/handle-assets.ts). With no local file known to have produced an id, the first plan
// that manages such a list must replace it once, and with the ids recorded it can say why precisely.
// APKs are left out: a recorded APK needs the sha256 of the local build, which pull cannot know.
import { type AssetKind, IMAGE_TYPES } from '../appstore/types.js';
import { sortKeys } from '../fingerprint/fingerprint.js';
import type { RemoteState } from '../remote/remote-state.js';
import { emptyState, type StateFile } from '../state-file/types.js';

export interface PulledState {
  state: StateFile;
  /** Image lists (locale × type) with at least one remote image. */
  imageLists: number;
  /** Video lists (locales) with at least one remote video. */
  videoLists: number;
}

export function stateFromRemote(remote: RemoteState): PulledState {
  const state = emptyState(remote.appId);
  let imageLists = 0;
  let videoLists = 0;
  for (const [remoteKey, listing] of Object.entries(remote.listings ?? {})) {
    // apply keys the state file by the manifest's spelling of a locale (hyphen), whatever the API's.
    const locale = remoteKey.replace('_', '-');
    const lists: Partial<Record<AssetKind, { ids: string[]; sha256: string[] }>> = {};
    for (const type of IMAGE_TYPES) {
      const ids = listing.images[type]?.value.map((asset) => asset.id) ?? [];
      if (ids.length === 0) continue;
      lists[type] = { ids, sha256: ids.map(() => '') };
      imageLists++;
    }
    const videoIds = listing.videos?.value.map((asset) => asset.id) ?? [];
    if (videoIds.length > 0) {
      lists.videos = { ids: videoIds, sha256: videoIds.map(() => '') };
      videoLists++;
    }
    if (Object.keys(lists).length > 0) state.assets[locale] = lists;
  }
  return { state, imageLists, videoLists };
}

/** The same bytes `writeStateFile` produces: sorted keys, two-space indent, final newline. */
export function stateFileText(state: StateFile): string {
  return `${JSON.stringify(sortKeys(state), null, 2)}\n`;
}
