import { AppError } from '../errors/app-error.js';

/** Why an APK could not be read. Stable strings: tests, JSON output and docs refer to them. */
export type ApkErrorCode =
  | 'APK_NOT_FOUND'
  | 'APK_UNREADABLE'
  | 'APK_EMPTY'
  | 'APK_NOT_ZIP'
  | 'APK_TRUNCATED'
  | 'APK_CORRUPT_ZIP'
  | 'APK_IS_AAB'
  | 'APK_NO_MANIFEST'
  | 'APK_ENTRY_TOO_LARGE'
  | 'APK_UNSUPPORTED_ENTRY'
  | 'APK_CORRUPT_MANIFEST'
  | 'APK_CORRUPT_RESOURCES'
  | 'APK_NO_PACKAGE'
  | 'APK_NO_VERSION_CODE';

/** An APK the user pointed us at cannot be used; the message names the file, the hint what to do. */
export class ApkError extends AppError {
  declare readonly code: ApkErrorCode;

  constructor(code: ApkErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'ApkError';
  }
}
