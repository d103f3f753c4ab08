// appstore.release.state.json: what the API cannot tell us (DESIGN decision 7). The API exposes no
// hash of any binary, so after each apply we record which local bytes produced which remote ids.
import type { AssetKind } from '../appstore/types.js';

export const STATE_FORMAT_VERSION = 1;

export interface RecordedApk {
  versionCode: number;
  sha256: string;
  file: string;
}

export interface RecordedAssetList {
  /** Remote asset ids in display order. */
  ids: string[];
  /** sha256 of the local file that produced each id, same order. */
  sha256: string[];
}

export interface StateFile {
  format_version: typeof STATE_FORMAT_VERSION;
  app_id: string;
  /** Keyed by remote APK id. */
  apks: Record<string, RecordedApk>;
  /** Keyed by locale, then asset kind. */
  assets: Record<string, Partial<Record<AssetKind, RecordedAssetList>>>;
}

export function emptyState(appId: string): StateFile {
  return { format_version: STATE_FORMAT_VERSION, app_id: appId, apks: {}, assets: {} };
}
