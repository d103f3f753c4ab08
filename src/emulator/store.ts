// The emulator's state: apps with their live version and open edit, credentials, issued tokens and the
// request log. Pure in memory; loaded from a seed and dumped to the same shape. The edit lifecycle
// (appstore-api.md §6.2) lives here because both the API and the admin endpoints drive it.
import { randomBytes } from 'node:crypto';
import { ApiError } from './api-errors.js';
import { EtagBook, type EtagMode } from './etags.js';
import { IdFactory } from './ids.js';
import { type AppRecord, cloneSnapshot, type EditRecord } from './model.js';
import {
  appFromSeed,
  appToSeed,
  DEMO_CREDENTIAL,
  type EmulatorDump,
  type SeedCredential,
  type SeedFile,
  validateSeed,
} from './seed.js';

export interface StoreOptions {
  etagMode: EtagMode;
  /** Access-token lifetime; fractions allowed. */
  tokenTtlSeconds: number;
  /** Milliseconds since the epoch; injectable so tests can expire tokens and uploads without waiting. */
  clock: () => number;
  /** Seed of the deterministic id generator. */
  idSeed: string;
}

/** One API or token request as the server saw it (admin requests are not logged). */
export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Operation name from the endpoint table (`replaceApk`, `token`, …), or null for an unknown path. */
  operation: string | null;
  /** The status sent, or null when no response was sent (connection reset or client gone). */
  status: number | null;
  /** Request body bytes the server read. */
  bytesIn: number;
  /** The injected fault that decided this request's fate, if any. */
  fault: string | null;
  /** Injected delay before handling (latency fault), in ms; 0 when none. */
  injectedLatencyMs: number;
  /** Injected body read rate (slow-upload fault), in bytes per second; 0 when unthrottled. */
  throttleBytesPerSecond: number;
  /** True when the handler ran to the end (its state change, if any, happened). */
  processed: boolean;
  startedAt: number;
  durationMs: number;
}

const MAX_LOG_ENTRIES = 10_000;

export class EmulatorStore {
  readonly etagMode: EtagMode;
  readonly ids: IdFactory;
  readonly clock: () => number;
  tokenTtlSeconds: number;
  #seed: SeedFile;
  #apps = new Map<string, AppRecord>();
  #credentials: SeedCredential[] = [];
  readonly #tokens = new Map<string, { clientId: string; expiresAt: number }>();
  #requests: RequestLogEntry[] = [];
  #requestSeq = 0;

  constructor(seed: SeedFile, options: StoreOptions) {
    this.etagMode = options.etagMode;
    this.ids = new IdFactory(options.idSeed);
    this.clock = options.clock;
    this.tokenTtlSeconds = options.tokenTtlSeconds;
    this.#seed = structuredClone(validateSeed(seed));
    this.#build();
  }

