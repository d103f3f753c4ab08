// The remote side of the pipeline: a typed client of the App Submission API and the reader that turns
// an app's edit into a RemoteState.
export type {
  AppstoreApi,
  AttachPollOptions,
  ClientOptions,
  EditRef,
  LocalFile,
  ProgressListener,
} from './api.js';
export { createAppstoreApi, DEFAULT_ATTACH_POLL } from './api.js';
export { AuthError, DEFAULT_REFRESH_MARGIN_SECONDS, TOKEN_SCOPE } from './auth.js';
export type { Credentials } from './credentials.js';
export { CLIENT_ID_VARIABLE, CLIENT_SECRET_VARIABLE, readCredentials } from './credentials.js';
export { ApiError, ERROR_CODE_ADVICE } from './errors.js';
export type { FetchStateOptions } from './fetch-state.js';
export { DEFAULT_FETCH_CONCURRENCY, fetchRemoteState } from './fetch-state.js';
export type { Timeouts, UploadProgress } from './http.js';
export { DEFAULT_TIMEOUTS } from './http.js';
export { Redactor, redact } from './redact.js';
export type {
  AssetScope,
  RemoteApk,
  RemoteListing,
  RemoteSource,
  RemoteState,
  Versioned,
} from './remote-state.js';
export type { RetryPolicy } from './retry.js';
export { DEFAULT_RETRY_POLICY } from './retry.js';
