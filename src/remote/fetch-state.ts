// Read everything `plan` compares against, in parallel, without changing anything remote unless the
// caller asks for an edit to be opened (DESIGN decision 9). The longest chain of dependent requests is
// three round trips: the edit → the collections → the per-APK and per-locale reads.
import { type AssetKind, type AssetRef, IMAGE_TYPES, type Listing } from '../appstore/types.js';
import { createLimit, type Limit } from '../concurrency/limit.js';
import type { AppstoreApi, EditRef } from './api.js';
import { ApiError } from './errors.js';
import type { AssetScope, RemoteApk, RemoteListing, RemoteState, Versioned } from './remote-state.js';

export interface FetchStateOptions {
  /** Which image and video lists to read (only for locales that exist remotely). */
  assets: AssetScope;
  /** With no open edit, create one (the only side effect, and only when asked). */
  openEdit?: boolean;
  /** Requests in flight at once; 8 by default. */
  concurrency?: number;
}

export const DEFAULT_FETCH_CONCURRENCY = 8;

type EditContents = Pick<RemoteState, 'apks' | 'listings' | 'details' | 'availability'>;

const UNKNOWN: EditContents = {
  apks: undefined,
  listings: undefined,
  details: undefined,
  availability: undefined,
};

export async function fetchRemoteState(
  api: AppstoreApi,
  appId: string,
  options: FetchStateOptions,
): Promise<RemoteState> {
  const limit = createLimit(options.concurrency ?? DEFAULT_FETCH_CONCURRENCY);
  const active = await api.getActiveEdit(appId);
  let open = active.value === null ? null : { value: active.value, etag: active.etag };
  if (open === null && options.openEdit === true) open = await api.createEdit(appId);

  if (open !== null) {
    // An edit in REVIEW is read all the same: refusing to write to it is the planner's decision.
    const editRef = { appId, editId: open.value.id };
    const contents = await readEdit(api, limit, editRef, options.assets);
    return { appId, source: 'open-edit', edit: open, readFrom: open.value.id, ...contents };
  }

  // No open edit and none may be created: live is only visible through the previous edit, if the
  // API lets us read it (appstore-api.md §6.1, §14 #20: unconfirmed, so every failure means "none").
  const none: RemoteState = { appId, source: 'none', edit: null, readFrom: null, ...UNKNOWN };
  try {
    const previous = await api.getPreviousEdit(appId);
    if (previous.value === null) return none;
    const contents = await readEdit(api, limit, { appId, editId: previous.value.id }, options.assets);
    return { appId, source: 'previous-edit', edit: null, readFrom: previous.value.id, ...contents };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return none;
    throw error;
  }
}

async function readEdit(
  api: AppstoreApi,
  limit: Limit,
  edit: EditRef,
  scope: AssetScope,
): Promise<EditContents> {
  const [apks, listings, details, availability] = await Promise.all([
    readApks(api, limit, edit),
    readListings(api, limit, edit, scope),
    limit(() => api.getDetails(edit)),
    limit(() => api.getAvailability(edit)),
  ]);
  return { apks, listings, details, availability };
}

async function readApks(api: AppstoreApi, limit: Limit, edit: EditRef): Promise<RemoteApk[]> {
  const list = await limit(() => api.listApks(edit));
  // The list has no ETags per APK; each GET gives the value with its own.
  return Promise.all(
    list.value.map(async ({ id }) => {
      const [apk, targeting] = await Promise.all([
        limit(() => api.getApk(edit, id)),
        limit(() => api.getTargeting(edit, id)),
      ]);
      return { apk, targeting };
    }),
  );
}

async function readListings(
  api: AppstoreApi,
  limit: Limit,
  edit: EditRef,
  scope: AssetScope,
): Promise<Record<string, RemoteListing>> {
  const collection = await limit(() => api.listListings(edit));
  const wanted = assetListsToRead(Object.keys(collection.value), scope);
  const entries = await Promise.all(
    Object.entries(collection.value).map(async ([locale, listing]): Promise<[string, RemoteListing]> => {
      const kinds = wanted.get(locale) ?? [];
      const lists = await Promise.all(
        kinds.map(
          async (kind): Promise<[AssetKind, Versioned<AssetRef[]>]> => [
            kind,
            await limit(() =>
              kind === 'videos' ? api.getVideos(edit, locale) : api.getImages(edit, locale, kind),
            ),
          ],
        ),
      );
      const remote: RemoteListing = {
        // The collection's ETag: listings have no separate one unless fetched one by one, and the
        // executor re-reads each listing before writing it anyway.
        listing: { value: listing as Listing, etag: collection.etag },
        images: {},
        videos: undefined,
      };
      for (const [kind, list] of lists) {
        if (kind === 'videos') remote.videos = list;
        else remote.images[kind] = list;
      }
      return [locale, remote];
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * Remote locale key → asset kinds to read. A scope names locales as the manifest writes them (`en-US`);
 * the API may key them `en_US` (§8.3), so both sides are compared with the separator normalized.
 */
export function assetListsToRead(
  remoteLocales: readonly string[],
  scope: AssetScope,
): Map<string, AssetKind[]> {
  const all: AssetKind[] = [...IMAGE_TYPES, 'videos'];
  const result = new Map<string, AssetKind[]>();
  if (scope === 'all') {
    for (const locale of remoteLocales) result.set(locale, [...all]);
    return result;
  }
  const byNormalized = new Map(remoteLocales.map((locale) => [normalizeLocale(locale), locale]));
  for (const { locale, kind } of scope) {
    const remote = byNormalized.get(normalizeLocale(locale));
    if (remote === undefined) continue;
    const kinds = result.get(remote) ?? [];
    if (!kinds.includes(kind)) kinds.push(kind);
    result.set(remote, kinds);
  }
  return result;
}

function normalizeLocale(locale: string): string {
  return locale.replace('_', '-').toLowerCase();
}
