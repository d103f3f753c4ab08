// The two error bodies the real service uses (appstore-api.md §4.9 and §2.3). Route handlers throw
// these; the server turns them into responses, so a handler never writes an error by hand.
import { STATUS_CODES } from 'node:http';
import type { ApiErrorBody, ApiErrorEntry } from '../appstore/types.js';

/** An error of the Appstore API proper: `{ httpCode, message, errors: [{ errorCode, errorMessage }] }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: ApiErrorEntry[];

  constructor(status: number, errors: ApiErrorEntry[]) {
    super(errors.map((e) => `${e.errorCode}: ${e.errorMessage}`).join('; '));
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
  }

  static of(status: number, errorCode: string, errorMessage: string): ApiError {
    return new ApiError(status, [{ errorCode, errorMessage }]);
  }

  body(): ApiErrorBody {
    return { httpCode: this.status, message: STATUS_CODES[this.status] ?? 'Error', errors: this.errors };
  }
}

/** A failure of the API gateway in front of the service: capital-M `{ "Message": … }` body. */
export class GatewayError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'GatewayError';
    this.status = status;
  }

  body(): { Message: string } {
    return { Message: this.message };
  }
}

export const NOT_AUTHORIZED = 'Request is not authorized.';

export const badRequest = (code: string, message: string): ApiError => ApiError.of(400, code, message);
export const notFound = (code: string, message: string): ApiError => ApiError.of(404, code, message);
export const forbidden = (code: string, message: string): ApiError => ApiError.of(403, code, message);
