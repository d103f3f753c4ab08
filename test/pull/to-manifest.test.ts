// The pure conversion RemoteState → manifest files, on hand-made remote states: what is written, what
// is left out (and said), and — by property — that whatever is written reads back through the real
// loader as exactly the remote value.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Device, Listing, Targeting } from '../../src/appstore/types.js';
import { LISTING_FIELDS } from '../../src/appstore/types.js';
import { loadManifest } from '../../src/manifest/index.js';
import { bulletsVerdict, keywordsVerdict, textVerdict } from '../../src/pull/expressible.js';
import {
  APP_ID_PATTERN,
  manifestFromRemote,
  PullError,
  type PullLayout,
  SCHEMA_ID,
} from '../../src/pull/index.js';
import type { RemoteApk, RemoteListing, RemoteState } from '../../src/remote/index.js';
import { PROJECT_ROOT } from '../support/workspace.js';

const APP = 'amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef';
const v = <T>(value: T) => ({ value, etag: undefined });

function listing(language: string, text: Partial<Listing> = {}): RemoteListing {
  return {
    listing: v({
      language,
      title: 'Acme Notes',
      shortDescription: 'Notes that sync.',
      fullDescription: 'Line one.\nLine two.',
      recentChanges: 'Bug fixes.',
      featureBullets: ['Offline first'],
      keywords: ['notes'],
      ...text,
    }),
    images: {},
    videos: undefined,
  };
}

function device(id: string, name: string, status: Device['status']): Device {
  return { id: `amzn1.appstore.device.${id}`, name, status, reason: {} };
}

function apk(id: string, name: string, versionCode: number, targeting?: Partial<Targeting>): RemoteApk {
  return {
    apk: v({ id, name, versionCode }),
    targeting: v({ amazonDevices: [], nonAmazonDevices: [], ...targeting }),
  };
}

function remote(overrides: Partial<RemoteState> = {}): RemoteState {
  return {
    appId: APP,
    source: 'open-edit',
    edit: v({ id: 'amzn1.devportal.apprelease.1', status: 'IN_PROGRESS' }),
    readFrom: 'amzn1.devportal.apprelease.1',
    apks: [apk('M8FYZDFK0GJG0', 'APK1', 100)],
    listings: { 'en-US': listing('en-US') },
    details: v({ defaultLanguage: 'en-US', contactEmail: 'help@acme.example' }),
    availability: v({}),
    ...overrides,
  };
}

/** The parsed manifest, typed only as far as these tests read it. */
interface PulledYaml {
  [key: string]: unknown;
  listings: Record<string, Record<string, unknown>>;
}

function manifestOf(state: RemoteState, layout: PullLayout = 'inline') {
  const out = manifestFromRemote(state, { layout });
  const yaml = out.files.get('appstore.release.yaml')!;
  return { ...out, yaml, value: parse(yaml) as PulledYaml };
}