  #build(): void {
    this.ids.reset();
    this.#credentials = structuredClone(this.#seed.credentials ?? [{ ...DEMO_CREDENTIAL }]);
    this.#apps = new Map(
      this.#seed.apps.map((app) => [app.appId, appFromSeed(app, { ids: this.ids, etagMode: this.etagMode })]),
    );
  }

  /** Replaces the whole state with a new seed (which `reset` then returns to). */
  load(seed: SeedFile): void {
    this.#seed = structuredClone(validateSeed(seed));
    this.reset();
  }

  /** Back to the seed: apps, credentials, id counters and the request log. Issued tokens stay valid. */
  reset(): void {
    this.#build();
    this.clearRequests();
  }

  dump(): EmulatorDump {
    return {
      credentials: structuredClone(this.#credentials),
      apps: [...this.#apps.values()].map((app) => appToSeed(app)),
    };
  }

  app(appId: string): AppRecord | undefined {
    return this.#apps.get(appId);
  }

  apps(): AppRecord[] {
    return [...this.#apps.values()];
  }

  // --- credentials and tokens ---------------------------------------------------------------------

  credential(clientId: string): SeedCredential | undefined {
    return this.#credentials.find((c) => c.clientId === clientId);
  }

  issueToken(clientId: string): { accessToken: string; expiresIn: number } {
    const accessToken = `Atc|${randomBytes(24).toString('base64url')}`;
    this.#tokens.set(accessToken, { clientId, expiresAt: this.clock() + this.tokenTtlSeconds * 1000 });
    return { accessToken, expiresIn: Math.max(1, Math.round(this.tokenTtlSeconds)) };
  }

  tokenValid(token: string): boolean {
    const entry = this.#tokens.get(token);
    if (entry === undefined) return false;
    if (entry.expiresAt <= this.clock()) {
      this.#tokens.delete(token);
      return false;
    }
    return true;
  }

  /** Makes every issued token invalid, as if an hour had passed. */
  expireTokens(): void {
    this.#tokens.clear();
  }

  // --- request log ---------------------------------------------------------------------------------

  nextRequestSeq(): number {
    this.#requestSeq += 1;
    return this.#requestSeq;
  }

  logRequest(entry: RequestLogEntry): void {
    this.#requests.push(entry);
    if (this.#requests.length > MAX_LOG_ENTRIES)
      this.#requests.splice(0, this.#requests.length - MAX_LOG_ENTRIES);
  }

  requests(): readonly RequestLogEntry[] {
    return this.#requests;
  }

  clearRequests(): void {
    this.#requests = [];
  }

  // --- edit lifecycle ------------------------------------------------------------------------------

  /** createEdit: a new IN_PROGRESS edit holding a copy of the live version. */
  createEdit(app: AppRecord): EditRecord {
    if (app.openEdit?.status === 'REVIEW') throw cannotCreate('A version of this app is under review.');
    if (app.openEdit !== null) {
      throw ApiError.of(
        409,
        'error_edit_already_exists',
        `An open edit already exists for this app: ${app.openEdit.id}.`,
      );
    }
    if (app.state !== 'LIVE' || app.liveEdit === null) throw cannotCreate(`The app is ${app.state}.`);
    const id = this.ids.editId();
    const edit: EditRecord = {
      id,
      status: 'IN_PROGRESS',
      snapshot: cloneSnapshot(app.liveEdit.snapshot),
      etags: new EtagBook(id, this.etagMode),
    };
    app.openEdit = edit;
    return edit;
  }

  /** commitEdit after validation passed: the edit goes to REVIEW (writes are refused from now on). */
  submitForReview(edit: EditRecord): void {
    edit.status = 'REVIEW';
    edit.etags.bump([]);
  }

  /** Admin: the review passed. The edit becomes the live version; the app has no open edit. */
  approve(app: AppRecord): EditRecord {
    const edit = app.openEdit;
    if (edit === null || edit.status !== 'REVIEW') {
      throw ApiError.of(409, 'emulator_no_edit_in_review', 'The app has no edit in REVIEW to approve.');
    }
    edit.status = 'LIVE';
    edit.etags.bump([]);
    app.liveEdit = edit;
    app.openEdit = null;
    app.state = 'LIVE';
    for (const apk of edit.snapshot.apks) app.releasedVersionCodes.add(apk.versionCode);
    return edit;
  }

  /** Admin: the review failed. The edit is discarded, or reopened as IN_PROGRESS (the real path is unknown). */
  reject(app: AppRecord, reopen: boolean): void {
    const edit = app.openEdit;
    if (edit === null || edit.status !== 'REVIEW') {
      throw ApiError.of(409, 'emulator_no_edit_in_review', 'The app has no edit in REVIEW to reject.');
    }
    if (reopen) {
      edit.status = 'IN_PROGRESS';
      edit.etags.bump([]);
    } else {
      app.openEdit = null;
    }
  }
}

function cannotCreate(why: string): ApiError {
  return ApiError.of(
    412,
    'error_new_version_creation_not_allowed',
    `Cannot create a new 'edit' for the app in it's current state. ${why}`,
  );
}
