export { ApkError, type ApkErrorCode } from './apk-error.js';
export type { OpenRandomAccessFile, RandomAccessFile } from './random-access-file.js';
export { type ReadApkOptions, readApk } from './read-apk.js';
export type { ApkInfo } from './types.js';
