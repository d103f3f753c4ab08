// From the parsed YAML to the normalized Manifest: defaults merged into each locale, `{locale}`
// replaced, text files read, globs expanded, APKs read, files checked and hashed. Runs on whatever
// parts are well-formed even when the schema check failed elsewhere, so one run shows every problem;
// shapes the schema rejected are skipped here (the schema already reported them).
import { resolve } from 'node:path';
import type { ApkInfo } from '../apk/types.js';
import { IMAGE_SPECS, LOCALE_PATTERN } from '../appstore/rules.js';
import {
  CONTACT_FIELDS,
  type ContactField,
  IMAGE_TYPES,
  type ImageType,
  LISTING_FIELDS,
  type ListingField,
  type ListingText,
  type PublishingDate,
} from '../appstore/types.js';
import { AppError } from '../errors/app-error.js';
import { isGlobPattern, type LocatedPath, type ManifestFiles } from './manifest-files.js';
import type { Reporter, Where } from './reporter.js';
import {
  type ApkEntry,
  checkApkSet,
  checkDateTime,
  checkImage,
  checkImageCount,
  checkKeyword,
  checkTargetingRule,
  checkTextLimit,
  checkVideoCount,
  checkZoneId,
} from './rules.js';
import { labelOf } from './schema-check.js';
import { normalizeText } from './text-file.js';
import type { LocalFile, Manifest, ManifestApk, ManifestListing, TargetingRule } from './types.js';
import { toPointer } from './yaml-source.js';

export const DEFAULT_STATE_FILE = 'appstore.release.state.json';
const LOCALE_PLACEHOLDER = '{locale}';
const LIST_FIELDS: ReadonlySet<ListingField> = new Set(['featureBullets', 'keywords']);

export interface NormalizeContext {
  files: ManifestFiles;
  report: Reporter;
  allowOutsidePaths: boolean;
}

/** Everything of the Manifest but its path, folder and digest; meaningful only when nothing was reported as an error. */
export type NormalizedBody = Omit<Manifest, 'path' | 'dir' | 'digest'>;

export async function normalize(
  raw: Record<string, unknown>,
  ctx: NormalizeContext,
): Promise<NormalizedBody> {
  const [apks, listings] = await Promise.all([
    normalizeApks(raw.apks, ctx),
    normalizeListings(raw.listings, ctx),
  ]);
  const app = asRecord(raw.app);
  const prune = asRecord(raw.prune);
  return {
    appId: typeof app?.id === 'string' ? app.id : '',
    apks,
    listings,
    details: normalizeDetails(raw.details),
    availability: normalizeAvailability(raw.availability, ctx.report),
    stateFile: resolve(ctx.files.dir, typeof raw.stateFile === 'string' ? raw.stateFile : DEFAULT_STATE_FILE),
    prune: { listings: prune?.listings === true, apks: prune?.apks === true },
  };
}

// ---------------------------------------------------------------------------------------------- files

interface Reference {
  /** The path as written, `{locale}` already replaced. */
  path: string;
  where: Where;
  /** Set when the path went through a `{locale}` placeholder: named in messages about a default. */
  locale: string | undefined;
}

function describeReference(ref: Reference): string {
  const label = labelOf(ref.where.pointer);
  return ref.locale !== undefined && ref.where.pointer.startsWith('/listings/defaults/')
    ? `${label}, for ${ref.locale}`
    : label;
}

/** A single file that must exist, be a regular file and stay inside the manifest's folder. */
async function referencedFile(ref: Reference, ctx: NormalizeContext): Promise<LocatedPath | undefined> {
  const located = ctx.files.locate(ref.path);
  if (!checkInside(located, ref, ctx)) return undefined;
  return (await checkRegularFile(located, ref, ctx)) ? located : undefined;
}

function checkInside(located: LocatedPath, ref: Reference, ctx: NormalizeContext): boolean {
  if (!located.outside || ctx.allowOutsidePaths) return true;
  ctx.report.error(
    'path-outside',
    `${ref.path} (${describeReference(ref)}) is outside the manifest's folder.`,
    ref.where,
    'Keep release files beside the manifest so the plan is the same on every machine, or pass --allow-outside.',
  );
  return false;
}

