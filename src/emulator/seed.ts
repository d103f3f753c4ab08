// The seed file: the emulator's whole state as hand-writable JSON (documented in README.md). Loading
// validates it (schema, then cross-checks such as device ids), and `dumpApp` writes the same shape
// back, so dump → seed round-trips. Server-side facts that the API never shows (hashes, sizes,
// image dimensions) sit under a separate `serverHashes` key and are optional on input.
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import type { Availability, Details, ImageType, ListingText } from '../appstore/types.js';
import { IMAGE_TYPES } from '../appstore/types.js';
import { AppError } from '../errors/app-error.js';
import { findDevice } from './devices.js';
import { EtagBook, type EtagMode } from './etags.js';
import { fakeSha256, type IdFactory } from './ids.js';
import { canonicalLocale } from './locales.js';
import {
  APP_STATES,
  type ApkRecord,
  type AppRecord,
  type AppState,
  type AssetRecord,
  type EditRecord,
  type ListingRecord,
  type Snapshot,
} from './model.js';

export interface SeedCredential {
  clientId: string;
  clientSecret: string;
  /** False: the security profile is not attached to the App Submission API (token → `invalid_scope`). */
  attached?: boolean;
}

export interface SeedApk {
  /** Generated (13 upper-case alphanumerics) when absent. */
  id?: string;
  /** `APK<n>` when absent. */
  name?: string;
  versionCode: number;
  /** DRM choice; null = none (fails validation). Default true. */
  drm?: boolean | null;
  /** Targeted device ids only; every other device is NOT_TARGETING, or DISABLED by `features`. */
  targeting?: { amazonDevices?: string[]; nonAmazonDevices?: string[] };
  /** Features the APK requires (e.g. `android.software.leanback`). */
  features?: string[];
  /** Amazon generated this APK from an AAB: replace fails with `error_invalid_asset_id`. Default false. */
  amazonGenerated?: boolean;
}

export interface SeedListing extends Partial<ListingText> {
  images?: Partial<Record<ImageType, string[]>>;
  videos?: string[];
}

export interface SeedSnapshot {
  apks?: SeedApk[];
  /** Keyed by locale, `en-US` or `en_US`. */
  listings?: Record<string, SeedListing>;
  details: Details;
  availability?: Availability;
}

export interface SeedEdit {
  id?: string;
  status: 'IN_PROGRESS' | 'REVIEW';
  snapshot: SeedSnapshot;
}

export interface SeedAssetFacts {
  kind: 'image' | 'video';
  sha256: string;
  size: number;
  format?: string;
  width?: number;
  height?: number;
}

export interface SeedServerHashes {
  /** By asset id. Assets not listed get a fake sha256. */
  assets?: Record<string, SeedAssetFacts>;
  /** By versionCode (unique per app). APKs not listed get a fake sha256. */
  apks?: Record<string, { sha256: string; size: number }>;
}

export interface SeedApp {
  appId: string;
  /** Default: LIVE when `live` is given, else NOT_PUBLISHED. */
  state?: AppState;
  /** Id of the edit that made the live version (what `/edits/previous` returns). Generated when absent. */
  liveEditId?: string;
  live?: SeedSnapshot | null;
  openEdit?: SeedEdit | null;
  /** versionCodes released before (besides the live ones), for the uniqueness rule. */
  releasedVersionCodes?: number[];
  serverHashes?: SeedServerHashes;
}

export interface SeedFile {
  /** Default: the demo credential (DEMO_CREDENTIAL). */
  credentials?: SeedCredential[];
  apps: SeedApp[];
}

/** An app as dumped: a seed entry with every id and server-side fact filled in. */
export interface DumpedApp extends SeedApp {
  state: AppState;
  live: SeedSnapshot | null;
  openEdit: SeedEdit | null;
  releasedVersionCodes: number[];
  serverHashes: Required<SeedServerHashes>;
}

/** A dump is a valid seed: `startEmulator({ seed: dump })` recreates the state. */
export interface EmulatorDump extends SeedFile {
  credentials: SeedCredential[];
  apps: DumpedApp[];
}

export const DEMO_CREDENTIAL: Readonly<SeedCredential> = {
  clientId: 'amzn1.application-oa2-client.demo',
  clientSecret: 'amzn1.oa2-cs.v1.demo',
};

const stringArray = { type: 'array', items: { type: 'string' } } as const;

