// Resolving what a request addresses (app, edit, APK, locale) and the preconditions every write
// shares, in one order for all routes: edit exists → edit writable → If-Match present → target exists
// → If-Match current → body valid.
import type { ImageType } from '../../appstore/types.js';
import { IMAGE_TYPES } from '../../appstore/types.js';
import { ApiError, badRequest, forbidden, notFound } from '../api-errors.js';
import type { NodePath } from '../etags.js';
import { canonicalLocale } from '../locales.js';
import type { ApkRecord, AppRecord, EditRecord, ListingRecord } from '../model.js';
import type { Reply, RouteContext } from '../routing.js';

export function appOf(context: RouteContext): AppRecord {
  const appId = context.params.appId ?? '';
  const app = context.store.app(appId);
  if (app === undefined) throw notFound('error_app_not_found', `No app with id ${appId}.`);
  return app;
}

/** The open edit, or the previous (live) edit when `previousEditReadable` is on. */
export function readableEdit(context: RouteContext): { app: AppRecord; edit: EditRecord } {
  const app = appOf(context);
  const editId = context.params.editId ?? '';
  if (app.openEdit?.id === editId) return { app, edit: app.openEdit };
  if (context.config.previousEditReadable && app.liveEdit?.id === editId) return { app, edit: app.liveEdit };
  throw notFound('error_edit_not_found', `No edit with id ${editId} for this app.`);
}

/** An edit a write may touch: it must be the open edit and IN_PROGRESS. */
export function writableEdit(context: RouteContext): { app: AppRecord; edit: EditRecord } {
  const found = readableEdit(context);
  if (found.edit.status !== 'IN_PROGRESS') {
    throw forbidden(
      'error_edit_not_in_progress',
      `The edit ${found.edit.id} is ${found.edit.status === 'LIVE' ? 'the live version' : 'in REVIEW'} and cannot be changed.`,
    );
  }
  return found;
}

/**
 * After a handler awaited the request body, the world may have moved on: another request may have
 * committed or deleted the edit, or changed the target. Writes re-check right before they mutate, so
 * two concurrent writes with the same If-Match cannot both succeed.
 */
export function recheck(
  app: AppRecord,
  edit: EditRecord,
  precondition?: { path: NodePath; ifMatch: string },
): void {
  if (app.openEdit !== edit)
    throw notFound('error_edit_not_found', `The edit ${edit.id} was deleted meanwhile.`);
  if (edit.status !== 'IN_PROGRESS') {
    throw forbidden(
      'error_edit_not_in_progress',
      `The edit ${edit.id} went to ${edit.status} meanwhile and cannot be changed.`,
    );
  }
  if (precondition !== undefined) checkPrecondition(edit, precondition.path, precondition.ifMatch);
}

/** The If-Match header; 400 `required_data_absent` when missing (appstore-api.md §5.3). */
export function requireIfMatch(context: RouteContext): string {
  const value = context.req.headers['if-match'];
  if (value === undefined || value.trim() === '') {
    throw badRequest('required_data_absent', 'If-Match header is required');
  }
  return value;
}

/** 412 unless `ifMatch` is current for a mutation of `path`. */
export function checkPrecondition(edit: EditRecord, path: NodePath, ifMatch: string): void {
  if (!edit.etags.matches(path, ifMatch)) {
    throw ApiError.of(
      412,
      'precondition_failed',
      'The If-Match value does not match the current ETag of the resource. GET it again and retry.',
    );
  }
}

/** A GET reply carrying the node's ETag. */
export function withEtag(edit: EditRecord, path: NodePath, body: unknown): Reply {
  return { status: 200, body, headers: { ETag: edit.etags.etag(path) } };
}

/** The `{language}` path parameter in canonical form; 404 when it is not a locale code. */
export function localeOf(context: RouteContext): string {
  const raw = context.params.language ?? '';
  const locale = canonicalLocale(raw);
  if (locale === undefined)
    throw notFound('error_invalid_locale', `'${raw}' is not a supported language code.`);
  return locale;
}

export function listingOf(edit: EditRecord, locale: string): ListingRecord {
  const listing = edit.snapshot.listings.get(locale);
  if (listing === undefined)
    throw notFound('error_listing_not_found', `The edit has no listing for ${locale}.`);
  return listing;
}

export function apkOf(context: RouteContext, edit: EditRecord): ApkRecord {
  const apkId = context.params.apkId ?? '';
  const apk = edit.snapshot.apks.find((a) => a.id === apkId);
  if (apk === undefined) throw notFound('error_apk_not_found', `The edit has no APK with id ${apkId}.`);
  return apk;
}

export function imageTypeOf(context: RouteContext): ImageType {
  const raw = context.params.imageType ?? '';
  if (!(IMAGE_TYPES as readonly string[]).includes(raw)) {
    throw notFound(
      'error_invalid_image_type',
      `'${raw}' is not an image type (one of ${IMAGE_TYPES.join(', ')}).`,
    );
  }
  return raw as ImageType;
}

// Node paths of the ETag tree (etags.ts).
export const EDIT_NODE: NodePath = [];
export const APKS_NODE: NodePath = ['apks'];
export const apkNode = (apkId: string): NodePath => ['apks', apkId];
export const targetingNode = (apkId: string): NodePath => ['apks', apkId, 'targeting'];
export const LISTINGS_NODE: NodePath = ['listings'];
export const listingNode = (locale: string): NodePath => ['listings', locale];
export const imagesNode = (locale: string, type: ImageType): NodePath => ['listings', locale, 'images', type];
export const videosNode = (locale: string): NodePath => ['listings', locale, 'videos'];
export const DETAILS_NODE: NodePath = ['details'];
export const AVAILABILITY_NODE: NodePath = ['availability'];

/** Children of a listing node, bumped when the listing is created or deleted. */
export const LISTING_CHILDREN: readonly NodePath[] = [
  ...IMAGE_TYPES.map((type): NodePath => ['images', type]),
  ['videos'],
];
export const APK_CHILDREN: readonly NodePath[] = [['targeting']];
