// One typed function per endpoint of the App Submission API (appstore-api.md §3). Reads return the
// value with its ETag; every mutation takes the ETag to send as If-Match from its caller. Nothing is
// cached here: which ETag goes with which write is the executor's decision (DESIGN decision 8).
import { basename } from 'node:path';
import { LARGE_APK_THRESHOLD_BYTES } from '../appstore/rules.js';
import type {
  Apk,
  AssetRef,
  Availability,
  Details,
  Edit,
  ImageType,
  Listing,
  Targeting,
} from '../appstore/types.js';
import { AppError } from '../errors/app-error.js';
import { DEFAULT_REFRESH_MARGIN_SECONDS, TokenSource } from './auth.js';
import type { Credentials } from './credentials.js';
import { ApiError } from './errors.js';
import {
  type ApiRequest,
  type ApiResponse,
  createAgents,
  createBaseGot,
  DEFAULT_TIMEOUTS,
  HttpClient,
  type Timeouts,
  type UploadProgress,
} from './http.js';
import { createTrace, Redactor } from './redact.js';
import type { Versioned } from './remote-state.js';
import { type RetryPolicy, resolveRetryPolicy } from './retry.js';

export type { UploadProgress } from './http.js';

export interface EditRef {
  appId: string;
  editId: string;
}

/** A file to upload: its path and its size in bytes (sent as Content-Length). */
export interface LocalFile {
  path: string;
  size: number;
}

export type ProgressListener = (progress: UploadProgress) => void;

export interface AttachPollOptions {
  /** Wait before the second attach; doubles after each `asset_not_ready`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Give up when Amazon is still processing the file after this long. */
  maxElapsedMs: number;
}

export const DEFAULT_ATTACH_POLL: AttachPollOptions = {
  initialDelayMs: 5_000,
  maxDelayMs: 30_000,
  maxElapsedMs: 20 * 60_000,
};

export interface ClientOptions {
  apiUrl: string;
  tokenUrl: string;
  credentials: Credentials;
  /** Receives one redacted line per request, response, retry decision and token event. */
  debug?: ((line: string) => void) | undefined;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<Timeouts>;
  /** APKs at or above this size go through large upload + attach. */
  largeUploadThresholdBytes?: number;
  attachPoll?: Partial<AttachPollOptions>;
  /** Refresh the access token this many seconds before it expires. */
  refreshMarginSeconds?: number;
  /** Epoch milliseconds, for token expiry (injectable for tests). */
  clock?: () => number;
}

