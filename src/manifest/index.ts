// The manifest's public surface: load and validate `appstore.release.yaml` into a normalized Manifest.
export {
  compareDiagnostics,
  type Diagnostic,
  isError,
  type Severity,
  sortDiagnostics,
} from './diagnostics.js';
export { manifestDigest } from './digest.js';
export { DEFAULT_MANIFEST_FILE, type LoadOptions, type LoadResult, loadManifest } from './load.js';
export { APK_PLACEHOLDER_PREFIX, DEFAULT_STATE_FILE } from './normalize.js';
export { SCHEMA_URL } from './schema-check.js';
export { type ManifestSummary, summarizeManifest } from './summary.js';
export type { LocalFile, Manifest, ManifestApk, ManifestListing, TargetingRule } from './types.js';
