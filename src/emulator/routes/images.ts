// Images of a listing, per image type (appstore-api.md §3 I1–I4, §9). Uploads are checked for format
// and dimensions (IMAGE_SPECS); single-image types are overwritten, others appended in upload order.
// Only asset ids are ever returned: no URL, no download, no hash.
import { IMAGE_SPECS } from '../../appstore/rules.js';
import type { ImageType } from '../../appstore/types.js';
import { readImageHeaderFromBytes, sniffImageFormatFromBytes } from '../../media/index.js';
import { badRequest, notFound } from '../api-errors.js';
import type { EditRecord, ListingRecord } from '../model.js';
import type { UploadChecks } from '../options.js';
import type { Route, RouteContext } from '../routing.js';
import { json, noContent } from '../routing.js';
import { receiveHead } from '../uploads.js';
import { LISTING } from './listings.js';
import {
  checkPrecondition,
  imagesNode,
  imageTypeOf,
  listingOf,
  localeOf,
  readableEdit,
  recheck,
  requireIfMatch,
  withEtag,
  writableEdit,
} from './scope.js';

/** Enough for a JPEG's frame header behind EXIF/ICC segments; the rest of the body is hashed and dropped. */
const IMAGE_HEAD_BYTES = 256 * 1024;

const IMAGES = `${LISTING}/:imageType`;

export function writeImages(
  edit: EditRecord,
  locale: string,
  listing: ListingRecord,
  type: ImageType,
  ids: string[],
) {
  if (ids.length === 0) delete listing.images[type];
  else listing.images[type] = ids;
  edit.etags.bump(imagesNode(locale, type));
}

function checkImage(head: Buffer, type: ImageType, checks: UploadChecks) {
  const spec = IMAGE_SPECS[type];
  const header = readImageHeaderFromBytes(head);
  const format = header?.format ?? sniffImageFormatFromBytes(head);
  if (checks.imageFormat) {
    if (format === undefined)
      throw badRequest('error_invalid_image', 'The uploaded file is not a PNG or JPEG image.');
    if (!spec.formats.includes(format)) {
      throw badRequest(
        'error_invalid_image',
        `${type} must be ${spec.formats.join(' or ').toUpperCase()}, not ${format.toUpperCase()}.`,
      );
    }
  }
  if (checks.imageDimensions && spec.sizes.length > 0) {
    if (header === undefined)
      throw badRequest('error_invalid_image', 'The image dimensions could not be read.');
    const fits = spec.sizes.some(
      ([w, h]) =>
        (header.width === w && header.height === h) ||
        (spec.rotatable && header.width === h && header.height === w),
    );
    if (!fits) {
      const allowed = spec.sizes.map(([w, h]) => `${w}×${h}`).join(', ');
      throw badRequest(
        'error_invalid_image_dimensions',
        `${type} must be ${allowed}${spec.rotatable ? ' (portrait or landscape)' : ''}; the image is ${header.width}×${header.height}.`,
      );
    }
  }
  return { format, width: header?.width, height: header?.height };
}

function getImages(context: RouteContext) {
  const { edit } = readableEdit(context);
  const locale = localeOf(context);
  const listing = listingOf(edit, locale);
  const type = imageTypeOf(context);
  return withEtag(edit, imagesNode(locale, type), {
    images: (listing.images[type] ?? []).map((id) => ({ id })),
  });
}

async function uploadImage(context: RouteContext) {
  const { app, edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const locale = localeOf(context);
  const listing = listingOf(edit, locale);
  const type = imageTypeOf(context);
  checkPrecondition(edit, imagesNode(locale, type), ifMatch);
  const spec = IMAGE_SPECS[type];
  const current = listing.images[type] ?? [];
  if (!spec.single && current.length >= spec.max) {
    throw badRequest('error_image_count', `${locale} already has the maximum of ${spec.max} ${type}.`);
  }
  const received = await receiveHead(context.body, IMAGE_HEAD_BYTES);
  const facts = checkImage(received.head, type, context.config.checks);
  recheck(app, edit, { path: imagesNode(locale, type), ifMatch });
  if (edit.snapshot.listings.get(locale) !== listing) {
    throw notFound('error_listing_not_found', `The listing ${locale} was deleted meanwhile.`);
  }
  const latest = listing.images[type] ?? [];
  if (!spec.single && latest.length >= spec.max) {
    throw badRequest('error_image_count', `${locale} already has the maximum of ${spec.max} ${type}.`);
  }
  const id = context.store.ids.assetId();
  app.assets.set(id, {
    kind: 'image',
    sha256: received.sha256,
    size: received.size,
    ...(facts.format === undefined ? {} : { format: facts.format }),
    ...(facts.width === undefined ? {} : { width: facts.width, height: facts.height ?? 0 }),
  });
  writeImages(edit, locale, listing, type, spec.single ? [id] : [...latest, id]);
  return json({ image: { id } });
}

function deleteImage(context: RouteContext) {
  const { edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const locale = localeOf(context);
  const listing = listingOf(edit, locale);
  const type = imageTypeOf(context);
  const imageId = context.params.imageId ?? '';
  const current = listing.images[type] ?? [];
  if (!current.includes(imageId))
    throw notFound('error_image_not_found', `${locale} has no ${type} image ${imageId}.`);
  checkPrecondition(edit, imagesNode(locale, type), ifMatch);
  writeImages(
    edit,
    locale,
    listing,
    type,
    current.filter((id) => id !== imageId),
  );
  return noContent();
}

function deleteAllImages(context: RouteContext) {
  const { edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const locale = localeOf(context);
  const listing = listingOf(edit, locale);
  const type = imageTypeOf(context);
  checkPrecondition(edit, imagesNode(locale, type), ifMatch);
  writeImages(edit, locale, listing, type, []);
  return noContent();
}

export const imageRoutes: Route[] = [
  { method: 'GET', pattern: IMAGES, operation: 'getImages', handler: getImages },
  { method: 'DELETE', pattern: IMAGES, operation: 'deleteAllImages', handler: deleteAllImages },
  { method: 'POST', pattern: `${IMAGES}/upload`, operation: 'uploadImage', handler: uploadImage },
  { method: 'DELETE', pattern: `${IMAGES}/:imageId`, operation: 'deleteImage', handler: deleteImage },
];
