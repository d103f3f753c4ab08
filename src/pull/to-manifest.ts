// RemoteState → the files of a manifest: `appstore.release.yaml`, its state file and, with the `files`
// layout, one text file per long field and locale. Pure: no network, no file system, no clock, so the
// same remote state always gives the same bytes (and a re-pull diffs cleanly in version control).
//
// The promise is that the first `plan` after `pull` shows no changes for everything the API lets us
// read. So every value is written exactly as the loader will read it back, and a value the manifest
// cannot express exactly is left out (unmanaged) with a note; see expressible.ts.
import { isDeepStrictEqual } from 'node:util';
import { Document, Pair, parse, Scalar, visit, type YAMLMap, YAMLSeq } from 'yaml';
import {
  type Apk,
  CONTACT_FIELDS,
  type Device,
  LISTING_FIELDS,
  type Listing,
  type ListingField,
  type Targeting,
} from '../appstore/types.js';
import { AppError } from '../errors/app-error.js';
import { APK_PLACEHOLDER_PREFIX, DEFAULT_MANIFEST_FILE, DEFAULT_STATE_FILE } from '../manifest/index.js';
import { sameLocale } from '../plan/addresses.js';
import type { RemoteApk, RemoteState } from '../remote/remote-state.js';
import {
  bulletsVerdict,
  contactVerdict,
  keywordsVerdict,
  manifestLocale,
  publishingDateVerdict,
  textVerdict,
  type Verdict,
} from './expressible.js';
import { stateFileText, stateFromRemote } from './pulled-state.js';

export type PullLayout = 'inline' | 'files';
export const PULL_LAYOUTS: readonly PullLayout[] = ['inline', 'files'];

export interface PullOptions {
  /** `inline`: every text in the manifest. `files`: long texts in `store/{locale}/*.txt`. */
  layout: PullLayout;
  /** The path written for an APK the API cannot give us; `defaultApkPlaceholder` unless set. */
  apkPlaceholder?: (apk: Apk, slot: string) => string;
}

export interface PullOutput {
  /** Relative path (`/` separators) → content, the manifest first, then the state file, then text files. */
  files: Map<string, string>;
  /** Sentences for the user: where the values came from and what was left out, and why. */
  notes: string[];
}

export const MANIFEST_FILE = DEFAULT_MANIFEST_FILE;
export const STATE_FILE = DEFAULT_STATE_FILE;

/** Every APK path pull writes starts with this, so a reader (validate, a reviewer) can recognize it. */

export function defaultApkPlaceholder(_apk: Apk, slot: string): string {
  return `${APK_PLACEHOLDER_PREFIX}${slot.replace(/[^A-Za-z0-9._-]/g, '-')}.apk`;
}

/** The schema's pattern for `app.id`: an id that does not match could never make a valid manifest. */
export const APP_ID_PATTERN = /^amzn1\.devportal\.mobileapp\.[0-9a-f]{32}$/;

/** The published identity of the schema (its `$id`), for editors through the yaml-language-server modeline. */
export const SCHEMA_ID = 'https://appstore-release.dev/schemas/appstore.release.schema.json';

/** The long fields that the `files` layout moves out of the manifest, with their file names. */
const TEXT_FILE_NAMES: Partial<Record<ListingField, string>> = {
  shortDescription: 'short-description.txt',
  fullDescription: 'full-description.txt',
  recentChanges: 'recent-changes.txt',
};

export function textFilePath(locale: string, field: ListingField): string | undefined {
  const name = TEXT_FILE_NAMES[field];
  return name === undefined ? undefined : `store/${locale}/${name}`;
}

export class PullError extends AppError {}

export function manifestFromRemote(remote: RemoteState, options: PullOptions): PullOutput {
  if (remote.source === 'none' || remote.apks === undefined || remote.listings === undefined) {
    throw new PullError(
      'pull_nothing_readable',
      `App ${remote.appId} has no open edit, and its live version cannot be read without one.`,
      {
        hint: 'Run pull --open-edit: it creates an edit (a copy of the live version, nothing is submitted) and reads it.',
      },
    );
  }
  return new ManifestBuilder({ ...remote, apks: remote.apks, listings: remote.listings }, options).build();
}

/** A remote state with something read: the only kind a manifest can be made from. */
type ReadState = RemoteState & { apks: RemoteApk[]; listings: NonNullable<RemoteState['listings']> };

class ManifestBuilder {
  readonly #remote: ReadState;
  readonly #options: PullOptions;
  readonly #doc = new Document({});
  readonly #textFiles = new Map<string, string>();
  readonly #notes: string[] = [];
  /** Values left out, as `path: reason`, reported together after the other notes. */
  readonly #leftOut: string[] = [];