const SNAPSHOT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['details'],
  properties: {
    apks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['versionCode'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
          name: { type: 'string', minLength: 1 },
          versionCode: { type: 'integer', minimum: 1 },
          drm: { type: ['boolean', 'null'] },
          targeting: {
            type: 'object',
            additionalProperties: false,
            properties: { amazonDevices: stringArray, nonAmazonDevices: stringArray },
          },
          features: stringArray,
          amazonGenerated: { type: 'boolean' },
        },
      },
    },
    listings: {
      type: 'object',
      propertyNames: { pattern: '^[a-z]{2}[-_][A-Z]{2}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: { type: 'string' },
          shortDescription: { type: 'string' },
          fullDescription: { type: 'string' },
          recentChanges: { type: 'string' },
          featureBullets: stringArray,
          keywords: stringArray,
          images: {
            type: 'object',
            propertyNames: { enum: [...IMAGE_TYPES] },
            additionalProperties: stringArray,
          },
          videos: stringArray,
        },
      },
    },
    details: {
      type: 'object',
      additionalProperties: false,
      required: ['defaultLanguage'],
      properties: {
        defaultLanguage: { type: 'string', pattern: '^[a-z]{2}[-_][A-Z]{2}$' },
        contactEmail: { type: 'string' },
        contactWebsite: { type: 'string' },
        contactPhone: { type: 'string' },
      },
    },
    availability: {
      type: 'object',
      additionalProperties: false,
      properties: {
        publishingDate: {
          type: 'object',
          additionalProperties: false,
          required: ['dateTime', 'zoneId'],
          properties: { dateTime: { type: 'string' }, zoneId: { type: 'string' } },
        },
      },
    },
  },
} as const;