export interface AppstoreApi {
  // Edits
  /** The open edit (IN_PROGRESS or REVIEW), or null when none is open (`{}`). */
  getActiveEdit(appId: string): Promise<Versioned<Edit | null>>;
  createEdit(appId: string): Promise<Versioned<Edit>>;
  getEdit(edit: EditRef): Promise<Versioned<Edit>>;
  /** The previous edit (normally a copy of live), or null when there is none. */
  getPreviousEdit(appId: string): Promise<Versioned<Edit | null>>;
  deleteEdit(edit: EditRef, etag: string): Promise<void>;
  validateEdit(edit: EditRef, etag?: string): Promise<Versioned<Edit>>;
  /** Submits the edit for review. Never retried: it cannot be undone. */
  commitEdit(edit: EditRef, etag: string): Promise<Versioned<Edit>>;
  // APKs
  listApks(edit: EditRef): Promise<Versioned<Apk[]>>;
  getApk(edit: EditRef, apkId: string): Promise<Versioned<Apk>>;
  /** Adds a new APK; at or above the large-upload threshold through large upload + attach. */
  uploadApk(edit: EditRef, file: LocalFile, onProgress?: ProgressListener): Promise<Apk>;
  replaceApk(
    edit: EditRef,
    apkId: string,
    file: LocalFile,
    etag: string,
    onProgress?: ProgressListener,
  ): Promise<Apk>;
  deleteApk(edit: EditRef, apkId: string, etag: string): Promise<void>;
  getTargeting(edit: EditRef, apkId: string): Promise<Versioned<Targeting>>;
  putTargeting(
    edit: EditRef,
    apkId: string,
    targeting: Targeting,
    etag: string,
  ): Promise<Versioned<Targeting>>;
  // Listings
  /** Keyed exactly as the API returns them (`en-US`, or `en_US` if that is what comes back). */
  listListings(edit: EditRef): Promise<Versioned<Record<string, Listing>>>;
  getListing(edit: EditRef, language: string): Promise<Versioned<Listing>>;
  putListing(edit: EditRef, language: string, listing: Listing, etag: string): Promise<Versioned<Listing>>;
  deleteListing(edit: EditRef, language: string, etag: string): Promise<void>;
  // Details and availability
  getDetails(edit: EditRef): Promise<Versioned<Details>>;
  putDetails(edit: EditRef, details: Details, etag: string): Promise<Versioned<Details>>;
  getAvailability(edit: EditRef): Promise<Versioned<Availability>>;
  putAvailability(edit: EditRef, availability: Availability, etag: string): Promise<Versioned<Availability>>;
  // Images
  getImages(edit: EditRef, language: string, type: ImageType): Promise<Versioned<AssetRef[]>>;
  uploadImage(
    edit: EditRef,
    language: string,
    type: ImageType,
    file: LocalFile,
    etag: string,
    onProgress?: ProgressListener,
  ): Promise<AssetRef>;
  deleteImage(edit: EditRef, language: string, type: ImageType, imageId: string, etag: string): Promise<void>;
  deleteAllImages(edit: EditRef, language: string, type: ImageType, etag: string): Promise<void>;
  // Videos
  getVideos(edit: EditRef, language: string): Promise<Versioned<AssetRef[]>>;
  uploadVideo(
    edit: EditRef,
    language: string,
    file: LocalFile,
    etag: string,
    onProgress?: ProgressListener,
  ): Promise<AssetRef>;
  deleteVideo(edit: EditRef, language: string, videoId: string, etag: string): Promise<void>;
  deleteAllVideos(edit: EditRef, language: string, etag: string): Promise<void>;
  /** Close the kept-alive connections (the process can then exit without waiting for them). */
  close(): void;
}

const APK_CONTENT_TYPE = 'application/vnd.android.package-archive';
const ASSET_CONTENT_TYPE = 'application/octet-stream';

const seg = encodeURIComponent;
const appPath = (appId: string) => `/v1/applications/${seg(appId)}`;
const editPath = (edit: EditRef) => `${appPath(edit.appId)}/edits/${seg(edit.editId)}`;
const listingPath = (edit: EditRef, language: string) => `${editPath(edit)}/listings/${seg(language)}`;

