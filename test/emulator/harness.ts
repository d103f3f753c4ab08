// Shared helpers of the emulator contract tests: a running emulator per test, a token, and a thin
// wrapper over the global fetch (deliberately not our own client: these tests pin the wire contract).
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { afterEach } from 'vitest';
import {
  DEMO_CREDENTIAL,
  type EmulatorOptions,
  type RunningEmulator,
  type SeedFile,
  startEmulator,
} from '../../src/emulator/index.js';

export const APP_ID = 'amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef';
export const FIRE_TV_STICK_4K = 'amzn1.appstore.device.177APHJPEZKTD';
export const FIRE_HD_10 = 'amzn1.appstore.device.2M8RJ5WQ9DKE3';
export const FIRE_HD_8 = 'amzn1.appstore.device.1XG7TR0V4NPQ8';
export const NON_AMAZON = 'amzn1.appstore.device.0NONAMZANDROID';

const root = new URL('../../', import.meta.url);
export const fixture = (path: string): Buffer => readFileSync(new URL(path, root));
export const demoSeed = (): SeedFile =>
  JSON.parse(fixture('fixtures/seeds/demo.json').toString('utf8')) as SeedFile;

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

export interface Session {
  emulator: RunningEmulator;
  token: string;
  /** `${apiUrl}/v1/applications/${APP_ID}` */
  app: string;
  /** A request to the API with the bearer token; `path` is relative to `app` unless it starts with http. */
  call(
    method: string,
    path: string,
    init?: { body?: RequestInit['body']; headers?: Record<string, string>; json?: unknown },
  ): Promise<Response>;
  /** GET that must succeed; returns the JSON body and the ETag. */
  get<T = unknown>(path: string): Promise<{ body: T; etag: string }>;
  /** Creates the edit and returns its id and `${app}/edits/${id}` relative path. */
  openEdit(): Promise<{ id: string; path: string }>;
  admin(method: string, path: string, json?: unknown): Promise<Response>;
}

export async function requestToken(tokenUrl: string): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEMO_CREDENTIAL.clientId,
      client_secret: DEMO_CREDENTIAL.clientSecret,
      scope: 'appstore::apps:readwrite',
    }),
  });
  if (response.status !== 200) throw new Error(`token: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function startSession(options: EmulatorOptions = {}): Promise<Session> {
  const emulator = await startEmulator({ seed: demoSeed(), largeUploadReadyAfterMs: 0, ...options });
  running.push(emulator);
  const token = await requestToken(emulator.tokenUrl);
  const app = `${emulator.apiUrl}/v1/applications/${APP_ID}`;
  const call: Session['call'] = (method, path, init = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
    let body: RequestInit['body'] = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    return fetch(path.startsWith('http') ? path : `${app}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
  };
  const session: Session = {
    emulator,
    token,
    app,
    call,
    async get<T>(path: string) {
      const response = await call('GET', path);
      if (response.status !== 200)
        throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      const etag = response.headers.get('etag');
      if (etag === null) throw new Error(`GET ${path}: no ETag`);
      return { body: (await response.json()) as T, etag };
    },
    async openEdit() {
      const response = await call('POST', '/edits');
      if (response.status !== 200) throw new Error(`createEdit: ${response.status} ${await response.text()}`);
      const { id } = (await response.json()) as { id: string };
      return { id, path: `/edits/${id}` };
    },
    admin(method, path, json) {
      return fetch(`${emulator.adminUrl}${path}`, {
        method,
        ...(json === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
      });
    },
  };
  return session;
}

/** The §4.9 error body. */
export interface ErrorBody {
  httpCode: number;
  message: string;
  errors: { errorCode: string; errorMessage: string }[];
}

export async function errorCodes(response: Response): Promise<string[]> {
  const body = (await response.json()) as ErrorBody;
  return body.errors.map((e) => e.errorCode);
}

/** A valid PNG of the given size (solid grey, 8-bit greyscale). */
export function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let row = 0; row < height; row += 1) raw[row * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Sets new release notes on every listing of the edit (what validation wants of a new version). */
export async function writeReleaseNotes(
  session: Session,
  editPath: string,
  notes = 'Faster sync.',
): Promise<void> {
  const { body } = await session.get<{ listings: Record<string, Record<string, unknown>> }>(
    `${editPath}/listings`,
  );
  for (const language of Object.keys(body.listings)) {
    const { body: listing, etag } = await session.get<Record<string, unknown>>(
      `${editPath}/listings/${language}`,
    );
    const response = await session.call('PUT', `${editPath}/listings/${language}`, {
      json: { ...listing, recentChanges: `${notes} (${language})` },
      headers: { 'if-match': etag },
    });
    if (response.status !== 200)
      throw new Error(`PUT listing ${language}: ${response.status} ${await response.text()}`);
  }
}

/** Commits the edit with a fresh edit ETag; returns the response. */
export async function commit(session: Session, editPath: string): Promise<Response> {
  const { etag } = await session.get(editPath);
  return session.call('POST', `${editPath}/commit`, { headers: { 'if-match': etag } });
}