  constructor(remote: ReadState, options: PullOptions) {
    this.#remote = remote;
    this.#options = options;
  }

  build(): PullOutput {
    const remote = this.#remote;
    this.#notes.push(...sourceNotes(remote));
    const root = this.#doc.contents as YAMLMap;
    this.#doc.commentBefore = this.#header();

    root.add(new Pair(key('version'), 1));
    const app = this.#doc.createNode({ id: remote.appId }) as YAMLMap;
    const appName = this.#appName();
    if (appName !== undefined) (app.get('id', true) as Scalar).comment = ` ${appName}`;
    root.add(new Pair(key('app'), app));

    const apks = this.#apks();
    if (apks !== undefined) root.add(new Pair(key('apks', { spaceBefore: true }), apks));
    const listings = this.#listings();
    if (listings !== undefined) {
      const listingsKey = key('listings', {
        spaceBefore: true,
        commentBefore: [
          ' Images and videos are not listed, so they are left as they are: the API cannot download them.',
          ` Their remote ids are recorded in ${STATE_FILE}. To manage a list, name local files,`,
          ' e.g. images: { screenshots: "store/{locale}/screenshots/*.png" }; the first apply replaces it once.',
        ].join('\n'),
      });
      root.add(new Pair(listingsKey, listings));
    }
    const details = this.#details();
    if (details !== undefined) root.add(new Pair(key('details', { spaceBefore: true }), details));
    const availability = this.#availability();
    if (availability !== undefined) {
      root.add(new Pair(key('availability', { spaceBefore: true }), availability));
    }

    const pulled = stateFromRemote(remote);
    this.#notes.push(...this.#leftOut);
    if (pulled.imageLists + pulled.videoLists > 0) this.#notes.push(assetNote(pulled));

    settleScalarStyles(this.#doc);
    const files = new Map<string, string>();
    files.set(MANIFEST_FILE, render(this.#doc));
    files.set(STATE_FILE, stateFileText(pulled.state));
    for (const path of [...this.#textFiles.keys()].sort()) files.set(path, this.#textFiles.get(path)!);
    return { files, notes: this.#notes };
  }

  #header(): string {
    const from =
      this.#remote.source === 'open-edit'
        ? `the app's open edit (${this.#remote.edit?.value.status ?? 'IN_PROGRESS'})`
        : 'the live version (no edit was open)';
    const lines = [
      ` yaml-language-server: $schema=${SCHEMA_ID}`,
      '',
      ` Written by \`appstore-release pull\` from ${from}.`,
      ' Paths are relative to this file. Anything the manifest does not name is left as it is in the store.',
    ];
    if (this.#remote.apks.length > 0) {
      lines.push(' Before plan: point each apks[].file at your build of the versionCode named beside it.');
    }
    return lines.join('\n');
  }

  /** The default language's title, as a reminder of which app an id is. */
  #appName(): string | undefined {
    const listings = this.#remote.listings;
    const preferred = this.#remote.details?.value.defaultLanguage;
    const key =
      Object.keys(listings).find((k) => preferred !== undefined && sameLocale(k, preferred)) ??
      Object.keys(listings).sort()[0];
    const title = key === undefined ? undefined : listings[key]?.listing.value.title;
    return typeof title === 'string' && title.trim() !== '' ? oneLine(title) : undefined;
  }

  // --------------------------------------------------------------------------------------------- APKs

  #apks(): YAMLSeq | undefined {
    const remoteApks = this.#remote.apks;
    if (remoteApks.length === 0) return undefined;
    const names = remoteApks.map((r) => r.apk.value.name);
    const placeholder = this.#options.apkPlaceholder ?? defaultApkPlaceholder;
    const seq = new YAMLSeq();
    const described: string[] = [];
    for (const { apk, targeting } of remoteApks) {
      const { id, name, versionCode } = apk.value;
      // The name (APK1 …) is what people see in the Console; the id only when names are not unique.
      const slot = name !== '' && names.filter((n) => n === name).length === 1 ? name : id;
      const item = this.#doc.createNode({ file: placeholder(apk.value, slot), slot }) as YAMLMap;
      (item.get('file', true) as Scalar).comment =
        ` versionCode ${versionCode} remotely: point this at your build`;
      const rules = this.#targeting(targeting.value);
      if (rules !== undefined) item.add(new Pair(key('targeting'), rules));
      seq.items.push(item);
      described.push(`${slot} (versionCode ${versionCode})`);
    }
    this.#notes.push(
      `apks: each file is a placeholder (${APK_PLACEHOLDER_PREFIX}…) because the API cannot download APKs. ` +
        `Point it at your build of the same versionCode: ${described.join(', ')}. validate reports the missing file until then.`,
    );
    return seq;
  }

  /**
   * Targeting as it is: manifest `include` makes a device TARGETING and `exclude` NOT_TARGETING, so the
   * current TARGETING devices go to include and the NOT_TARGETING ones to exclude. DISABLED devices
   * (the APK cannot run there) are the API's to decide, and naming one is an error: they are left out.
   */
  #targeting(targeting: Targeting): YAMLMap | undefined {
    const rules = this.#doc.createNode({}) as YAMLMap;
    for (const group of ['amazonDevices', 'nonAmazonDevices'] as const) {
      const devices: Device[] = Array.isArray(targeting[group]) ? targeting[group] : [];
      const include = devices.filter((d) => d.status === 'TARGETING');
      const exclude = devices.filter((d) => d.status === 'NOT_TARGETING');
      if (include.length === 0 && exclude.length === 0) continue;
      const rule = this.#doc.createNode({}) as YAMLMap;
      if (include.length > 0) rule.add(new Pair(key('include'), this.#deviceList(include)));
      if (exclude.length > 0) rule.add(new Pair(key('exclude'), this.#deviceList(exclude)));
      rules.add(new Pair(key(group), rule));
    }
    return rules.items.length === 0 ? undefined : rules;
  }

  #deviceList(devices: Device[]): YAMLSeq {
    const seq = new YAMLSeq();
    for (const device of devices) {
      const item = new Scalar(device.id);
      if (device.name.trim() !== '') item.comment = ` ${oneLine(device.name)}`;
      seq.items.push(item);
    }
    return seq;
  }

  // ----------------------------------------------------------------------------------------- listings

  #listings(): YAMLMap | undefined {
    const byLocale = new Map<string, Listing>();
    for (const [remoteKey, remote] of Object.entries(this.#remote.listings)) {
      const locale = manifestLocale(remoteKey);
      if (locale === undefined) {
        this.#leftOut.push(
          `listings.${remoteKey} left out (unmanaged): the manifest accepts locales like en-US only.`,
        );
      } else if (byLocale.has(locale)) {
        this.#leftOut.push(
          `listings.${remoteKey} left out (unmanaged): the API returned ${locale} twice, spelled differently.`,
        );
      } else {
        byLocale.set(locale, remote.listing.value);
      }
    }
    if (byLocale.size === 0) return undefined;
    const map = this.#doc.createNode({}) as YAMLMap;
    const locales = [...byLocale.keys()].sort();
    locales.forEach((locale, index) => {
      const fields = this.#listing(locale, byLocale.get(locale)!);
      map.add(new Pair(key(locale, { spaceBefore: index > 0 }), fields));
    });
    return map;
  }

  #listing(locale: string, listing: Listing): YAMLMap {
    const map = this.#doc.createNode({}) as YAMLMap;
    for (const field of LISTING_FIELDS) {
      const value: unknown = listing[field];
      const where = `listings.${locale}.${field}`;
      if (field === 'featureBullets' || field === 'keywords') {
        const verdict = field === 'keywords' ? keywordsVerdict(value) : bulletsVerdict(value);
        if (this.#leaveOut(where, verdict)) continue;
        const seq = this.#doc.createNode(value) as YAMLSeq;
        // Keywords read best on one line, bullets one per line (as in the example manifest).
        seq.flow = field === 'keywords' || seq.items.length === 0;
        map.add(new Pair(key(field), seq));
        continue;
      }
      if (this.#leaveOut(where, textVerdict(field, value))) continue;
      const text = value as string;
      const path = this.#options.layout === 'files' ? textFilePath(locale, field) : undefined;
      if (path === undefined) {
        map.add(new Pair(key(field), textScalar(text)));
      } else {
        // A final newline makes a proper text file; the loader trims it again.
        this.#textFiles.set(path, text === '' ? '' : `${text}\n`);
        const ref = this.#doc.createNode({ file: path }) as YAMLMap;
        ref.flow = true;
        map.add(new Pair(key(field), ref));
      }
    }
    return map;
  }

  #leaveOut(where: string, verdict: Verdict): boolean {
    if (verdict === undefined) return false;
    this.#leftOut.push(
      `${where} left out (unmanaged): ${verdict}. Fix it in the Developer Console or add it by hand.`,
    );
    return true;
  }

  // ------------------------------------------------------------------------------ details, availability

  #details(): YAMLMap | undefined {
    const details = this.#remote.details?.value;
    if (details === undefined) return undefined;
    const map = this.#doc.createNode({}) as YAMLMap;
    for (const field of CONTACT_FIELDS) {
      const value: unknown = details[field];
      // Absent or empty remotely: the manifest cannot say "none", so the field stays unmanaged.
      if (typeof value !== 'string' || value === '') continue;
      if (this.#leaveOut(`details.${field}`, contactVerdict(field, value))) continue;
      map.add(new Pair(key(field), new Scalar(value)));
    }
    return map.items.length === 0 ? undefined : map;
  }

  #availability(): YAMLMap | undefined {
    const date: unknown = this.#remote.availability?.value.publishingDate;
    // No date set: the manifest can only set one, never remove it, so availability stays unmanaged.
    if (date === undefined || date === null) return undefined;
    if (this.#leaveOut('availability.publishingDate', publishingDateVerdict(date))) return undefined;
    const { dateTime, zoneId } = date as { dateTime: string; zoneId: string };
    return this.#doc.createNode({ publishingDate: { dateTime, zoneId } }) as YAMLMap;
  }
}

/** Multi-line text as a literal block (`|-`), the readable form; the yaml library quotes what a block cannot hold. */
function textScalar(text: string): Scalar {
  const scalar = new Scalar(text);
  if (text.includes('\n')) scalar.type = Scalar.BLOCK_LITERAL;
  return scalar;
}

/**
 * Chooses each string's style so that it reads back exactly, for the loader and for people:
 * - The loader reads YAML 1.2, where `yes`, `on` or `2027-01-15T09:00:00` are plain strings, and the
 *   yaml library quotes only what 1.2 would misread. Editors and other tools often read YAML 1.1, where
 *   those are booleans and timestamps: a string that 1.1 would read as anything else is double-quoted.
 * - Block scalars cannot hold every multi-line string (the yaml library renders a string of only
 *   blanks and line breaks in a form that reads back differently): each one is tried, and a string
 *   that does not survive is double-quoted, which holds anything.
 */
function settleScalarStyles(doc: Document): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      const value = node.value;
      const survives = value.includes('\n') ? readsBack(value, node.type) : plainIn11(value);
      if (!survives) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
}

