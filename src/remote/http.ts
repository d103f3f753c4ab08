// The HTTP layer under every API call: got with our auth hook, our retry loop, our error mapping.
// got's own retry and HTTP errors are switched off so that every decision (retry or not, refresh the
// token or not, what the error says) is made here and can be tested against the emulator.
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got, type Response } from 'got';
import { AppError } from '../errors/app-error.js';
import { TOOL_VERSION } from '../version.js';
import type { TokenSource } from './auth.js';
import { ApiError, type ApiErrorDetails, displayPath, NEVER_REACHED, parseErrorBody } from './errors.js';
import type { Trace } from './redact.js';
import { decideRetry, parseRetryAfter, type RetryPolicy } from './retry.js';

export interface Timeouts {
  /** TCP (and TLS) connection set-up. */
  connectMs: number;
  /** A whole JSON request, response included. */
  requestMs: number;
  /** A whole upload, response included: uploads of large APKs are slow (clients use 5–17 min). */
  uploadMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 15_000, requestMs: 120_000, uploadMs: 15 * 60_000 };

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/**
 * - `idempotent`: repeating it cannot do harm; retried on 429, 5xx and network errors.
 * - `unsafe` (uploads, create, commit): retried only when the server certainly did not act on it:
 *   a 429 (refused before processing) or a connection that was never established.
 */
export type Safety = 'idempotent' | 'unsafe';

export interface UploadProgress {
  /** Bytes handed to the network so far. */
  sent: number;
  total: number;
}

export interface UploadSource {
  path: string;
  /** Sent as Content-Length; the file must still have this size when the upload starts. */
  size: number;
  contentType: string;
  fileName: string;
  /** Called with increasing `sent`, ending at `total`; a retried attempt starts again from 0. */
  onProgress?: ((progress: UploadProgress) => void) | undefined;
}

export interface ApiRequest {
  method: HttpMethod;
  /** Starts with `/v1/`; relative to the API base URL. */
  path: string;
  ifMatch?: string | undefined;
  json?: unknown;
  upload?: UploadSource;
  safety: Safety;
}

export interface ApiResponse {
  status: number;
  /** The parsed JSON body; undefined for an empty body. */
  body: unknown;
  etag: string | undefined;
}

interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** got with everything automatic switched off: no retry, no thrown HTTP errors, raw bodies. */
export function createBaseGot(agents: Agents, timeouts: Timeouts): Got {
  return got.extend({
    agent: agents,
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: 'buffer',
    timeout: { connect: timeouts.connectMs, request: timeouts.requestMs },
    headers: { 'user-agent': `appstore-release/${TOOL_VERSION}`, accept: 'application/json' },
  });
}

export function createAgents(): Agents {
  return {
    http: new HttpAgent({ keepAlive: true, maxSockets: 16 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 16 }),
  };
}

const CONNECT_PHASES = new Set(['lookup', 'connect', 'secureConnect']);

type Outcome =
  | {
      kind: 'response';
      status: number;
      text: string;
      etag: string | undefined;
      retryAfter: string | undefined;
      bodySent: boolean;
    }
  | { kind: 'network'; code: string; neverConnected: boolean; bodySent: boolean };

export interface HttpClientOptions {
  apiUrl: string;
  tokens: TokenSource;
  retry: RetryPolicy;
  timeouts: Timeouts;
  trace: Trace;
  got: Got;
}

