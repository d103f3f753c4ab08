/** What our APK reader learns from an APK's AndroidManifest.xml and resources.arsc. */
export interface ApkInfo {
  packageName: string;
  versionCode: number;
  /** The literal versionName, or the resolved string resource; undefined when absent or unresolvable. */
  versionName: string | undefined;
  /** Set when versionName is a resource reference that could not be resolved (e.g. `@0x7f010000`). */
  versionNameUnresolved?: string;
  minSdk: number | undefined;
  targetSdk: number | undefined;
  /** ABIs with native code, from `lib/<abi>/` entries, sorted. */
  nativePlatforms: string[];
  usesFeatures: { name: string; required: boolean }[];
}
