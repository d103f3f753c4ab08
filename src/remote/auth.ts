// Login with Amazon, client-credentials grant (appstore-api.md §2): one token per process, reused
// until shortly before it expires, replaced after the API refuses it.
import type { Got } from 'got';
import { AppError } from '../errors/app-error.js';
import type { Credentials } from './credentials.js';
import type { Redactor, Trace } from './redact.js';
import { decideRetry, parseRetryAfter, type RetryPolicy } from './retry.js';

export const TOKEN_SCOPE = 'appstore::apps:readwrite';
/** Refresh this long before expiry: an upload started just before expiry outlives the token. */
export const DEFAULT_REFRESH_MARGIN_SECONDS = 300;
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

const OAUTH_ADVICE: Readonly<Record<string, { sentence: string; hint: string }>> = {
  invalid_client: {
    sentence: 'the client id or secret is wrong',
    hint: 'Copy AMAZON_APPSTORE_CLIENT_ID and AMAZON_APPSTORE_CLIENT_SECRET again from the security profile (Web Settings).',
  },
  invalid_scope: {
    sentence: 'the security profile may not use the App Submission API',
    hint: 'Attach the security profile to the App Submission API in the Developer Console (API Access).',
  },
  unauthorized_client: {
    sentence: 'this security profile may not use the client-credentials grant',
    hint: 'Use the security profile attached to the App Submission API in the Developer Console (API Access).',
  },
  invalid_request: {
    sentence: 'the token request was malformed',
    hint: 'Check that --token-url points at a Login with Amazon token endpoint.',
  },
  unsupported_grant_type: {
    sentence: 'the token endpoint does not accept the client-credentials grant',
    hint: 'Check that --token-url points at a Login with Amazon token endpoint.',
  },
};

export class AuthError extends AppError {
  /** The OAuth `error` code of the token endpoint, when it sent one. */
  readonly oauthError: string | undefined;
  /** HTTP status of the token endpoint, 0 when it could not be reached. */
  readonly status: number;

  constructor(message: string, options: { oauthError?: string; status: number; hint?: string }) {
    super(options.oauthError === undefined ? 'auth_failed' : `auth_${options.oauthError}`, message, {
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
    this.name = 'AuthError';
    this.oauthError = options.oauthError;
    this.status = options.status;
  }
}

export interface TokenSourceOptions {
  tokenUrl: string;
  credentials: Credentials;
  /** The base got instance (retry off, errors not thrown, buffer bodies). */
  got: Got;
  retry: RetryPolicy;
  trace: Trace;
  redactor: Redactor;
  refreshMarginSeconds?: number;
  /** Epoch milliseconds; injectable so expiry can be tested without waiting an hour. */
  clock?: () => number;
}

interface CachedToken {
  token: string;
  refreshAt: number;
}

export class TokenSource {
  readonly #options: TokenSourceOptions;
  readonly #clock: () => number;
  readonly #marginMs: number;
  #current: CachedToken | undefined;
  #pending: Promise<string> | undefined;

  constructor(options: TokenSourceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#marginMs = (options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS) * 1000;
    options.redactor.add(options.credentials.clientSecret);
  }

  /** A valid token: the cached one, or a new one when none is cached or it is about to expire. */
  async get(): Promise<string> {
    const current = this.#current;
    if (current !== undefined && this.#clock() < current.refreshAt) return current.token;
    if (current !== undefined) this.#options.trace('token: refreshing before expiry');
    // Concurrent callers share one token request.
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /**
   * Forget `token` after the API refused it. Only that token: when parallel requests all get a 401
   * for the same token, the first invalidates it and the others reuse its replacement.
   */
  invalidate(token: string): void {
    if (this.#current?.token === token) this.#current = undefined;
  }

  async #fetch(): Promise<string> {
    const { tokenUrl, credentials, got, retry, trace, redactor } = this.#options;
    const url = new URL(tokenUrl);
    const label = `POST ${url.host}${url.pathname}`;
    const startedAt = retry.now();
    for (let attempt = 1; ; attempt++) {
      const began = performance.now(); // for the trace only; budgets use the policy clock
      trace(`→ ${label} (client-credentials grant)`);
      let status: number;
      let text: string;
      let retryAfterMs: number | undefined;
      try {
        const response = await got.post(url, {
          form: {
            grant_type: 'client_credentials',
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
            scope: TOKEN_SCOPE,
          },
        });
        status = response.statusCode;
        text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body);
        retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'unknown';
        trace(`✗ ${label} ${code} ${Math.round(performance.now() - began)}ms`);
        const decision = decideRetry(retry, attempt, startedAt, undefined);
        if (decision.retry) {
          trace(`retry ${attempt + 1}/${retry.maxAttempts} in ${decision.delayMs}ms after ${code}`);
          await retry.sleep(decision.delayMs);
          continue;
        }
        throw new AuthError(`Could not get an access token: could not reach ${url.host} (${code}).`, {
          status: 0,
          hint: `Is --token-url right? It is ${url.origin}${url.pathname}.`,
        });
      }
      trace(`← ${status} ${label} ${Math.round(performance.now() - began)}ms`);
      if (status === 429 || status >= 500) {
        const decision = decideRetry(retry, attempt, startedAt, retryAfterMs);
        if (decision.retry) {
          trace(`retry ${attempt + 1}/${retry.maxAttempts} in ${decision.delayMs}ms after ${status}`);
          await retry.sleep(decision.delayMs);
          continue;
        }
      }
      if (status >= 200 && status < 300) return this.#accept(text, status);
      throw tokenError(status, text, redactor);
    }
  }

  #accept(text: string, status: number): string {
    const body = parseJsonObject(text);
    const token = body?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new AuthError(`The token endpoint answered ${status} without an access_token.`, {
        status,
        hint: 'Check that --token-url points at a Login with Amazon token endpoint.',
      });
    }
    this.#options.redactor.add(token);
    const expiresIn =
      typeof body?.expires_in === 'number' && body.expires_in > 0
        ? body.expires_in
        : DEFAULT_EXPIRES_IN_SECONDS;
    // A token shorter-lived than the margin is still used for half its life, not fetched per request.
    const lifetimeMs = Math.max(expiresIn * 1000 - this.#marginMs, (expiresIn * 1000) / 2);
    this.#current = { token, refreshAt: this.#clock() + lifetimeMs };
    this.#options.trace(`token: expires in ${expiresIn}s, refreshed after ${Math.round(lifetimeMs / 1000)}s`);
    return token;
  }
}

function tokenError(status: number, text: string, redactor: Redactor): AuthError {
  const body = parseJsonObject(text);
  const code = typeof body?.error === 'string' ? body.error : undefined;
  const description =
    typeof body?.error_description === 'string' ? redactor.redact(body.error_description) : undefined;
  const known = code === undefined ? undefined : OAUTH_ADVICE[code];
  if (known !== undefined) {
    return new AuthError(
      `Login with Amazon refused the credentials: ${known.sentence} (${code}${description ? `: ${description}` : ''}).`,
      { oauthError: code, status, hint: known.hint },
    );
  }
  const what = code === undefined ? '' : ` (${code}${description ? `: ${description}` : ''})`;
  return new AuthError(`The token endpoint answered ${status}${what}.`, {
    ...(code === undefined ? {} : { oauthError: code }),
    status,
    hint:
      status >= 500 ? 'Login with Amazon failed: try again later.' : 'Check --token-url and the credentials.',
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
