// Listings: all locales, one locale, full-object PUT (creates a missing locale), delete
// (appstore-api.md §3 L1–L4, §4.4, §8). Limits come from src/appstore/rules.ts.
import { TEXT_LIMITS } from '../../appstore/rules.js';
import type { ApiErrorEntry, Listing, ListingText } from '../../appstore/types.js';
import { ApiError, badRequest } from '../api-errors.js';
import { displayLocale, type EditRecord, type ListingRecord, toWireListing } from '../model.js';
import type { ListingLimits } from '../options.js';
import { readJsonObject } from '../request-body.js';
import type { Route, RouteContext } from '../routing.js';
import { json, noContent } from '../routing.js';
import { EDIT } from './edits.js';
import {
  checkPrecondition,
  LISTING_CHILDREN,
  LISTINGS_NODE,
  listingNode,
  listingOf,
  localeOf,
  readableEdit,
  recheck,
  requireIfMatch,
  withEtag,
  writableEdit,
} from './scope.js';

export const LISTING = `${EDIT}/listings/:language`;

const TEXT_FIELDS = ['title', 'shortDescription', 'fullDescription', 'recentChanges'] as const;
const SINGLE_WORD = /^\S+$/;

const codePoints = (text: string): number => [...text].length;

/** Checks a PUT body as a full listing; missing text fields mean empty, missing arrays are refused. */
export function parseListingBody(body: Record<string, unknown>, limits: ListingLimits): ListingText {
  const problems: ApiErrorEntry[] = [];
  const text = {} as Record<(typeof TEXT_FIELDS)[number], string>;
  for (const field of TEXT_FIELDS) {
    const value = body[field] ?? '';
    if (typeof value !== 'string') {
      problems.push({ errorCode: 'error_invalid_field', errorMessage: `${field} must be a string.` });
      text[field] = '';
      continue;
    }
    text[field] = value;
    const limit = TEXT_LIMITS[field];
    if (limit !== undefined && codePoints(value) > limit) {
      problems.push({
        errorCode: 'error_field_length',
        errorMessage: `${field} is ${codePoints(value)} characters long; at most ${limit} are allowed.`,
      });
    }
  }
  const arrays = {} as Record<'featureBullets' | 'keywords', string[]>;
  for (const field of ['featureBullets', 'keywords'] as const) {
    const value = body[field];
    if (value === undefined || value === null) {
      problems.push({ errorCode: 'required_data_absent', errorMessage: `${field} is required.` });
      arrays[field] = [];
    } else if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      problems.push({
        errorCode: 'error_invalid_field',
        errorMessage: `${field} must be an array of strings.`,
      });
      arrays[field] = [];
    } else {
      arrays[field] = value as string[];
    }
  }
  for (const keyword of arrays.keywords.filter((k) => !SINGLE_WORD.test(k))) {
    problems.push({ errorCode: 'SINGLE_WORD', errorMessage: `Keyword '${keyword}' must be a single word.` });
  }
  if (limits.maxKeywords !== undefined && arrays.keywords.length > limits.maxKeywords) {
    problems.push({
      errorCode: 'error_field_length',
      errorMessage: `At most ${limits.maxKeywords} keywords are allowed.`,
    });
  }
  if (limits.maxFeatureBullets !== undefined && arrays.featureBullets.length > limits.maxFeatureBullets) {
    problems.push({
      errorCode: 'error_field_length',
      errorMessage: `At most ${limits.maxFeatureBullets} feature bullets are allowed.`,
    });
  }
  const maxBullet = limits.maxFeatureBulletLength;
  if (maxBullet !== undefined) {
    for (const bullet of arrays.featureBullets.filter((b) => codePoints(b) > maxBullet)) {
      problems.push({
        errorCode: 'error_field_length',
        errorMessage: `Feature bullet '${bullet.slice(0, 40)}…' is longer than ${maxBullet} characters.`,
      });
    }
  }
  if (problems.length > 0) throw new ApiError(400, problems);
  return { ...text, featureBullets: arrays.featureBullets, keywords: arrays.keywords };
}

/** Sets a listing's text, creating the locale when absent, and bumps the ETags that change. */
export function writeListingText(edit: EditRecord, locale: string, text: ListingText): ListingRecord {
  const existing = edit.snapshot.listings.get(locale);
  if (existing !== undefined) {
    existing.text = text;
    edit.etags.bump(listingNode(locale));
    return existing;
  }
  const created: ListingRecord = { text, images: {}, videos: [] };
  edit.snapshot.listings.set(locale, created);
  edit.etags.bump(listingNode(locale), LISTING_CHILDREN);
  return created;
}

export function removeListing(edit: EditRecord, locale: string): void {
  edit.snapshot.listings.delete(locale);
  edit.etags.bump(listingNode(locale), LISTING_CHILDREN);
}

function getListings(context: RouteContext) {
  const { edit } = readableEdit(context);
  const style = context.config.localeKeyStyle;
  const listings: Record<string, Listing> = {};
  for (const [locale, listing] of edit.snapshot.listings) {
    listings[displayLocale(locale, style)] = toWireListing(locale, listing, style);
  }
  return withEtag(edit, LISTINGS_NODE, { listings });
}

function getListing(context: RouteContext) {
  const { edit } = readableEdit(context);
  const locale = localeOf(context);
  return withEtag(
    edit,
    listingNode(locale),
    toWireListing(locale, listingOf(edit, locale), context.config.localeKeyStyle),
  );
}

async function putListing(context: RouteContext) {
  const { app, edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const locale = localeOf(context);
  checkPrecondition(edit, listingNode(locale), ifMatch);
  const text = parseListingBody(await readJsonObject(context.body), context.config.listingLimits);
  recheck(app, edit, { path: listingNode(locale), ifMatch });
  const listing = writeListingText(edit, locale, text);
  return json(toWireListing(locale, listing, context.config.localeKeyStyle));
}

function deleteListing(context: RouteContext) {
  const { edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const locale = localeOf(context);
  listingOf(edit, locale);
  if (edit.snapshot.details.defaultLanguage === locale) {
    throw badRequest(
      'error_default_language_listing',
      `The listing of the default language ${locale} cannot be deleted.`,
    );
  }
  checkPrecondition(edit, listingNode(locale), ifMatch);
  removeListing(edit, locale);
  return noContent();
}

export const listingRoutes: Route[] = [
  { method: 'GET', pattern: `${EDIT}/listings`, operation: 'getListings', handler: getListings },
  { method: 'GET', pattern: LISTING, operation: 'getListing', handler: getListing },
  { method: 'PUT', pattern: LISTING, operation: 'updateListing', handler: putListing },
  { method: 'DELETE', pattern: LISTING, operation: 'deleteListing', handler: deleteListing },
];