export function createAppstoreApi(options: ClientOptions): AppstoreApi {
  const redactor = new Redactor();
  const trace = createTrace(options.debug, redactor);
  const retry = resolveRetryPolicy(options.retry);
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const attachPoll: AttachPollOptions = { ...DEFAULT_ATTACH_POLL, ...options.attachPoll };
  const threshold = options.largeUploadThresholdBytes ?? LARGE_APK_THRESHOLD_BYTES;
  const agents = createAgents();
  const baseGot = createBaseGot(agents, timeouts);
  const tokens = new TokenSource({
    tokenUrl: options.tokenUrl,
    credentials: options.credentials,
    got: baseGot,
    retry,
    trace,
    redactor,
    refreshMarginSeconds: options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const http = new HttpClient({ apiUrl: options.apiUrl, tokens, retry, timeouts, trace, got: baseGot });
  // Which video upload path this API answers on (§10): learnt from the first upload.
  let videoUploadSuffix: '/videos/upload' | '/videos' = '/videos/upload';

  const get = async <T>(path: string, read: (body: unknown, r: ApiResponse) => T): Promise<Versioned<T>> => {
    const response = await http.send({ method: 'GET', path, safety: 'idempotent' });
    return { value: read(response.body, response), etag: response.etag };
  };
  const put = async <T>(path: string, value: T, etag: string): Promise<Versioned<T>> => {
    const response = await http.send({
      method: 'PUT',
      path,
      json: value,
      ifMatch: etag,
      safety: 'idempotent',
    });
    // Some endpoints answer with an empty body; the value sent is then what is stored.
    return { value: isObject(response.body) ? (response.body as T) : value, etag: response.etag };
  };
  const del = async (path: string, etag: string): Promise<void> => {
    await http.send({ method: 'DELETE', path, ifMatch: etag, safety: 'idempotent' });
  };
  const upload = (
    request: Omit<ApiRequest, 'upload' | 'safety'> & { safety?: ApiRequest['safety'] },
    file: LocalFile,
    contentType: string,
    onProgress: ProgressListener | undefined,
  ): Promise<ApiResponse> =>
    http.send({
      safety: 'unsafe',
      ...request,
      upload: { path: file.path, size: file.size, contentType, fileName: basename(file.path), onProgress },
    });

  const attach = async (edit: EditRef, fileId: string): Promise<Apk> => {
    const path = `${editPath(edit)}/apks/attach`;
    const startedAt = retry.now();
    let waitMs = attachPoll.initialDelayMs;
    for (;;) {
      try {
        const response = await http.send({ method: 'POST', path, json: { fileId }, safety: 'unsafe' });
        return readApk(response.body, 'POST', path);
      } catch (error) {
        if (!(error instanceof ApiError && error.hasCode('asset_not_ready'))) throw error;
        const elapsed = retry.now() - startedAt;
        if (elapsed + waitMs > attachPoll.maxElapsedMs) {
          throw new AppError(
            'large_upload_not_ready',
            `Amazon was still processing the large upload ${fileId} after ${Math.round(elapsed / 1000)}s; it was not attached.`,
            {
              hint: 'Run apply again later (the APK will be uploaded again), or attach it in the Developer Console.',
            },
          );
        }
        trace(`attach: asset_not_ready, polling again in ${waitMs}ms`);
        await retry.sleep(waitMs);
        waitMs = Math.min(attachPoll.maxDelayMs, waitMs * 2);
      }
    }
  };

  return {
    getActiveEdit: (appId) => get(`${appPath(appId)}/edits`, (body) => readOptionalEdit(body)),
    async createEdit(appId) {
      const path = `${appPath(appId)}/edits`;
      const response = await http.send({ method: 'POST', path, safety: 'unsafe' });
      return { value: readEdit(response.body, 'POST', path), etag: response.etag };
    },
    getEdit: (edit) => get(editPath(edit), (body) => readEdit(body, 'GET', editPath(edit))),
    getPreviousEdit: (appId) => get(`${appPath(appId)}/edits/previous`, (body) => readOptionalEdit(body)),
    deleteEdit: (edit, etag) => del(editPath(edit), etag),
    async validateEdit(edit, etag) {
      const path = `${editPath(edit)}/validate`;
      // Validation changes nothing, so it may be repeated like a GET.
      const response = await http.send({ method: 'POST', path, ifMatch: etag, safety: 'idempotent' });
      return { value: readEdit(response.body, 'POST', path), etag: response.etag };
    },
    async commitEdit(edit, etag) {
      const path = `${editPath(edit)}/commit`;
      const response = await http.send({ method: 'POST', path, ifMatch: etag, safety: 'unsafe' });
      return { value: readEdit(response.body, 'POST', path), etag: response.etag };
    },

    listApks: (edit) =>
      get(`${editPath(edit)}/apks`, (body) => {
        const path = `${editPath(edit)}/apks`;
        if (!Array.isArray(body)) throw unexpected('GET', path, 'expected an array of APKs');
        return body.map((entry) => readApk(entry, 'GET', path));
      }),
    getApk: (edit, apkId) => {
      const path = `${editPath(edit)}/apks/${seg(apkId)}`;
      return get(path, (body) => readApk(body, 'GET', path));
    },
    async uploadApk(edit, file, onProgress) {
      if (file.size >= threshold) {
        const path = `${editPath(edit)}/apks/large/upload`;
        trace(`upload: ${file.size} bytes ≥ ${threshold}, using large upload + attach`);
        const response = await upload({ method: 'POST', path }, file, APK_CONTENT_TYPE, onProgress);
        const fileId = isObject(response.body) ? response.body.fileId : undefined;
        if (typeof fileId !== 'string') throw unexpected('POST', path, 'expected {"fileId": …}');
        return attach(edit, fileId);
      }
      const path = `${editPath(edit)}/apks/upload`;
      const response = await upload({ method: 'POST', path }, file, APK_CONTENT_TYPE, onProgress);
      return readApk(response.body, 'POST', path);
    },
    async replaceApk(edit, apkId, file, etag, onProgress) {
      const path = `${editPath(edit)}/apks/${seg(apkId)}/replace`;
      // A PUT guarded by If-Match: a repeat of a replace that landed gets 412, never a second APK.
      const response = await upload(
        { method: 'PUT', path, ifMatch: etag, safety: 'idempotent' },
        file,
        APK_CONTENT_TYPE,
        onProgress,
      );
      return readApk(response.body, 'PUT', path);
    },
    deleteApk: (edit, apkId, etag) => del(`${editPath(edit)}/apks/${seg(apkId)}`, etag),
    getTargeting: (edit, apkId) => {
      const path = `${editPath(edit)}/apks/${seg(apkId)}/targeting`;
      return get(path, (body) => readObject<Targeting>(body, 'GET', path));
    },
    putTargeting: (edit, apkId, targeting, etag) =>
      put(`${editPath(edit)}/apks/${seg(apkId)}/targeting`, targeting, etag),

    listListings: (edit) =>
      get(`${editPath(edit)}/listings`, (body) => {
        const listings = isObject(body) ? body.listings : undefined;
        if (!isObject(listings))
          throw unexpected('GET', `${editPath(edit)}/listings`, 'expected {"listings": {…}}');
        return listings as Record<string, Listing>;
      }),
    getListing: (edit, language) => {
      const path = listingPath(edit, language);
      return get(path, (body) => readObject<Listing>(body, 'GET', path));
    },
    putListing: (edit, language, listing, etag) => put(listingPath(edit, language), listing, etag),
    deleteListing: (edit, language, etag) => del(listingPath(edit, language), etag),

    getDetails: (edit) => {
      const path = `${editPath(edit)}/details`;
      return get(path, (body) => readObject<Details>(body, 'GET', path));
    },
    putDetails: (edit, details, etag) => put(`${editPath(edit)}/details`, details, etag),
    getAvailability: (edit) => {
      const path = `${editPath(edit)}/availability`;
      return get(path, (body) => (body === undefined ? {} : readObject<Availability>(body, 'GET', path)));
    },
    putAvailability: (edit, availability, etag) => put(`${editPath(edit)}/availability`, availability, etag),

    getImages: (edit, language, type) => {
      const path = `${listingPath(edit, language)}/${seg(type)}`;
      return get(path, (body) => readAssetList(body, 'images', 'GET', path));
    },
    async uploadImage(edit, language, type, file, etag, onProgress) {
      const path = `${listingPath(edit, language)}/${seg(type)}/upload`;
      const response = await upload(
        { method: 'POST', path, ifMatch: etag },
        file,
        ASSET_CONTENT_TYPE,
        onProgress,
      );
      return readUploadedAsset(response.body, 'image', 'POST', path);
    },
    deleteImage: (edit, language, type, imageId, etag) =>
      del(`${listingPath(edit, language)}/${seg(type)}/${seg(imageId)}`, etag),
    deleteAllImages: (edit, language, type, etag) => del(`${listingPath(edit, language)}/${seg(type)}`, etag),

    getVideos: (edit, language) => {
      const path = `${listingPath(edit, language)}/videos`;
      return get(path, (body) => readAssetList(body, 'videos', 'GET', path));
    },
    async uploadVideo(edit, language, file, etag, onProgress) {
      const send = (suffix: string) =>
        upload(
          { method: 'POST', path: `${listingPath(edit, language)}${suffix}`, ifMatch: etag },
          file,
          ASSET_CONTENT_TYPE,
          onProgress,
        );
      let response: ApiResponse;
      try {
        response = await send(videoUploadSuffix);
      } catch (error) {
        // The docs and the clients disagree on the path (§10); a 404/405 means this one is not served.
        const notServed = error instanceof ApiError && (error.status === 404 || error.status === 405);
        if (!notServed || videoUploadSuffix === '/videos') throw error;
        trace(`upload: ${error.status} on /videos/upload, trying /videos`);
        response = await send('/videos');
        videoUploadSuffix = '/videos';
      }
      return readUploadedAsset(
        response.body,
        'video',
        'POST',
        `${listingPath(edit, language)}${videoUploadSuffix}`,
      );
    },
    deleteVideo: (edit, language, videoId, etag) =>
      del(`${listingPath(edit, language)}/videos/${seg(videoId)}`, etag),
    deleteAllVideos: (edit, language, etag) => del(`${listingPath(edit, language)}/videos`, etag),

    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unexpected(method: string, path: string, what: string): ApiError {
  return new ApiError({
    method,
    path,
    status: 200,
    retriable: false,
    unexpected: `the body is not as expected (${what})`,
  });
}

function readObject<T>(body: unknown, method: string, path: string): T {
  if (!isObject(body)) throw unexpected(method, path, 'expected a JSON object');
  return body as T;
}

/** `{}` (or any answer without an id) means "no edit" (§4.1). */
function readOptionalEdit(body: unknown): Edit | null {
  return isObject(body) && typeof body.id === 'string' && body.id !== '' ? (body as unknown as Edit) : null;
}

function readEdit(body: unknown, method: string, path: string): Edit {
  const edit = readOptionalEdit(body);
  if (edit === null) throw unexpected(method, path, 'expected an edit with an id');
  return edit;
}

function readApk(body: unknown, method: string, path: string): Apk {
  if (!isObject(body) || typeof body.id !== 'string')
    throw unexpected(method, path, 'expected an APK with an id');
  // One client's mock returned versionCode as a string (§4.2); the API's is an integer.
  const versionCode = typeof body.versionCode === 'string' ? Number(body.versionCode) : body.versionCode;
  return { ...(body as unknown as Apk), versionCode: versionCode as number };
}

function readAssetList(body: unknown, key: 'images' | 'videos', method: string, path: string): AssetRef[] {
  const list = Array.isArray(body) ? body : isObject(body) ? body[key] : undefined;
  if (list === undefined && isObject(body) && Object.keys(body).length === 0) return [];
  if (!Array.isArray(list)) throw unexpected(method, path, `expected {"${key}": […]}`);
  return list.map((entry) => {
    if (!isObject(entry) || typeof entry.id !== 'string')
      throw unexpected(method, path, 'expected assets with ids');
    return { id: entry.id };
  });
}

/** `{"image": {"id"}}` as the emulator and most clients have it, or a top-level `id` (§14 #7). */
function readUploadedAsset(body: unknown, key: 'image' | 'video', method: string, path: string): AssetRef {
  const nested = isObject(body) ? body[key] : undefined;
  const id = isObject(nested) ? nested.id : isObject(body) ? body.id : undefined;
  if (typeof id !== 'string') throw unexpected(method, path, `expected {"${key}": {"id": …}}`);
  return { id };
}