describe('manifestFromRemote', () => {
  it('refuses a remote state it could not read, and says to open an edit', () => {
    const none = remote({ source: 'none', edit: null, readFrom: null, apks: undefined, listings: undefined });
    expect(() => manifestFromRemote(none, { layout: 'inline' })).toThrow(PullError);
    expect(() => manifestFromRemote(none, { layout: 'inline' })).toThrow(/cannot be read without one/);
    try {
      manifestFromRemote(none, { layout: 'inline' });
    } catch (error) {
      expect((error as PullError).hint).toContain('--open-edit');
    }
  });

  it('writes keys in a fixed order, the schema modeline, and multi-line text as a literal block', () => {
    const { yaml, value, files } = manifestOf(
      remote({
        availability: v({ publishingDate: { dateTime: '2027-01-15T09:00:00', zoneId: 'US/Pacific' } }),
      }),
    );
    expect(yaml.startsWith(`# yaml-language-server: $schema=${SCHEMA_ID}\n`)).toBe(true);
    expect(Object.keys(value)).toEqual(['version', 'app', 'apks', 'listings', 'details', 'availability']);
    expect(Object.keys(value.listings['en-US']!)).toEqual([...LISTING_FIELDS]);
    expect(yaml).toContain('    fullDescription: |-\n      Line one.\n      Line two.\n');
    expect(yaml).toContain('id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef # Acme Notes\n');
    // Quoted so that YAML 1.1 readers (editors) do not take it for a timestamp.
    expect(yaml).toContain('dateTime: "2027-01-15T09:00:00"');
    expect([...files.keys()]).toEqual(['appstore.release.yaml', 'appstore.release.state.json']);
  });

  it('double-quotes strings a block scalar would not give back, and YAML 1.1 look-alikes', () => {
    const bullets = [' \n', '\n', 'a \n b', 'yes', 'on', '0o17', '2027-01-15'];
    const { yaml, value } = manifestOf(
      remote({ listings: { 'en-US': listing('en-US', { featureBullets: bullets }) } }),
    );
    expect(value.listings['en-US']!.featureBullets).toEqual(bullets);
    expect(parse(yaml, { schema: 'yaml-1.1' }).listings['en-US'].featureBullets).toEqual(bullets);
    expect(yaml).toContain('      - "\\ \\n"\n');
  });

  it('gives the same bytes for the same remote state, whatever order the API listed locales in', () => {
    const a = manifestFromRemote(
      remote({
        listings: { 'en-US': listing('en-US'), 'de-DE': listing('de-DE', { title: 'Acme Notizen' }) },
      }),
      { layout: 'files' },
    );
    const b = manifestFromRemote(
      remote({
        listings: { 'de-DE': listing('de-DE', { title: 'Acme Notizen' }), 'en-US': listing('en-US') },
      }),
      { layout: 'files' },
    );
    expect([...a.files]).toEqual([...b.files]);
    expect(Object.keys(parse(a.files.get('appstore.release.yaml')!).listings)).toEqual(['de-DE', 'en-US']);
  });

  it('moves the long texts to store/{locale}/*.txt in the files layout, with a final newline', () => {
    const { value, files } = manifestOf(remote(), 'files');
    expect(value.listings['en-US']).toEqual({
      title: 'Acme Notes',
      shortDescription: { file: 'store/en-US/short-description.txt' },
      fullDescription: { file: 'store/en-US/full-description.txt' },
      recentChanges: { file: 'store/en-US/recent-changes.txt' },
      featureBullets: ['Offline first'],
      keywords: ['notes'],
    });
    expect(files.get('store/en-US/full-description.txt')).toBe('Line one.\nLine two.\n');
    expect(files.get('store/en-US/recent-changes.txt')).toBe('Bug fixes.\n');
  });

  it('writes targeting as it is: TARGETING → include, NOT_TARGETING → exclude, DISABLED never', () => {
    const targeting = {
      amazonDevices: [
        device('177APHJPEZKTD', 'Fire TV Stick 4K', 'TARGETING'),
        device('3KZLQ6H0D2C5B', 'Fire TV Cube', 'NOT_TARGETING'),
        device('1XG7TR0V4NPQ8', 'Fire HD 8 (2022)', 'DISABLED'),
      ],
      nonAmazonDevices: [device('0NONAMZANDROID', 'Android', 'DISABLED')],
    };
    const { value, yaml } = manifestOf(remote({ apks: [apk('M8FYZDFK0GJG0', 'APK1', 100, targeting)] }));
    expect(value.apks).toEqual([
      {
        file: 'REPLACE-WITH-PATH-TO/APK1.apk',
        slot: 'APK1',
        targeting: {
          amazonDevices: {
            include: ['amzn1.appstore.device.177APHJPEZKTD'],
            exclude: ['amzn1.appstore.device.3KZLQ6H0D2C5B'],
          },
        },
      },
    ]);
    expect(yaml).toContain('- amzn1.appstore.device.177APHJPEZKTD # Fire TV Stick 4K\n');
    expect(yaml).toContain(
      'file: REPLACE-WITH-PATH-TO/APK1.apk # versionCode 100 remotely: point this at your build\n',
    );
    expect(yaml).not.toContain('1XG7TR0V4NPQ8');
  });

  it('leaves targeting out when no device can be named, and names APKs by id when names repeat', () => {
    const { value, notes } = manifestOf(
      remote({
        apks: [
          apk('AAAAAAAAAAAA1', 'APK1', 100, { amazonDevices: [device('1', 'Tablet', 'DISABLED')] }),
          apk('AAAAAAAAAAAA2', 'APK1', 200),
        ],
      }),
    );
    expect(value.apks).toEqual([
      { file: 'REPLACE-WITH-PATH-TO/AAAAAAAAAAAA1.apk', slot: 'AAAAAAAAAAAA1' },
      { file: 'REPLACE-WITH-PATH-TO/AAAAAAAAAAAA2.apk', slot: 'AAAAAAAAAAAA2' },
    ]);
    expect(notes.join('\n')).toContain('AAAAAAAAAAAA1 (versionCode 100), AAAAAAAAAAAA2 (versionCode 200)');
  });

  it('writes no apks and no APK note when the edit has none', () => {
    const { value, notes, yaml } = manifestOf(remote({ apks: [] }));
    expect(value.apks).toBeUndefined();
    expect(notes.join('\n')).not.toContain('placeholder');
    expect(yaml).not.toContain('Before plan');
  });

  it('uses the manifest spelling of underscore locales and leaves out locales it cannot name', () => {
    const { value, notes } = manifestOf(
      remote({ listings: { en_US: listing('en_US'), 'zh-Hans': listing('zh-Hans') } }),
    );
    expect(Object.keys(value.listings)).toEqual(['en-US']);
    expect(notes).toContain(
      'listings.zh-Hans left out (unmanaged): the manifest accepts locales like en-US only.',
    );
  });

  it.each([
    ['title', 'x'.repeat(251), 'it is 251 characters long and the manifest accepts at most 250'],
    ['fullDescription', 'Text\n', 'it ends with a line break, which the manifest trims'],
    ['fullDescription', 'a\r\nb', 'it contains carriage returns'],
    ['shortDescription', '\uFEFFText', 'it starts with a byte-order mark'],
    ['keywords', ['two words'], "'two words' is not a single word"],
    ['keywords', [' '], 'it contains an empty keyword'],
    ['featureBullets', ['ok', ''], 'it contains an empty bullet'],
    ['title', null, "it is not text in the API's answer (null)"],
  ])('leaves %s out when the manifest cannot hold it exactly (%j)', (field, bad, reason) => {
    const { value, notes } = manifestOf(
      remote({ listings: { 'en-US': listing('en-US', { [field]: bad } as Partial<Listing>) } }),
    );
    expect(value.listings['en-US']![field]).toBeUndefined();
    expect(
      notes.find((n) => n.startsWith(`listings.en-US.${field} left out (unmanaged): ${reason}`)),
    ).toBeDefined();
  });

  it('writes contact fields the schema accepts, and leaves out empty or malformed ones', () => {
    const { value, notes } = manifestOf(
      remote({
        details: v({
          defaultLanguage: 'en-US',
          contactEmail: 'not an address',
          contactWebsite: 'ftp://acme.example',
          contactPhone: '',
        }),
      }),
    );
    expect(value.details).toBeUndefined();
    expect(notes).toContain(
      "details.contactEmail left out (unmanaged): 'not an address' is not an e-mail address the schema accepts. Fix it in the Developer Console or add it by hand.",
    );
    expect(notes.some((n) => n.startsWith('details.contactWebsite left out'))).toBe(true);
    expect(notes.some((n) => n.includes('contactPhone'))).toBe(false);

    const good = manifestOf(
      remote({
        details: v({
          defaultLanguage: 'en-US',
          contactWebsite: 'https://acme.example/help',
          contactPhone: '+1-206-555-0100',
        }),
      }),
    );
    expect(good.value.details).toEqual({
      contactWebsite: 'https://acme.example/help',
      contactPhone: '+1-206-555-0100',
    });
  });

  it.each([
    [{ dateTime: '2027-02-30T09:00:00', zoneId: 'US/Pacific' }, 'is not a real date and time'],
    [{ dateTime: '2027-01-15T09:00:00.000', zoneId: 'US/Pacific' }, 'is not of the form YYYY-MM-DDTHH:mm:ss'],
    [{ dateTime: '2027-01-15T09:00:00', zoneId: '' }, 'it has no time zone'],
    [
      { dateTime: '2027-01-15T09:00:00', zoneId: 'UTC', offset: 0 },
      'it has fields the manifest cannot hold (offset)',
    ],
  ])('leaves a publishing date out when the manifest cannot hold it (%j)', (date, reason) => {
    const { value, notes } = manifestOf(remote({ availability: v({ publishingDate: date as never }) }));
    expect(value.availability).toBeUndefined();
    expect(
      notes.find((n) => n.startsWith('availability.publishingDate left out') && n.includes(reason)),
    ).toBeDefined();
  });

  it('leaves availability out silently when no date is set', () => {
    const { value, notes } = manifestOf(remote({ availability: v({}) }));
    expect(value.availability).toBeUndefined();
    expect(notes.some((n) => n.includes('availability'))).toBe(false);
  });

  it('records remote asset ids with unknown hashes, and counts the lists it leaves unmanaged', () => {
    const en = listing('en-US');
    en.images = {
      'small-icons': v([{ id: 'icon' }]),
      screenshots: v([{ id: 's1' }, { id: 's2' }, { id: 's3' }]),
      'promo-images': v([]),
    };
    en.videos = v([{ id: 'video' }]);
    const out = manifestOf(remote({ listings: { en_US: en } }));
    expect(JSON.parse(out.files.get('appstore.release.state.json')!)).toEqual({
      apks: {},
      app_id: APP,
      assets: {
        'en-US': {
          screenshots: { ids: ['s1', 's2', 's3'], sha256: ['', '', ''] },
          'small-icons': { ids: ['icon'], sha256: [''] },
          videos: { ids: ['video'], sha256: [''] },
        },
      },
      format_version: 1,
    });
    expect(out.notes).toContain(
      '2 image lists and 1 video list were left unmanaged: the API cannot download them. Point `images:` (or `videos:`) at local files to manage them; the first apply replaces each list once. Their remote ids are recorded in appstore.release.state.json.',
    );
    expect(out.value.listings['en-US']!.images).toBeUndefined();
    expect(out.value.listings['en-US']!.videos).toBeUndefined();
  });

  it('notes where the values came from: the live version, or an edit in review', () => {
    const live = manifestOf(remote({ source: 'previous-edit', edit: null, readFrom: 'prev' }));
    expect(live.notes[0]).toContain('No edit is open, so this is the live version');
    expect(live.yaml).toContain('from the live version (no edit was open)');
    const review = manifestOf(remote({ edit: v({ id: 'amzn1.devportal.apprelease.9', status: 'REVIEW' }) }));
    expect(review.notes[0]).toContain('The open edit amzn1.devportal.apprelease.9 is in REVIEW');
  });

  it("matches the schema's app id pattern and $id", () => {
    const schema = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'schemas', 'appstore.release.schema.json'), 'utf8'),
    );
    expect(APP_ID_PATTERN.source).toBe(schema.properties.app.properties.id.pattern);
    expect(SCHEMA_ID).toBe(schema.$id);
  });
});

