// What can be switched when starting the emulator. Every behaviour the API reference marks [S] or [U]
// has a switch here (see the table in README.md).
import type { EtagMode } from './etags.js';
import type { FaultRule } from './faults.js';
import type { LocaleKeyStyle } from './model.js';
import type { SeedFile } from './seed.js';

/** The validate/commit rules of appstore-api.md §6.3; each can be turned off. */
export interface ValidationRules {
  /** Every listing has non-empty recentChanges that differ from the live version's (`error_release_notes_incomplete`). */
  releaseNotes: boolean;
  /** Every APK has a DRM choice (`error_apk_drm_value_missing`). */
  apkDrm: boolean;
  /** Every listing has keywords, each a single word (`required_data_absent`, `SINGLE_WORD`). */
  keywords: boolean;
  /** At least one APK (`error_apk_missing`, invented). */
  apkPresent: boolean;
  /** versionCodes unique within the edit (`error_duplicate_version_code`, invented). */
  versionCodes: boolean;
  /** Small icon, large icon and at least 3 screenshots per listing (`error_images_incomplete`, invented). */
  requiredImages: boolean;
  /** Fire TV icon, background and screenshots per listing when a Fire TV device is targeted (off by default). */
  fireTvImages: boolean;
  /** A device is targeted by at most one APK (`error_device_targeted_twice`, invented). */
  deviceTargetedOnce: boolean;
}

export const DEFAULT_RULES: Readonly<ValidationRules> = {
  releaseNotes: true,
  apkDrm: true,
  keywords: true,
  apkPresent: true,
  versionCodes: true,
  requiredImages: true,
  fireTvImages: false,
  deviceTargetedOnce: true,
};

/** Checks made when content arrives (uploads and PUTs). */
export interface UploadChecks {
  /** PNG/JPEG magic bytes, and the format allowed for the image type. */
  imageFormat: boolean;
  /** Dimensions allowed for the image type (IMAGE_SPECS). */
  imageDimensions: boolean;
  /** A known video container (MP4/MOV, AVI, FLV, WMV, MPEG). */
  videoFormat: boolean;
}

export const DEFAULT_CHECKS: Readonly<UploadChecks> = {
  imageFormat: true,
  imageDimensions: true,
  videoFormat: true,
};

/** Limits the reference does not know (§8.2): off unless set. */
export interface ListingLimits {
  maxKeywords?: number;
  maxFeatureBullets?: number;
  maxFeatureBulletLength?: number;
}

export interface EmulatorOptions {
  /** 0 (default): a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Initial state. Default: no apps, the demo credential. */
  seed?: SeedFile;
  /** Read the initial state from this JSON file (ignored when `seed` is given). */
  seedFile?: string;
  /** Default 'hierarchical'. */
  etagMode?: EtagMode;
  /** A fault spec string (README.md, "Faults") or parsed rules. */
  faults?: string | FaultRule[];
  /** Seed of the fault PRNG (default 1). */
  faultSeed?: number;
  /** Default 3600. */
  tokenTtlSeconds?: number;
  /** How long after a large upload attach answers `asset_not_ready`. Default 1000. */
  largeUploadReadyAfterMs?: number;
  /** Whether `/edits/{previousEditId}/…` can be read. Default true. */
  previousEditReadable?: boolean;
  rules?: Partial<ValidationRules>;
  checks?: Partial<UploadChecks>;
  listingLimits?: ListingLimits;
  /** How locales appear in listing keys and `language` fields. Default 'hyphen'. */
  localeKeyStyle?: LocaleKeyStyle;
  /** Clock for token expiry and upload readiness (ms since epoch). Default Date.now. */
  clock?: () => number;
  /** Seed of generated ids (edit, APK, asset ids). Default 'appstore-emulator'. */
  idSeed?: string;
  /** Accept `X-Emulator-Version-Code` on APK uploads instead of parsing (for throughput benchmarks). Default true. */
  allowVersionCodeHeader?: boolean;
}

/** Options after defaults, as route handlers see them. */
export interface EmulatorConfig {
  largeUploadReadyAfterMs: number;
  previousEditReadable: boolean;
  rules: ValidationRules;
  checks: UploadChecks;
  listingLimits: ListingLimits;
  localeKeyStyle: LocaleKeyStyle;
  allowVersionCodeHeader: boolean;
  /** Temp folder for APK bytes while they are parsed. */
  tmpDir: string;
}
