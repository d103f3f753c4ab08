// What `validate` reports about a valid manifest: plain data, rendered as text or JSON by the CLI.
import { IMAGE_TYPES, type ImageType } from '../appstore/types.js';
import type { Manifest } from './types.js';

export interface ManifestSummary {
  app_id: string;
  apks: { file: string; version_code: number; version_name: string | null; slot: string | null }[];
  locales: string[];
  /** Per locale: file count of each managed image type, and of videos (null: videos unmanaged). */
  assets: { locale: string; images: Partial<Record<ImageType, number>>; videos: number | null }[];
  details: boolean;
  availability: boolean;
  digest: string;
}

export function summarizeManifest(manifest: Manifest): ManifestSummary {
  return {
    app_id: manifest.appId,
    apks: manifest.apks.map((apk) => ({
      file: apk.file.displayPath,
      version_code: apk.info.versionCode,
      version_name: apk.info.versionName ?? null,
      slot: apk.slot ?? null,
    })),
    locales: manifest.listings.map((l) => l.locale),
    assets: manifest.listings.map((l) => ({
      locale: l.locale,
      // In IMAGE_TYPES order, so the JSON output has a stable key order.
      images: Object.fromEntries(
        IMAGE_TYPES.flatMap((type) => {
          const files = l.images[type];
          return files === undefined ? [] : [[type, files.length]];
        }),
      ),
      videos: l.videos === undefined ? null : l.videos.length,
    })),
    details: manifest.details !== undefined,
    availability: manifest.availability !== undefined,
    digest: manifest.digest,
  };
}
