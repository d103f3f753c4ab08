// Videos of a listing (appstore-api.md §3 V1–V4, §10). Both upload paths are accepted: `…/videos/upload`
// and `…/videos`, because clients disagree on which one the docs mean.
import { MAX_VIDEOS_PER_LISTING } from '../../appstore/rules.js';
import { sniffVideoContainer } from '../../media/index.js';
import { badRequest, notFound } from '../api-errors.js';
import type { EditRecord, ListingRecord } from '../model.js';
import type { Route, RouteContext } from '../routing.js';
import { json, noContent } from '../routing.js';
import { receiveHead } from '../uploads.js';
import { LISTING } from './listings.js';
import {
  checkPrecondition,
  listingOf,
  localeOf,
  readableEdit,
  recheck,
  requireIfMatch,
  videosNode,
  withEtag,
  writableEdit,
} from './scope.js';

const VIDEO_HEAD_BYTES = 4096;
const VIDEOS = `${LISTING}/videos`;

export function writeVideos(edit: EditRecord, locale: string, listing: ListingRecord, ids: string[]): void {
  listing.videos = ids;
  edit.etags.bump(videosNode(locale));
}

function getVideos(context: RouteContext) {
  const { edit } = readableEdit(context);
  const locale = localeOf(context);
  const listing = listingOf(edit, locale);
  return withEtag(edit, videosNode(locale), { videos: listing.videos.map((id) => ({ id })) });
}

async function uploadVideo(context: RouteContext) {
  const { app, edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const locale = localeOf(context);
  const listing = listingOf(edit, locale);
  checkPrecondition(edit, videosNode(locale), ifMatch);
  if (listing.videos.length >= MAX_VIDEOS_PER_LISTING) {
    throw badRequest(
      'error_video_count',
      `${locale} already has the maximum of ${MAX_VIDEOS_PER_LISTING} videos.`,
    );
  }
  const received = await receiveHead(context.body, VIDEO_HEAD_BYTES);
  recheck(app, edit, { path: videosNode(locale), ifMatch });
  if (edit.snapshot.listings.get(locale) !== listing) {
    throw notFound('error_listing_not_found', `The listing ${locale} was deleted meanwhile.`);
  }
  if (listing.videos.length >= MAX_VIDEOS_PER_LISTING) {
    throw badRequest(
      'error_video_count',
      `${locale} already has the maximum of ${MAX_VIDEOS_PER_LISTING} videos.`,
    );
  }
  const container = sniffVideoContainer(received.head);
  if (context.config.checks.videoFormat && container === undefined) {
    throw badRequest(
      'error_invalid_video',
      'The uploaded file is not a supported video (MPEG-2, WMV, MOV, FLV, AVI, MP4).',
    );
  }
  const id = context.store.ids.assetId();
  app.assets.set(id, {
    kind: 'video',
    sha256: received.sha256,
    size: received.size,
    ...(container === undefined ? {} : { format: container }),
  });
  writeVideos(edit, locale, listing, [...listing.videos, id]);
  return json({ video: { id } });
}

function deleteVideo(context: RouteContext) {
  const { edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const locale = localeOf(context);
  const listing = listingOf(edit, locale);
  const videoId = context.params.videoId ?? '';
  if (!listing.videos.includes(videoId))
    throw notFound('error_video_not_found', `${locale} has no video ${videoId}.`);
  checkPrecondition(edit, videosNode(locale), ifMatch);
  writeVideos(
    edit,
    locale,
    listing,
    listing.videos.filter((id) => id !== videoId),
  );
  return noContent();
}

function deleteAllVideos(context: RouteContext) {
  const { edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const locale = localeOf(context);
  const listing = listingOf(edit, locale);
  checkPrecondition(edit, videosNode(locale), ifMatch);
  writeVideos(edit, locale, listing, []);
  return noContent();
}

export const videoRoutes: Route[] = [
  { method: 'GET', pattern: VIDEOS, operation: 'getVideos', handler: getVideos },
  { method: 'DELETE', pattern: VIDEOS, operation: 'deleteAllVideos', handler: deleteAllVideos },
  { method: 'POST', pattern: `${VIDEOS}/upload`, operation: 'uploadVideo', handler: uploadVideo },
  { method: 'POST', pattern: VIDEOS, operation: 'uploadVideo', handler: uploadVideo },
  { method: 'DELETE', pattern: `${VIDEOS}/:videoId`, operation: 'deleteVideo', handler: deleteVideo },
];
