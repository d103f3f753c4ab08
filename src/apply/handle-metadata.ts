// Listings, details and availability: full-object PUTs (the API has no PATCH) of the body the plan
// computed, guarded by the content the plan assumed.
import type { Listing } from '../appstore/types.js';
import type {
  DeleteListingAction,
  PutAvailabilityAction,
  PutDetailsAction,
  PutListingAction,
} from '../plan/types.js';
import { ApiError } from '../remote/errors.js';
import type { Versioned } from '../remote/remote-state.js';
import type { ApplyContext } from './context.js';
import { guardedWrite } from './guard.js';

const planned = (action: { assumed: { fingerprint: string } | { unknown: true } }) =>
  'fingerprint' in action.assumed ? action.assumed.fingerprint : undefined;

/** A locale that does not exist yet reads as null; its PUT carries the collection's ETag. */
async function readListing(ctx: ApplyContext, locale: string): Promise<Versioned<Listing | null>> {
  try {
    return await ctx.api.getListing(ctx.edit, locale);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    const all = await ctx.api.listListings(ctx.edit);
    return { value: null, etag: all.etag };
  }
}

export async function handlePutListing(ctx: ApplyContext, action: PutListingAction): Promise<void> {
  const written = await guardedWrite({
    address: action.address,
    expected: ctx.expectations.expect(action.address, planned(action)),
    read: () => readListing(ctx, action.locale),
    write: (etag) => ctx.api.putListing(ctx.edit, action.locale, action.body, etag ?? ''),
  });
  ctx.expectations.set(action.address, written);
}

export async function handleDeleteListing(ctx: ApplyContext, action: DeleteListingAction): Promise<void> {
  await guardedWrite({
    address: action.address,
    expected: ctx.expectations.expect(action.address, planned(action)),
    read: () => readListing(ctx, action.locale),
    write: (etag) => ctx.api.deleteListing(ctx.edit, action.locale, etag ?? ''),
  });
  ctx.expectations.set(action.address, null);
}

export async function handlePutDetails(ctx: ApplyContext, action: PutDetailsAction): Promise<void> {
  const written = await guardedWrite({
    address: action.address,
    expected: ctx.expectations.expect(action.address, planned(action)),
    read: () => ctx.api.getDetails(ctx.edit),
    write: (etag) => ctx.api.putDetails(ctx.edit, action.body, etag ?? ''),
  });
  ctx.expectations.set(action.address, written);
}

export async function handlePutAvailability(ctx: ApplyContext, action: PutAvailabilityAction): Promise<void> {
  const written = await guardedWrite({
    address: action.address,
    expected: ctx.expectations.expect(action.address, planned(action)),
    read: () => ctx.api.getAvailability(ctx.edit),
    write: (etag) => ctx.api.putAvailability(ctx.edit, action.body, etag ?? ''),
  });
  ctx.expectations.set(action.address, written);
}