// ------------------------------------------------------------------------------------------ property

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Characters that YAML, the loader or a text file treat specially, mixed with plain ones. */
const tricky = fc.constantFrom(
  ...[
    'a',
    'Z',
    '0',
    ' ',
    ' ',
    '\n',
    '\n',
    '\t',
    '#',
    ':',
    '-',
    '?',
    '|',
    '>',
    '"',
    "'",
    '!',
    '&',
    '*',
    '%',
    '@',
  ],
  ...[
    '`',
    '{',
    '}',
    '[',
    ']',
    ',',
    '\\',
    '~',
    'é',
    '🙂',
    '\u0085',
    '\u2028',
    '\u00a0',
    '\r',
    '\uFEFF',
    '\u0007',
  ],
);
const text = fc.oneof(
  fc.string({ unit: tricky, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const word = fc.string({ unit: tricky, minLength: 1, maxLength: 8 });

describe('manifestFromRemote, read back by the loader', () => {
  it('gives back every remote text it writes, in both layouts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'appstore-release-pull-prop-'));
    dirs.push(root);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          title: text,
          shortDescription: text,
          fullDescription: text,
          recentChanges: text,
          featureBullets: fc.array(word, { maxLength: 3 }),
          keywords: fc.array(word, { maxLength: 3 }),
        }),
        fc.constantFrom<PullLayout>('inline', 'files'),
        async (fields, layout) => {
          const state = remote({ apks: [], listings: { 'en-US': listing('en-US', fields) } });
          const out = manifestFromRemote(state, { layout });
          const dir = join(root, String(run++));
          for (const [path, content] of out.files) {
            mkdirSync(dirname(join(dir, path)), { recursive: true });
            writeFileSync(join(dir, path), content);
          }
          const loaded = await loadManifest(join(dir, 'appstore.release.yaml'), { cwd: dir });
          if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
          const expected: Record<string, unknown> = {};
          for (const field of LISTING_FIELDS) {
            const value = fields[field];
            const verdict =
              field === 'keywords'
                ? keywordsVerdict(value)
                : field === 'featureBullets'
                  ? bulletsVerdict(value)
                  : textVerdict(field, value);
            const written = verdict === undefined;
            if (written) expected[field] = value;
          }
          expect(loaded.manifest.listings[0]?.text).toEqual(expected);
          // And YAML 1.1 readers (editors) see the same strings where the loader sees strings.
          const yaml11 = parse(out.files.get('appstore.release.yaml')!, { schema: 'yaml-1.1' });
          if (layout === 'inline' && expected.title !== undefined) {
            expect(yaml11.listings['en-US'].title).toBe(expected.title);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
