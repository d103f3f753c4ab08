/**
 * An error a user can act on: what went wrong, where, and what to do. The CLI prints these without a
 * stack trace; anything else that escapes is a bug and is reported as one.
 */
export class AppError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
  }
}