/** What `pull` writes where an APK path belongs: the API cannot download APKs. */
export const APK_PLACEHOLDER_PREFIX = 'REPLACE-WITH-PATH-TO/';

async function checkRegularFile(
  located: LocatedPath,
  ref: Reference,
  ctx: NormalizeContext,
): Promise<boolean> {
  const kind = await ctx.files.kind(located.abs);
  const where = describeReference(ref);
  switch (kind.kind) {
    case 'file':
      return true;
    case 'missing':
      if (ref.path.startsWith(APK_PLACEHOLDER_PREFIX)) {
        ctx.report.error(
          'apk-placeholder',
          `${ref.path} (${where}) is still the placeholder that 'appstore-release pull' wrote.`,
          ref.where,
          'Point it at your build of the versionCode named in the comment beside it (the API cannot download APKs).',
        );
        return false;
      }
      ctx.report.error(
        'file-not-found',
        `File not found: ${located.display} (${where}).`,
        ref.where,
        'Paths are relative to the folder of the manifest.',
      );
      return false;
    case 'directory':
      ctx.report.error('not-a-file', `${located.display} is a directory, not a file (${where}).`, ref.where);
      return false;
    case 'other':
      ctx.report.error('not-a-file', `${located.display} is not a regular file (${where}).`, ref.where);
      return false;
    case 'unreadable':
      ctx.report.error(
        'file-unreadable',
        `${located.display} cannot be read (${kind.reason}) (${where}).`,
        ref.where,
      );
      return false;
  }
}

/**
 * A path or a fast-glob pattern. A literal file wins over a pattern reading of the same text (a file
 * may well be called `shot[1].png`). Undefined when the reference is broken (already reported).
 */
async function expandReference(ref: Reference, ctx: NormalizeContext): Promise<LocatedPath[] | undefined> {
  const located = ctx.files.locate(ref.path);
  if (!checkInside(located, ref, ctx)) return undefined;
  if (!isGlobPattern(ref.path)) return (await checkRegularFile(located, ref, ctx)) ? [located] : undefined;
  if ((await ctx.files.kind(located.abs)).kind === 'file') return [located];
  const matches = (await ctx.files.glob(ref.path)).map((abs) => ctx.files.locate(abs));
  if (matches.length === 0) {
    ctx.report.error(
      'glob-no-match',
      `The pattern ${ref.path} (${describeReference(ref)}) matches no file.`,
      ref.where,
      'Patterns are fast-glob syntax, relative to the folder of the manifest.',
    );
    return undefined;
  }
  const outside = matches.filter((m) => m.outside);
  if (outside.length > 0 && !ctx.allowOutsidePaths) {
    for (const m of outside) checkInside(m, { ...ref, path: m.display }, ctx);
    return undefined;
  }
  return matches;
}

async function toLocalFile(located: LocatedPath, ctx: NormalizeContext): Promise<LocalFile> {
  const { sha256, size } = await ctx.files.hash(located.abs);
  return { path: located.abs, displayPath: located.display, sha256, size };
}

// ----------------------------------------------------------------------------------------------- APKs

async function normalizeApks(raw: unknown, ctx: NormalizeContext): Promise<ManifestApk[]> {
  if (!Array.isArray(raw)) return [];
  const entries = await Promise.all(raw.map((item, index) => normalizeApk(item, index, ctx)));
  checkApkSet(
    entries.filter((e) => e !== undefined).map((e) => e.entry),
    ctx.report,
  );
  return entries.flatMap((e) => (e?.apk === undefined ? [] : [e.apk]));
}

