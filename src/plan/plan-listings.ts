// Listings are diffed field by field; a PUT always sends the whole listing (the API has no PATCH), built
// from the remote one so fields the manifest does not manage are kept.
import { emptyListingText, LISTING_FIELDS, type Listing } from '../appstore/types.js';
import { canonicalJson, fingerprint } from '../fingerprint/fingerprint.js';
import type { ManifestListing } from '../manifest/types.js';
import type { RemoteListing } from '../remote/remote-state.js';
import { address, sameLocale } from './addresses.js';
import type { Action, ListingChangedFields, PlanNote } from './types.js';

export interface ListingPlan {
  actions: Action[];
  notes: PlanNote[];
  basis: Record<string, string>;
}

export function findRemoteListing(
  remote: Record<string, RemoteListing>,
  locale: string,
): [string, RemoteListing] | undefined {
  const key = Object.keys(remote).find((k) => sameLocale(k, locale));
  return key === undefined ? undefined : [key, remote[key]!];
}

export function planListings(
  local: ManifestListing[],
  remote: Record<string, RemoteListing>,
  options: { prune: boolean; defaultLanguage: string | undefined },
): ListingPlan {
  const out: ListingPlan = { actions: [], notes: [], basis: {} };
  for (const listing of local) {
    const found = findRemoteListing(remote, listing.locale);
    const key = found?.[0] ?? listing.locale;
    const current = found?.[1].listing.value;
    out.basis[address.listing(listing.locale)] = fingerprint(current ?? null);
    const base: Listing = current ?? { language: key, ...emptyListingText() };
    const body: Listing = { ...base, ...listing.text, language: base.language };
    const fields: ListingChangedFields = {};
    for (const field of LISTING_FIELDS) {
      const wanted = listing.text[field];
      if (wanted === undefined) continue;
      const before = current?.[field];
      if (current === undefined || canonicalJson(before) !== canonicalJson(wanted)) {
        fields[field] = { before: before ?? null, after: wanted };
      }
    }
    if (current !== undefined && Object.keys(fields).length === 0) continue;
    out.actions.push({
      kind: 'put-listing',
      address: address.listing(listing.locale),
      change: current === undefined ? 'create' : 'update',
      assumed: { fingerprint: out.basis[address.listing(listing.locale)]! },
      locale: key,
      fields,
      body,
    });
  }

  for (const [key, r] of Object.entries(remote).sort(([a], [b]) => a.localeCompare(b))) {
    if (local.some((l) => sameLocale(l.locale, key))) continue;
    const isDefault = options.defaultLanguage !== undefined && sameLocale(key, options.defaultLanguage);
    if (options.prune && !isDefault) {
      out.basis[address.listing(key)] = fingerprint(r.listing.value);
      out.actions.push({
        kind: 'delete-listing',
        address: address.listing(key),
        change: 'delete',
        assumed: { fingerprint: out.basis[address.listing(key)]! },
        locale: key,
        before: r.listing.value,
      });
    } else {
      out.notes.push(
        options.prune
          ? {
              kind: 'kept-default-listing',
              address: address.listing(key),
              message: `Listing ${key} is the app's default language and cannot be deleted; kept.`,
            }
          : {
              kind: 'unmanaged-listing',
              address: address.listing(key),
              message: `Listing ${key} is not in the manifest; left as it is (set prune.listings to delete it).`,
            },
      );
    }
  }
  return out;
}
