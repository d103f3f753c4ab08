// The manifest's digest: sha256 of the canonical JSON of the normalized manifest, with absolute paths
// replaced by manifest-relative ones, so the same checkout gives the same digest on every machine. A
// plan records it to notice a manifest (or a file it names) that changed since.
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import { canonicalJson } from '../fingerprint/fingerprint.js';
import type { LocalFile, Manifest } from './types.js';

export function manifestDigest(manifest: Omit<Manifest, 'digest'>): string {
  return createHash('sha256')
    .update(canonicalJson(portable(manifest)))
    .digest('hex');
}

function portable(manifest: Omit<Manifest, 'digest'>): unknown {
  const file = (f: LocalFile) => ({ displayPath: f.displayPath, sha256: f.sha256, size: f.size });
  return {
    appId: manifest.appId,
    apks: manifest.apks.map((apk) => ({ ...apk, file: file(apk.file) })),
    listings: manifest.listings.map((listing) => ({
      ...listing,
      images: Object.fromEntries(
        Object.entries(listing.images).map(([type, files]) => [type, files.map(file)]),
      ),
      videos: listing.videos?.map(file),
    })),
    details: manifest.details,
    availability: manifest.availability,
    stateFile: relative(manifest.dir, manifest.stateFile).split(sep).join('/'),
    prune: manifest.prune,
  };
}