async function normalizeApk(
  raw: unknown,
  index: number,
  ctx: NormalizeContext,
): Promise<{ entry: ApkEntry; apk: ManifestApk | undefined } | undefined> {
  const item = asRecord(raw);
  if (item === undefined) return undefined;
  const slot = typeof item.slot === 'string' && item.slot !== '' ? item.slot : undefined;
  const targeting = normalizeTargeting(item.targeting, `/apks/${index}/targeting`, ctx.report);
  if (typeof item.file !== 'string' || item.file === '') {
    return { entry: { index, slot, info: undefined, display: `apks[${index}]` }, apk: undefined };
  }
  const where: Where = { pointer: `/apks/${index}/file` };
  const located = await referencedFile({ path: item.file, where, locale: undefined }, ctx);
  if (located === undefined) {
    return { entry: { index, slot, info: undefined, display: item.file }, apk: undefined };
  }
  let info: ApkInfo | undefined;
  try {
    info = await ctx.files.apk(located.abs);
  } catch (error) {
    // The APK reader's errors (truncated, an AAB, no AndroidManifest.xml …) are the user's to fix. Its
    // messages name the absolute path; show the manifest-relative one, as everywhere else.
    if (!(error instanceof AppError)) throw error;
    ctx.report.error(
      error.code.toLowerCase().replaceAll('_', '-'),
      `${stripPeriod(error.message.replaceAll(located.abs, located.display))}.`,
      where,
      error.hint,
    );
  }
  const entry: ApkEntry = { index, slot, info, display: located.display };
  if (info === undefined) return { entry, apk: undefined };
  return { entry, apk: { file: await toLocalFile(located, ctx), info, slot, targeting } };
}

function normalizeTargeting(raw: unknown, pointer: string, report: Reporter): ManifestApk['targeting'] {
  const targeting = asRecord(raw);
  if (targeting === undefined) return undefined;
  const result: NonNullable<ManifestApk['targeting']> = {};
  for (const key of ['amazonDevices', 'nonAmazonDevices'] as const) {
    const rule = asRecord(targeting[key]);
    if (rule === undefined) continue;
    const normalized: TargetingRule = {
      include: stringList(rule.include),
      exclude: stringList(rule.exclude),
    };
    checkTargetingRule(normalized.include, normalized.exclude, `${pointer}/${key}`, report);
    result[key] = normalized;
  }
  return result;
}

// ------------------------------------------------------------------------------------------- listings

async function normalizeListings(raw: unknown, ctx: NormalizeContext): Promise<ManifestListing[]> {
  const listings = asRecord(raw);
  if (listings === undefined) return [];
  const defaults = asRecord(listings.defaults);
  const locales = Object.keys(listings)
    .filter((key) => key !== 'defaults' && LOCALE_PATTERN.test(key))
    .sort();
  if (defaults !== undefined && locales.length === 0) {
    ctx.report.warning(
      'defaults-unused',
      'listings.defaults applies to no locale: defaults are merged into the locales listed beside them.',
      { pointer: '/listings/defaults', target: 'key' },
      'Add a locale, e.g. en-US: {}, to use the defaults.',
    );
  }
  const results = await Promise.all(
    locales.map((locale) => normalizeListing(locale, asRecord(listings[locale]) ?? {}, defaults ?? {}, ctx)),
  );
  return results;
}

/** A field's value: the locale's own, else the default's, with the pointer of where it was written. */
interface Sourced {
  value: unknown;
  pointer: string;
  fromDefaults: boolean;
}

function pick(own: Record<string, unknown>, defaults: Record<string, unknown>, locale: string, key: string) {
  if (own[key] !== undefined) {
    return { value: own[key], pointer: toPointer(['listings', locale, key]), fromDefaults: false } as Sourced;
  }
  if (defaults[key] !== undefined) {
    return {
      value: defaults[key],
      pointer: toPointer(['listings', 'defaults', key]),
      fromDefaults: true,
    } as Sourced;
  }
  return undefined;
}

async function normalizeListing(
  locale: string,
  own: Record<string, unknown>,
  defaults: Record<string, unknown>,
  ctx: NormalizeContext,
): Promise<ManifestListing> {
  const text: Partial<ListingText> = {};
  const images: Partial<Record<ImageType, LocalFile[]>> = {};
  const ownImages = asRecord(own.images) ?? {};
  const defaultImages = asRecord(defaults.images) ?? {};
  const [fields, imageLists, videos] = await Promise.all([
    Promise.all(
      LISTING_FIELDS.map(async (field) => {
        const sourced = pick(own, defaults, locale, field);
        return sourced === undefined
          ? undefined
          : ([field, await listingField(field, sourced, locale, ctx)] as const);
      }),
    ),
    Promise.all(
      IMAGE_TYPES.map(async (type) => {
        const sourced =
          ownImages[type] !== undefined
            ? {
                value: ownImages[type],
                pointer: toPointer(['listings', locale, 'images', type]),
                fromDefaults: false,
              }
            : defaultImages[type] !== undefined
              ? {
                  value: defaultImages[type],
                  pointer: toPointer(['listings', 'defaults', 'images', type]),
                  fromDefaults: true,
                }
              : undefined;
        return sourced === undefined
          ? undefined
          : ([type, await imageList(type, sourced, locale, ctx)] as const);
      }),
    ),
    listingVideos(pick(own, defaults, locale, 'videos'), locale, ctx),
  ]);
  for (const entry of fields) {
    if (entry?.[1] === undefined) continue;
    const [field, value] = entry;
    if (field === 'featureBullets' || field === 'keywords') {
      if (Array.isArray(value)) text[field] = value;
    } else if (typeof value === 'string') {
      text[field] = value;
    }
  }
  for (const entry of imageLists) if (entry?.[1] !== undefined) images[entry[0]] = entry[1];
  return { locale, text, images, videos };
}