function plainIn11(value: string): boolean {
  try {
    return parse(value, { schema: 'yaml-1.1', logLevel: 'silent' }) === value;
  } catch {
    return false;
  }
}

/** Renders the string nested as a mapping value and as a list item, as the manifest does, and reads it back. */
function readsBack(value: string, type: Scalar['type']): boolean {
  const probe = (): Scalar => {
    const scalar = new Scalar(value);
    scalar.type = type;
    return scalar;
  };
  const doc = new Document({ a: { b: null, c: [null] } });
  doc.setIn(['a', 'b'], probe());
  doc.setIn(['a', 'c', 0], probe());
  try {
    const back = parse(doc.toString({ lineWidth: 0 }), { logLevel: 'silent' }) as {
      a: { b: unknown; c: unknown[] };
    };
    return back.a.b === value && back.a.c[0] === value;
  } catch {
    return false;
  }
}

/** The last line of defence: a manifest that would not read back as the values it was built from is a bug. */
function render(doc: Document): string {
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  if (!isDeepStrictEqual(parse(text), doc.toJS())) {
    throw new Error(
      'pull produced YAML that does not read back as the remote values; please report this bug',
    );
  }
  return text;
}

function key(name: string, options: { spaceBefore?: boolean; commentBefore?: string } = {}): Scalar {
  const scalar = new Scalar(name);
  if (options.spaceBefore === true) scalar.spaceBefore = true;
  if (options.commentBefore !== undefined) scalar.commentBefore = options.commentBefore;
  return scalar;
}

function sourceNotes(remote: RemoteState): string[] {
  const notes: string[] = [];
  if (remote.source === 'previous-edit') {
    notes.push(
      'No edit is open, so this is the live version (read through the previous edit). plan reads it the same way; apply creates an edit only when there is something to change.',
    );
  }
  if (remote.edit?.value.status === 'REVIEW') {
    notes.push(
      `The open edit ${remote.edit.value.id} is in REVIEW (Amazon is reviewing a version): it was only read. plan and apply refuse to run until the review ends; then plan compares against the version that went live.`,
    );
  }
  return notes;
}

function assetNote({ imageLists, videoLists }: { imageLists: number; videoLists: number }): string {
  const images = `${imageLists} image list${imageLists === 1 ? '' : 's'}`;
  const videos = `${videoLists} video list${videoLists === 1 ? '' : 's'}`;
  const verb = imageLists + videoLists === 1 ? 'was' : 'were';
  return (
    `${images} and ${videos} ${verb} left unmanaged: the API cannot download them. ` +
    `Point \`images:\` (or \`videos:\`) at local files to manage them; the first apply replaces each list once. ` +
    `Their remote ids are recorded in ${STATE_FILE}.`
  );
}

/** A comment must stay on its line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
