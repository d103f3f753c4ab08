// What `fetchRemoteState` reads of an app: every value with the ETag it came with. The planner reads
// values only; the executor never reuses these ETags for writes (DESIGN decision 8: it re-GETs).
import type {
  Apk,
  AssetKind,
  AssetRef,
  Availability,
  Details,
  Edit,
  ImageType,
  Listing,
  Targeting,
} from '../appstore/types.js';

export interface Versioned<T> {
  value: T;
  /** The ETag header of the GET that returned the value; undefined when the server sent none. */
  etag: string | undefined;
}

export interface RemoteApk {
  apk: Versioned<Apk>;
  targeting: Versioned<Targeting>;
}

export interface RemoteListing {
  listing: Versioned<Listing>;
  /** Only the image types that were asked for. */
  images: Partial<Record<ImageType, Versioned<AssetRef[]>>>;
  /** Undefined when videos were not asked for. */
  videos: Versioned<AssetRef[]> | undefined;
}

/**
 * Where the values came from:
 * - `open-edit`: the app's open edit (IN_PROGRESS or REVIEW); exact.
 * - `previous-edit`: no edit is open; values read through `/edits/previous` (a copy of live).
 * - `none`: no edit is open and nothing could be read without creating one.
 */
export type RemoteSource = 'open-edit' | 'previous-edit' | 'none';

export interface RemoteState {
  appId: string;
  source: RemoteSource;
  /** The open edit, or null when none is open. */
  edit: Versioned<Edit> | null;
  /** The edit the values were read from (the open one, or the previous one), or null. */
  readFrom: string | null;
  /** Undefined: unknown (nothing could be read). Order as the API returned it. */
  apks: RemoteApk[] | undefined;
  /** Keyed by locale as `GET /listings` returned it. Undefined: unknown. */
  listings: Record<string, RemoteListing> | undefined;
  details: Versioned<Details> | undefined;
  availability: Versioned<Availability> | undefined;
}

/** Which asset lists to read: `all` (every image type and the videos of every locale) or a list. */
export type AssetScope = 'all' | ReadonlyArray<{ locale: string; kind: AssetKind }>;