function reference(path: string, pointer: string, locale: string): Reference {
  return {
    path: path.replaceAll(LOCALE_PLACEHOLDER, locale),
    where: { pointer },
    locale: path.includes(LOCALE_PLACEHOLDER) ? locale : undefined,
  };
}

/** Resolves a text field (inline or `{ file }`) and applies the field's rules. */
async function listingField(
  field: ListingField,
  sourced: Sourced,
  locale: string,
  ctx: NormalizeContext,
): Promise<string | string[] | undefined> {
  const { value, pointer } = sourced;
  // Inline defaults are the same for every locale (and reported once); a file names itself.
  const subject = (fromFile: string | undefined): string =>
    fromFile === undefined ? labelOf(pointer) : `${labelOf(pointer)} (from ${fromFile})`;
  let resolved:
    | { text: string; fromFile: string | undefined }
    | { list: string[]; pointers: string[]; fromFile: string | undefined }
    | undefined;
  if (typeof value === 'string' && !LIST_FIELDS.has(field)) {
    resolved = { text: normalizeText(value), fromFile: undefined };
  } else if (Array.isArray(value) && LIST_FIELDS.has(field)) {
    const indexed = value.flatMap((v, i) => (typeof v === 'string' ? [[v, `${pointer}/${i}`] as const] : []));
    resolved = { list: indexed.map(([v]) => v), pointers: indexed.map(([, p]) => p), fromFile: undefined };
  } else {
    const file = asRecord(value)?.file;
    if (typeof file !== 'string' || file === '') return undefined;
    const ref = reference(file, `${pointer}/file`, locale);
    const located = await referencedFile(ref, ctx);
    if (located === undefined) return undefined;
    const read = await ctx.files.text(located.abs);
    if (!read.ok) {
      ctx.report.error(
        'text-not-utf8',
        `${located.display} (${describeReference(ref)}) is not valid UTF-8 text.`,
        ref.where,
        'Save the file as UTF-8.',
      );
      return undefined;
    }
    if (LIST_FIELDS.has(field)) {
      const lines = read.text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      resolved = { list: lines, pointers: lines.map(() => ref.where.pointer), fromFile: located.display };
    } else {
      resolved = { text: read.text, fromFile: located.display };
    }
  }
  if ('text' in resolved) {
    checkTextLimit(field, resolved.text, subject(resolved.fromFile), { pointer }, ctx.report);
    return resolved.text;
  }
  if (field === 'keywords') {
    resolved.list.forEach((keyword, i) => {
      checkKeyword(
        keyword,
        subject(resolved.fromFile),
        { pointer: resolved.pointers[i] ?? pointer },
        ctx.report,
      );
    });
  }
  return resolved.list;
}

/**
 * Each path or glob expanded in order and de-duplicated. Undefined when an entry was broken: it was
 * reported, and counting what is left would only add a misleading second error.
 */
async function expandEntries(
  entries: NonNullable<ReturnType<typeof pathEntries>>,
  locale: string,
  ctx: NormalizeContext,
): Promise<{ located: LocatedPath; where: Where }[] | undefined> {
  const expanded = await Promise.all(
    entries.map(async ([path, pointer]) => {
      const ref = reference(path, pointer, locale);
      const matches = await expandReference(ref, ctx);
      return matches?.map((located) => ({ located, where: ref.where }));
    }),
  );
  if (expanded.some((e) => e === undefined)) return undefined;
  return uniqueBy(
    expanded.flatMap((e) => e ?? []),
    (f) => f.located.abs,
  );
}

