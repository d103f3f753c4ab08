// Listings, details and availability: full-object PUTs (the API has no PATCH) of the body the plan
// computed, guarded by the content the plan assumed.
import type { Listing } from '../appstore/types.js';
import { fingerprint } from '../fingerprint/fingerprint.js';
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

/** A full-object PUT landed when the resource now reads as exactly what we sent. */
function sameAs<T>(current: T | null, body: T): { result: T } | undefined {
  return current !== null && fingerprint(current) === fingerprint(body) ? { result: current } : undefined;
}

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
    expected: ctx.expectations.expected(action),
    read: () => readListing(ctx, action.locale),
    write: async (etag) => (await ctx.api.putListing(ctx.edit, action.locale, action.body, etag ?? '')).value,
    landed: (current) => sameAs(current, action.body),
  });
  ctx.expectations.set(action.address, written);
}

export async function handleDeleteListing(ctx: ApplyContext, action: DeleteListingAction): Promise<void> {
  await guardedWrite({
    address: action.address,
    expected: ctx.expectations.expected(action),
    read: () => readListing(ctx, action.locale),
    write: (etag) => ctx.api.deleteListing(ctx.edit, action.locale, etag ?? ''),
    landed: (current) => (current === null ? { result: undefined } : undefined),
  });
  ctx.expectations.set(action.address, null);
}

/** GET, check, PUT the whole object the plan computed; afterwards we expect to read back what we wrote. */
async function putWhole<T>(
  ctx: ApplyContext,
  action: PutDetailsAction | PutAvailabilityAction,
  read: () => Promise<Versioned<T>>,
  put: (etag: string) => Promise<Versioned<T>>,
  body: T,
): Promise<void> {
  const written = await guardedWrite({
    address: action.address,
    expected: ctx.expectations.expected(action),
    read,
    write: async (etag) => (await put(etag ?? '')).value,
    landed: (current) => sameAs(current, body),
  });
  ctx.expectations.set(action.address, written);
}

export function handlePutDetails(ctx: ApplyContext, action: PutDetailsAction): Promise<void> {
  return putWhole(
    ctx,
    action,
    () => ctx.api.getDetails(ctx.edit),
    (etag) => ctx.api.putDetails(ctx.edit, action.body, etag),
    action.body,
  );
}

export function handlePutAvailability(ctx: ApplyContext, action: PutAvailabilityAction): Promise<void> {
  return putWhole(
    ctx,
    action,
    () => ctx.api.getAvailability(ctx.edit),
    (etag) => ctx.api.putAvailability(ctx.edit, action.body, etag),
    action.body,
  );
}
