// One spelling of every address, shared by the planner, the basis and the executor.
import type { AssetKind } from '../appstore/types.js';

export const address = {
  edit: 'edit' as const,
  apks: 'apks',
  apk: (name: string) => `apk.${name}`,
  targeting: (name: string) => `apk.${name}.targeting`,
  listings: 'listings',
  listing: (locale: string) => `listing.${locale}`,
  assets: (locale: string, kind: AssetKind) =>
    kind === 'videos' ? `listing.${locale}.videos` : `listing.${locale}.images.${kind}`,
  details: 'details',
  availability: 'availability',
};

/** `en_US` and `en-US` name the same locale: the API accepts both spellings (appstore-api.md §8.3). */
export function sameLocale(a: string, b: string): boolean {
  return a.replace('_', '-') === b.replace('_', '-');
}