/** Paths and patterns of an image type, expanded in order, de-duplicated, then checked and hashed. */
async function imageList(
  type: ImageType,
  sourced: Sourced,
  locale: string,
  ctx: NormalizeContext,
): Promise<LocalFile[] | undefined> {
  const entries = pathEntries(sourced.value, sourced.pointer);
  if (entries === undefined) return undefined;
  const files = await expandEntries(entries, locale, ctx);
  if (files === undefined) return undefined;
  checkImageCount(
    type,
    files.length,
    subjectFor(sourced, entries, locale),
    { pointer: sourced.pointer },
    ctx.report,
  );
  if (files.length > IMAGE_SPECS[type].max) return undefined;
  return Promise.all(
    files.map(async ({ located, where }) => {
      checkImage(type, located.display, await ctx.files.imageHeader(located.abs), where, ctx.report);
      return toLocalFile(located, ctx);
    }),
  );
}

async function listingVideos(
  sourced: Sourced | undefined,
  locale: string,
  ctx: NormalizeContext,
): Promise<LocalFile[] | undefined> {
  if (sourced === undefined || !Array.isArray(sourced.value)) return undefined;
  // An empty list is meaningful for videos: "no videos", so the remote ones are deleted.
  if (sourced.value.length === 0) return [];
  const entries = pathEntries(sourced.value, sourced.pointer);
  if (entries === undefined) return undefined;
  const files = await expandEntries(entries, locale, ctx);
  if (files === undefined) return undefined;
  checkVideoCount(
    files.length,
    subjectFor(sourced, entries, locale),
    { pointer: sourced.pointer },
    ctx.report,
  );
  return Promise.all(
    files.map(async ({ located, where }) => {
      if ((await ctx.files.video(located.abs)) === undefined) {
        ctx.report.error(
          'video-format',
          `${located.display} is not a video file Amazon accepts.`,
          where,
          'Use MPEG-4 (H.264), MOV, AVI, WMV, FLV or MPEG-2.',
        );
      }
      return toLocalFile(located, ctx);
    }),
  );
}

/** Names the locale when a default's paths depend on it, so each locale's problem reads (and counts) apart. */
function subjectFor(
  sourced: Sourced,
  entries: readonly (readonly [string, string])[],
  locale: string,
): string {
  const label = labelOf(sourced.pointer);
  const perLocale = sourced.fromDefaults && entries.some(([path]) => path.includes(LOCALE_PLACEHOLDER));
  return perLocale ? `${label} (for ${locale})` : label;
}

/** `path` or `[path, …]` with the pointer of each entry; undefined for a shape the schema rejected. */
function pathEntries(value: unknown, pointer: string): (readonly [string, string])[] | undefined {
  if (typeof value === 'string') return value === '' ? undefined : [[value, pointer]];
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (!value.every((v) => typeof v === 'string' && v !== '')) return undefined;
  return value.map((v: string, i) => [v, `${pointer}/${i}`] as const);
}

// ---------------------------------------------------------------------------- details, availability

function normalizeDetails(raw: unknown): Partial<Record<ContactField, string>> | undefined {
  const details = asRecord(raw);
  if (details === undefined) return undefined;
  const result: Partial<Record<ContactField, string>> = {};
  for (const field of CONTACT_FIELDS) {
    const value = details[field];
    if (typeof value === 'string') result[field] = value;
  }
  return result;
}

function normalizeAvailability(raw: unknown, report: Reporter): Manifest['availability'] {
  const date = asRecord(asRecord(raw)?.publishingDate);
  if (date === undefined || typeof date.dateTime !== 'string' || typeof date.zoneId !== 'string')
    return undefined;
  const publishingDate: PublishingDate = { dateTime: date.dateTime, zoneId: date.zoneId };
  checkDateTime(publishingDate.dateTime, { pointer: '/availability/publishingDate/dateTime' }, report);
  if (publishingDate.zoneId !== '') {
    checkZoneId(publishingDate.zoneId, { pointer: '/availability/publishingDate/zoneId' }, report);
  }
  return { publishingDate };
}

// -------------------------------------------------------------------------------------------- helpers

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function stripPeriod(text: string): string {
  return text.replace(/\.\s*$/, '');
}