const SEED_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apps'],
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    credentials: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['clientId', 'clientSecret'],
        properties: {
          clientId: { type: 'string', minLength: 1 },
          clientSecret: { type: 'string', minLength: 1 },
          attached: { type: 'boolean' },
        },
      },
    },
    apps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['appId'],
        properties: {
          appId: { type: 'string', minLength: 1 },
          state: { enum: [...APP_STATES] },
          liveEditId: { type: 'string', minLength: 1 },
          // Object keywords (required, properties) do not apply to null, so `type` alone admits null.
          live: { ...SNAPSHOT_SCHEMA, type: ['object', 'null'] },
          openEdit: {
            type: ['object', 'null'],
            additionalProperties: false,
            required: ['status', 'snapshot'],
            properties: {
              id: { type: 'string', minLength: 1 },
              status: { enum: ['IN_PROGRESS', 'REVIEW'] },
              snapshot: SNAPSHOT_SCHEMA,
            },
          },
          releasedVersionCodes: { type: 'array', items: { type: 'integer', minimum: 1 } },
          serverHashes: {
            type: 'object',
            additionalProperties: false,
            properties: {
              assets: {
                type: 'object',
                additionalProperties: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['kind', 'sha256', 'size'],
                  properties: {
                    kind: { enum: ['image', 'video'] },
                    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
                    size: { type: 'integer', minimum: 0 },
                    format: { type: 'string' },
                    width: { type: 'integer', minimum: 0 },
                    height: { type: 'integer', minimum: 0 },
                  },
                },
              },
              apks: {
                type: 'object',
                propertyNames: { pattern: '^[0-9]+$' },
                additionalProperties: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['sha256', 'size'],
                  properties: {
                    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
                    size: { type: 'integer', minimum: 0 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

let compiled: ReturnType<Ajv['compile']> | undefined;

function invalid(problems: string[], origin: string): AppError {
  return new AppError(
    'EMULATOR_SEED_INVALID',
    `Emulator seed ${origin} is invalid:\n  ${problems.join('\n  ')}`,
    {
      hint: 'Fix the seed; its format is described in src/emulator/README.md.',
    },
  );
}

/** Checks a parsed seed: the schema, then what a schema cannot say (known devices, unique ids). */
export function validateSeed(value: unknown, origin = '(object)'): SeedFile {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(SEED_SCHEMA);
  if (!compiled(value)) {
    const problems = (compiled.errors ?? [])
      // A bad property name is reported twice: by the name's own schema and by propertyNames; keep the latter.
      .filter((e) => !e.schemaPath.includes('/propertyNames/'))
      .map((e) => {
        const where = e.instancePath || '/';
        if (e.keyword === 'propertyNames')
          return `${where}: '${String(e.params.propertyName)}' is not an allowed key`;
        const extra =
          e.keyword === 'additionalProperties' ? ` ('${String(e.params.additionalProperty)}')` : '';
        return `${where}: ${e.message ?? 'invalid'}${extra}`;
      });
    throw invalid(problems, origin);
  }
  const seed = value as SeedFile;
  const problems: string[] = [];
  const appIds = new Set<string>();
  seed.apps.forEach((app, index) => {
    const where = `/apps/${index}`;
    if (appIds.has(app.appId)) problems.push(`${where}/appId: duplicate app id ${app.appId}`);
    appIds.add(app.appId);
    if (app.state === 'LIVE' && app.live == null) {
      problems.push(`${where}: state LIVE needs a live snapshot`);
    }
    if (app.live != null) checkSnapshot(app.live, `${where}/live`, problems);
    if (app.openEdit != null) checkSnapshot(app.openEdit.snapshot, `${where}/openEdit/snapshot`, problems);
  });
  if (problems.length > 0) throw invalid(problems, origin);
  return seed;
}

function checkSnapshot(snapshot: SeedSnapshot, where: string, problems: string[]): void {
  const ids = new Set<string>();
  const versionCodes = new Set<number>();
  (snapshot.apks ?? []).forEach((apk, index) => {
    if (apk.id !== undefined) {
      if (ids.has(apk.id)) problems.push(`${where}/apks/${index}/id: duplicate APK id ${apk.id}`);
      ids.add(apk.id);
    }
    if (versionCodes.has(apk.versionCode)) {
      problems.push(`${where}/apks/${index}/versionCode: duplicate versionCode ${apk.versionCode}`);
    }
    versionCodes.add(apk.versionCode);
    for (const group of ['amazonDevices', 'nonAmazonDevices'] as const) {
      for (const id of apk.targeting?.[group] ?? []) {
        const device = findDevice(id);
        if (device === undefined)
          problems.push(`${where}/apks/${index}/targeting/${group}: unknown device ${id}`);
        else if (device.amazon !== (group === 'amazonDevices')) {
          problems.push(
            `${where}/apks/${index}/targeting/${group}: ${id} (${device.name}) belongs in the other list`,
          );
        }
      }
    }
  });
  const locales = new Set<string>();
  for (const key of Object.keys(snapshot.listings ?? {})) {
    const locale = canonicalLocale(key);
    if (locale === undefined) continue; // the schema reported it
    if (locales.has(locale))
      problems.push(`${where}/listings: ${key} given twice (hyphen and underscore forms)`);
    locales.add(locale);
  }
}

export async function loadSeedFile(path: string): Promise<SeedFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('EMULATOR_SEED_UNREADABLE', `Cannot read emulator seed ${path}.`, {
      hint: 'Check the --seed path.',
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'EMULATOR_SEED_INVALID',
      `Emulator seed ${path} is not valid JSON: ${(error as Error).message}`,
      {
        hint: 'Fix the JSON syntax of the seed.',
      },
    );
  }
  return validateSeed(parsed, path);
}

/** What building records from a seed needs from the store. */
export interface SeedContext {
  ids: IdFactory;
  etagMode: EtagMode;
}

/** Builds an app's records from a validated seed entry. */
export function appFromSeed(seed: SeedApp, context: SeedContext): AppRecord {
  const assets = new Map<string, AssetRecord>();
  for (const [id, facts] of Object.entries(seed.serverHashes?.assets ?? {})) assets.set(id, { ...facts });
  const apkHashes = seed.serverHashes?.apks ?? {};
  const snapshotFrom = (s: SeedSnapshot): Snapshot => {
    const apks = (s.apks ?? []).map((apk, index): ApkRecord => {
      const facts = apkHashes[String(apk.versionCode)];
      return {
        id: apk.id ?? context.ids.apkId(),
        name: apk.name ?? `APK${index + 1}`,
        versionCode: apk.versionCode,
        drm: apk.drm === undefined ? true : apk.drm,
        sha256: facts?.sha256 ?? fakeSha256(`${seed.appId}/apk/${apk.versionCode}`),
        size: facts?.size ?? 0,
        features: [...(apk.features ?? [])],
        targeted: [...(apk.targeting?.amazonDevices ?? []), ...(apk.targeting?.nonAmazonDevices ?? [])],
        amazonGenerated: apk.amazonGenerated ?? false,
      };
    });
    const listings = new Map<string, ListingRecord>();
    for (const [key, listing] of Object.entries(s.listings ?? {})) {
      const locale = canonicalLocale(key) ?? key;
      const images: Partial<Record<ImageType, string[]>> = {};
      for (const [type, ids] of Object.entries(listing.images ?? {}) as [ImageType, string[]][]) {
        if (ids.length === 0) continue;
        images[type] = [...ids];
        for (const id of ids) registerSeedAsset(assets, id, 'image');
      }
      for (const id of listing.videos ?? []) registerSeedAsset(assets, id, 'video');
      listings.set(locale, {
        text: {
          title: listing.title ?? '',
          shortDescription: listing.shortDescription ?? '',
          fullDescription: listing.fullDescription ?? '',
          recentChanges: listing.recentChanges ?? '',
          featureBullets: [...(listing.featureBullets ?? [])],
          keywords: [...(listing.keywords ?? [])],
        },
        images,
        videos: [...(listing.videos ?? [])],
      });
    }
    const details: Details = {
      ...s.details,
      defaultLanguage: canonicalLocale(s.details.defaultLanguage) ?? '',
    };
    return { apks, listings, details, availability: structuredClone(s.availability ?? {}) };
  };
  const edit = (id: string, status: EditRecord['status'], snapshot: SeedSnapshot): EditRecord => ({
    id,
    status,
    snapshot: snapshotFrom(snapshot),
    etags: new EtagBook(id, context.etagMode),
  });
  const liveEdit =
    seed.live == null ? null : edit(seed.liveEditId ?? context.ids.editId(), 'LIVE', seed.live);
  const openEdit =
    seed.openEdit == null
      ? null
      : edit(seed.openEdit.id ?? context.ids.editId(), seed.openEdit.status, seed.openEdit.snapshot);
  return {
    appId: seed.appId,
    state: seed.state ?? (liveEdit === null ? 'NOT_PUBLISHED' : 'LIVE'),
    liveEdit,
    openEdit,
    releasedVersionCodes: new Set([
      ...(seed.releasedVersionCodes ?? []),
      ...(liveEdit?.snapshot.apks.map((a) => a.versionCode) ?? []),
    ]),
    assets,
    largeUploads: new Map(),
  };
}

function registerSeedAsset(assets: Map<string, AssetRecord>, id: string, kind: AssetRecord['kind']): void {
  if (!assets.has(id)) assets.set(id, { kind, sha256: fakeSha256(id), size: 0 });
}

function snapshotToSeed(snapshot: Snapshot): SeedSnapshot {
  const listings: Record<string, SeedListing> = {};
  for (const [locale, listing] of snapshot.listings) {
    const images: Partial<Record<ImageType, string[]>> = {};
    for (const type of IMAGE_TYPES) {
      const ids = listing.images[type];
      if (ids !== undefined && ids.length > 0) images[type] = [...ids];
    }
    listings[locale] = { ...structuredClone(listing.text), images, videos: [...listing.videos] };
  }
  return {
    apks: snapshot.apks.map((apk) => {
      const seed: SeedApk = {
        id: apk.id,
        name: apk.name,
        versionCode: apk.versionCode,
        drm: apk.drm,
        targeting: {
          amazonDevices: apk.targeted.filter((id) => findDevice(id)?.amazon === true),
          nonAmazonDevices: apk.targeted.filter((id) => findDevice(id)?.amazon === false),
        },
        features: [...apk.features],
      };
      if (apk.amazonGenerated) seed.amazonGenerated = true;
      return seed;
    }),
    listings,
    details: { ...snapshot.details },
    availability: structuredClone(snapshot.availability),
  };
}

/** The seed form of an app, with every id filled in and server-side facts under `serverHashes`. */
export function appToSeed(app: AppRecord): DumpedApp {
  const apkHashes: Record<string, { sha256: string; size: number }> = {};
  for (const edit of [app.liveEdit, app.openEdit]) {
    for (const apk of edit?.snapshot.apks ?? [])
      apkHashes[String(apk.versionCode)] = { sha256: apk.sha256, size: apk.size };
  }
  const assets: Record<string, SeedAssetFacts> = {};
  for (const [id, facts] of app.assets) assets[id] = { ...facts };
  const dumped: DumpedApp = {
    appId: app.appId,
    state: app.state,
    live: app.liveEdit === null ? null : snapshotToSeed(app.liveEdit.snapshot),
    openEdit:
      app.openEdit === null
        ? null
        : {
            id: app.openEdit.id,
            status: app.openEdit.status === 'REVIEW' ? 'REVIEW' : 'IN_PROGRESS',
            snapshot: snapshotToSeed(app.openEdit.snapshot),
          },
    releasedVersionCodes: [...app.releasedVersionCodes].sort((a, b) => a - b),
    serverHashes: { assets, apks: apkHashes },
  };
  if (app.liveEdit !== null) dumped.liveEditId = app.liveEdit.id;
  return dumped;
}
