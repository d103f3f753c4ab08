// The normalized manifest: what `loadManifest` returns once the YAML is parsed, validated, merged with
// defaults, globs expanded and every file hashed. Everything downstream (planner, executor, pull)
// reads this, never the YAML.
import type { ApkInfo } from '../apk/types.js';
import type { ContactField, ImageType, ListingText, PublishingDate } from '../appstore/types.js';

export interface LocalFile {
  /** Absolute path on disk. */
  path: string;
  /** Path relative to the manifest's folder, with `/` separators: what users see and plans record. */
  displayPath: string;
  sha256: string;
  size: number;
}

export interface TargetingRule {
  /** Device ids or names that must be TARGETING. */
  include: string[];
  /** Device ids or names that must be NOT_TARGETING. */
  exclude: string[];
}

export interface ManifestApk {
  file: LocalFile;
  info: ApkInfo;
  /** Remote APK to replace, by name (`APK1`) or id. Undefined: implicit when there is one APK each side. */
  slot: string | undefined;
  /** Undefined: targeting is not managed for this APK. */
  targeting: { amazonDevices?: TargetingRule; nonAmazonDevices?: TargetingRule } | undefined;
}

export interface ManifestListing {
  locale: string;
  /** Only the fields the manifest sets; fields it leaves out are kept as they are remotely. */
  text: Partial<ListingText>;
  /** Only the image types the manifest names; the others are unmanaged. Files in display order. */
  images: Partial<Record<ImageType, LocalFile[]>>;
  /** Undefined: videos unmanaged. An empty list: no videos wanted. */
  videos: LocalFile[] | undefined;
}

export interface Manifest {
  /** Absolute path of the manifest file. */
  path: string;
  /** Absolute path of its folder; relative paths in the manifest resolve against it. */
  dir: string;
  /** sha256 of the canonical JSON of the normalized manifest (file hashes included). */
  digest: string;
  appId: string;
  apks: ManifestApk[];
  /** Sorted by locale. */
  listings: ManifestListing[];
  /** Only the fields the manifest sets. Undefined: details unmanaged. */
  details: Partial<Record<ContactField, string>> | undefined;
  /** Undefined: availability unmanaged. */
  availability: { publishingDate: PublishingDate } | undefined;
  /** Absolute path of the state file (default: `appstore.release.state.json` beside the manifest). */
  stateFile: string;
  prune: { listings: boolean; apks: boolean };
}