export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #got: Got;
  readonly #host: string;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#host = new URL(options.apiUrl).host;
    this.#got = options.got.extend({
      prefixUrl: options.apiUrl,
      hooks: {
        // The token is fetched by the retry loop (so a token-endpoint failure surfaces as an AuthError,
        // not as a request error) and handed to this hook through the request's context.
        beforeRequest: [
          (request) => {
            const token = request.context.token;
            if (typeof token === 'string') request.headers.authorization = `Bearer ${token}`;
          },
        ],
      },
    });
  }

  /** Send `request`, retrying as its safety allows; resolves on 2xx, otherwise throws ApiError. */
  async send(request: ApiRequest): Promise<ApiResponse> {
    const { retry, tokens, trace } = this.#options;
    const path = displayPath(request.path);
    const startedAt = retry.now();
    let refreshedToken = false;
    let mayHaveLanded = false;
    for (let attempt = 1; ; ) {
      const token = await tokens.get();
      const outcome = await this.#attempt(request, token);
      const fail = (details: Partial<ApiErrorDetails>, retriable: boolean): ApiError =>
        new ApiError({
          method: request.method,
          path,
          status: 0,
          host: this.#host,
          retriable,
          attempts: attempt,
          elapsedMs: retry.now() - startedAt,
          upload: request.upload !== undefined,
          unsafe: request.safety === 'unsafe',
          ...(request.upload === undefined ? {} : { bodySentCompletely: outcome.bodySent }),
          ...(mayHaveLanded ? { earlierAttemptMayHaveLanded: true } : {}),
          ...details,
        });

      if (outcome.kind === 'response') {
        const { status } = outcome;
        if (status >= 200 && status < 300) return this.#success(request, path, outcome);
        const parsed = parseErrorBody(outcome.text);
        // A refused token (401, or a 403 with only the gateway's `Message`, §2.3): refresh once.
        const tokenRefused =
          status === 401 ||
          (status === 403 && parsed.errors.length === 0 && parsed.gatewayMessage !== undefined);
        if (tokenRefused && !refreshedToken) {
          refreshedToken = true;
          tokens.invalidate(token);
          trace(`${status} ${request.method} ${path}: token refused, refreshing it and retrying once`);
          continue;
        }
        const retryAfterMs = parseRetryAfter(outcome.retryAfter, Date.now());
        const retriable = status === 429 || (status >= 500 && request.safety === 'idempotent');
        const error = () =>
          fail(
            {
              status,
              errors: parsed.errors,
              ...(parsed.gatewayMessage === undefined ? {} : { gatewayMessage: parsed.gatewayMessage }),
              ...(parsed.bodyExcerpt === undefined ? {} : { bodyExcerpt: parsed.bodyExcerpt }),
              ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
            },
            retriable,
          );
        if (!retriable) throw error();
        const decision = decideRetry(retry, attempt, startedAt, retryAfterMs);
        if (!decision.retry) throw error();
        if (status >= 500 && request.method !== 'GET') mayHaveLanded = true;
        trace(`retry ${attempt + 1}/${retry.maxAttempts} in ${decision.delayMs}ms after ${status}`);
        await retry.sleep(decision.delayMs);
        attempt++;
        continue;
      }

      const retriable = request.safety === 'idempotent' || outcome.neverConnected;
      const error = () => fail({ status: 0, networkCode: outcome.code }, retriable);
      if (!retriable) throw error();
      const decision = decideRetry(retry, attempt, startedAt, undefined);
      if (!decision.retry) throw error();
      if (!outcome.neverConnected && request.method !== 'GET') mayHaveLanded = true;
      trace(`retry ${attempt + 1}/${retry.maxAttempts} in ${decision.delayMs}ms after ${outcome.code}`);
      await retry.sleep(decision.delayMs);
      attempt++;
    }
  }

  #success(
    request: ApiRequest,
    path: string,
    outcome: { status: number; text: string; etag: string | undefined },
  ): ApiResponse {
    const text = outcome.text.trim();
    if (text === '') return { status: outcome.status, body: undefined, etag: outcome.etag };
    try {
      return { status: outcome.status, body: JSON.parse(text), etag: outcome.etag };
    } catch {
      throw new ApiError({
        method: request.method,
        path,
        status: outcome.status,
        host: this.#host,
        retriable: false,
        unexpected: 'the body is not JSON',
        bodyExcerpt: text,
      });
    }
  }

  async #attempt(request: ApiRequest, token: string): Promise<Outcome> {
    const { trace, timeouts } = this.#options;
    const { method, upload, ifMatch } = request;
    const path = displayPath(request.path);
    const headers: Record<string, string> = {};
    if (ifMatch !== undefined) headers['if-match'] = ifMatch;
    let stream: ReadStream | undefined;
    if (upload !== undefined) {
      await assertUnchangedSize(upload);
      headers['content-type'] = upload.contentType;
      headers['content-length'] = String(upload.size);
      headers.filename = upload.fileName;
      // Opened per attempt: a retried upload re-reads the file from the start.
      stream = createReadStream(upload.path, { highWaterMark: 256 * 1024 });
    }
    const began = performance.now(); // for the trace only; budgets use the policy clock
    trace(
      `→ ${method} ${path}${ifMatch === undefined ? '' : ` If-Match=${ifMatch}`}` +
        (upload === undefined ? '' : ` (${upload.size} bytes, ${upload.contentType})`),
    );
    let bodySent = false;
    const pending = this.#got(request.path.replace(/^\/+/, ''), {
      method,
      headers,
      context: { token },
      ...(request.json === undefined ? {} : { json: request.json }),
      ...(stream === undefined ? {} : { body: stream }),
      ...(upload === undefined
        ? {}
        : { timeout: { connect: timeouts.connectMs, request: timeouts.uploadMs } }),
    });
    pending.on('request', (clientRequest) => {
      // 'finish': the whole body (or, without one, the request head) was handed to the socket.
      clientRequest.once('finish', () => {
        bodySent = true;
      });
    });
    let lastProgress = -1;
    const reportProgress = (sent: number) => {
      if (upload?.onProgress !== undefined && sent > lastProgress) {
        lastProgress = sent;
        upload.onProgress({ sent, total: upload.size });
      }
    };
    if (upload?.onProgress !== undefined) {
      pending.on('uploadProgress', (progress: { transferred: number }) =>
        reportProgress(progress.transferred),
      );
    }
    try {
      const response = (await pending) as unknown as Response<Buffer>;
      // got may resolve before its last uploadProgress event; a fully sent body has sent every byte.
      if (upload !== undefined && bodySent) reportProgress(upload.size);
      const etag = header(response.headers.etag);
      const ms = Math.round(performance.now() - began);
      const text = Buffer.isBuffer(response.body)
        ? response.body.toString('utf8')
        : String(response.body ?? '');
      const codes = response.statusCode >= 400 ? parseErrorBody(text).errors.map((e) => e.errorCode) : [];
      trace(
        `← ${response.statusCode} ${method} ${path} ${ms}ms${etag === undefined ? '' : ` etag=${etag}`}` +
          (codes.length > 0 ? ` (${codes.join(', ')})` : ''),
      );
      return {
        kind: 'response',
        status: response.statusCode,
        text,
        etag,
        retryAfter: header(response.headers['retry-after']),
        bodySent: bodySent || upload === undefined,
      };
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERR_UNKNOWN';
      const event = (error as { event?: string }).event;
      const neverConnected =
        NEVER_REACHED.has(code) || (code === 'ETIMEDOUT' && event !== undefined && CONNECT_PHASES.has(event));
      trace(
        `✗ ${method} ${path} ${code} after ${Math.round(performance.now() - began)}ms` +
          (upload === undefined ? '' : ` (body sent completely: ${bodySent ? 'yes' : 'no'})`),
      );
      return { kind: 'network', code, neverConnected, bodySent };
    } finally {
      stream?.destroy();
    }
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function assertUnchangedSize(upload: UploadSource): Promise<void> {
  const actual = (await stat(upload.path)).size;
  if (actual !== upload.size) {
    throw new AppError(
      'upload_file_changed',
      `${upload.path} is ${actual} bytes, but ${upload.size} were expected: the file changed since it was read.`,
      { hint: 'Do not rebuild files while appstore-release runs; plan again.' },
    );
  }
}
