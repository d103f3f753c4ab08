// The promise of `pull`: for every emulator seed we have, pull → (point the APKs at builds of the
// remote versionCodes) → plan shows no changes, and the only thing validate reports before the APKs
// are filled in is the placeholders themselves.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTACT_FIELDS, LISTING_FIELDS } from '../../src/appstore/types.js';
import type { EmulatorOptions, SeedFile } from '../../src/emulator/index.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { APK_PLACEHOLDER_PREFIX, loadManifest } from '../../src/manifest/index.js';
import type { PullLayout } from '../../src/pull/index.js';
import { fetchRemoteState } from '../../src/remote/index.js';
import { readStateFile } from '../../src/state-file/state-file.js';
import { type EmulatorSession, startSession } from '../support/emulator-session.js';
import { PROJECT_ROOT } from '../support/workspace.js';
import { fillApkPlaceholders, listFiles, runCli } from './pull-cli.js';

const SCENARIOS = join(PROJECT_ROOT, 'test', 'scenarios');
/** Every scenario seed, plus the demo's. None is skipped: each is a single app pull can read. */
const SEEDS: [string, string][] = [
  ...readdirSync(SCENARIOS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry): [string, string] => [entry.name, join(SCENARIOS, entry.name)]),
  ['demo', join(PROJECT_ROOT, 'fixtures', 'seeds')] as [string, string],
].sort(([a], [b]) => a.localeCompare(b));

const CASES = SEEDS.flatMap(([name, folder]) =>
  (['inline', 'files'] as PullLayout[]).map((layout) => ({ name, folder, layout })),
);

/** A scenario's seed and the emulator options of its scenario.json (the demo: demo.json, defaults). */
function seedOf(name: string, folder: string): { seed: SeedFile; emulator: EmulatorOptions } {
  const seedPath = name === 'demo' ? join(folder, 'demo.json') : join(folder, 'seed.json');
  const scenarioPath = join(folder, 'scenario.json');
  const scenario =
    name !== 'demo' && existsSync(scenarioPath) ? JSON.parse(readFileSync(scenarioPath, 'utf8')) : {};
  return {
    seed: JSON.parse(readFileSync(seedPath, 'utf8')) as SeedFile,
    emulator: (scenario as { emulator?: EmulatorOptions }).emulator ?? {},
  };
}

const open: { session?: EmulatorSession; dir?: string } = {};
afterEach(async () => {
  await open.session?.close();
  if (open.dir !== undefined) rmSync(open.dir, { recursive: true, force: true });
  open.session = undefined;
  open.dir = undefined;
});

describe('pull then plan shows no changes', () => {
  it('covers every scenario seed and the demo seed', () => {
    expect(SEEDS.length).toBeGreaterThan(10);
    expect(SEEDS.map(([name]) => name)).toContain('demo');
  });

  it.each(CASES)('$name ($layout layout)', async ({ name, folder, layout }) => {
    const { seed, emulator } = seedOf(name, folder);
    expect(seed.apps).toHaveLength(1);
    const appId = seed.apps[0]!.appId;
    const session = await startSession({ ...emulator, seed, idSeed: name });
    open.session = session;
    const dir = mkdtempSync(join(tmpdir(), 'appstore-release-pull-'));
    open.dir = dir;

    const argv = ['pull', '--app-id', appId, '--layout', layout];
    let pulled = await runCli(argv, { cwd: dir, env: session.env });
    const liveUnreadable = !seed.apps[0]!.openEdit && emulator.previousEditReadable === false;
    expect(pulled.stderr.includes('cannot be read without one')).toBe(liveUnreadable);
    if (liveUnreadable) {
      // No open edit and live unreadable (DESIGN decision 9): pull says to create the edit, and that works.
      expect(pulled.stderr).toContain('Run pull --open-edit');
      expect(listFiles(dir)).toEqual([]);
      pulled = await runCli([...argv, '--open-edit'], { cwd: dir, env: session.env });
    }
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    const remote = await fetchRemoteState(session.api, appId, { assets: 'all' });

    // Before the APKs are filled in, validate reports exactly one problem per APK: its placeholder.
    const manifestPath = join(dir, 'appstore.release.yaml');
    const before = await loadManifest(manifestPath, { cwd: dir });
    const apkCount = remote.apks?.length ?? 0;
    if (apkCount === 0) {
      expect(before.ok).toBe(true);
    } else {
      expect(before.ok).toBe(false);
      if (before.ok) return;
      expect(before.diagnostics.map((d) => d.code)).toEqual(Array(apkCount).fill('apk-placeholder'));
      for (const d of before.diagnostics) expect(d.message).toContain(APK_PLACEHOLDER_PREFIX);
    }
    await fillApkPlaceholders(dir, remote);

    if (remote.edit?.value.status === 'REVIEW') {
      // plan refuses an edit in review; once Amazon approves it, live is what was pulled.
      expect(pulled.stdout).toContain('is in REVIEW');
      session.emulator.store.approve(session.emulator.store.app(appId)!);
    }

    const loaded = await loadManifest(manifestPath, { cwd: dir });
    if (!loaded.ok)
      throw new Error(`pulled manifest invalid: ${JSON.stringify(loaded.diagnostics, null, 1)}`);
    expect(loaded.warnings).toEqual([]);
    // "No changes" must not come from leaving things out: every readable value is managed.
    const manifest = loaded.manifest;
    const listings = Object.values(remote.listings ?? {}).map((l) => l.listing.value);
    expect(manifest.listings.map((l) => [l.locale, l.text])).toEqual(
      listings
        .map((l) => [l.language.replace('_', '-'), Object.fromEntries(LISTING_FIELDS.map((f) => [f, l[f]]))])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect(manifest.apks.map((a) => [a.slot, a.info.versionCode])).toEqual(
      (remote.apks ?? []).map((r) => [r.apk.value.name, r.apk.value.versionCode]),
    );
    const details = remote.details?.value;
    const contacts = Object.fromEntries(
      CONTACT_FIELDS.flatMap((f) => (details?.[f] ? [[f, details[f]]] : [])),
    );
    expect(manifest.details).toEqual(Object.keys(contacts).length === 0 ? undefined : contacts);
    const date = remote.availability?.value.publishingDate;
    expect(manifest.availability).toEqual(date === undefined ? undefined : { publishingDate: date });

    const { plan } = await makePlan(manifest, session.api);
    expect(plan.actions).toEqual([]);
    // No note either: every listing and APK the edit has is in the manifest (none "unmanaged").
    expect(plan.notes).toEqual([]);

    // The state file records every remote asset id, in order, with an unknown hash.
    const state = await readStateFile(join(dir, 'appstore.release.state.json'));
    for (const [locale, listing] of Object.entries(remote.listings ?? {})) {
      for (const [kind, list] of Object.entries(listing.images)) {
        const ids = list.value.map((a) => a.id);
        const recorded = state?.assets[locale]?.[kind as keyof (typeof state.assets)[string]];
        expect(recorded ?? { ids: [], sha256: [] }).toEqual({ ids, sha256: ids.map(() => '') });
      }
    }

    // Nothing written or printed carries the client secret.
    const secret = session.env.AMAZON_APPSTORE_CLIENT_SECRET!;
    for (const file of listFiles(dir)) expect(readFileSync(join(dir, file), 'latin1')).not.toContain(secret);
    expect(pulled.stdout).not.toContain(secret);
  });
});

/** Values that stress the YAML writer and the loader's reading of them, and some it cannot express. */
const TRICKY_APP = 'amzn1.devportal.mobileapp.fedcba9876543210fedcba9876543210';
const TRICKY_SEED: SeedFile = {
  apps: [
    {
      appId: TRICKY_APP,
      live: null,
      state: 'NOT_PUBLISHED',
      openEdit: {
        status: 'IN_PROGRESS',
        snapshot: {
          apks: [
            {
              name: 'Phone build',
              versionCode: 100,
              targeting: { nonAmazonDevices: ['amzn1.appstore.device.0NONAMZANDROID'] },
            },
            { name: 'TV', versionCode: 200, features: ['android.software.leanback'] },
          ],
          listings: {
            'en-US': {
              title: 'yes',
              shortDescription: '  key: value # not a comment',
              fullDescription:
                '  Indented first line\n\n- not a list\n\t tab and trailing spaces   \n"quoted" & *star* !tag %pct @at `tick`\n…ünïcödé 🙂\nlast:',
              recentChanges: 'Bug fixes.\n',
              featureBullets: ['null', '123', '0x10', '~', '- dash', 'a: b', ''],
              keywords: ['notes', 'ünïcödé', 'true'],
              images: { 'small-icons': ['amzn1.dex.asset.00000000000000000000000000000001'] },
              videos: ['amzn1.dex.asset.00000000000000000000000000000009'],
            },
            'de-DE': {
              title: 'Acme Notizen',
              shortDescription: 'Kurz.',
              fullDescription: 'Zeile eins\r\nZeile zwei',
              recentChanges: '-',
              featureBullets: [],
              keywords: ['two words'],
            },
          },
          details: {
            defaultLanguage: 'en-US',
            contactEmail: 'help@acme.example',
            contactPhone: '+1-206-555-0100',
          },
          availability: { publishingDate: { dateTime: '2027-01-15T09:00:00', zoneId: 'US/Pacific' } },
        },
      },
    },
  ],
};

describe('pull with values that are hard to write', () => {
  it('writes what YAML can hold exactly, leaves the rest out with a note, and plans no changes', async () => {
    const session = await startSession({ seed: TRICKY_SEED, idSeed: 'tricky', localeKeyStyle: 'underscore' });
    open.session = session;
    const dir = mkdtempSync(join(tmpdir(), 'appstore-release-pull-'));
    open.dir = dir;

    const pulled = await runCli(['pull', '--app-id', TRICKY_APP], { cwd: dir, env: session.env });
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    const notes = pulled.stdout.replace(/\n {4}/g, ' ');
    expect(notes).toContain('listings.en-US.recentChanges left out (unmanaged): it ends with a line break');
    expect(notes).toContain(
      'listings.en-US.featureBullets left out (unmanaged): it contains an empty bullet',
    );
    expect(notes).toContain(
      'listings.de-DE.fullDescription left out (unmanaged): it contains carriage returns',
    );
    expect(notes).toContain("listings.de-DE.keywords left out (unmanaged): 'two words' is not a single word");
    expect(notes).toContain('1 image list and 1 video list were left unmanaged');

    const remote = await fetchRemoteState(session.api, TRICKY_APP, { assets: 'all' });
    expect(Object.keys(remote.listings ?? {}).sort()).toEqual(['de_DE', 'en_US']);
    await fillApkPlaceholders(dir, remote);
    const loaded = await loadManifest(join(dir, 'appstore.release.yaml'), { cwd: dir });
    if (!loaded.ok)
      throw new Error(`pulled manifest invalid: ${JSON.stringify(loaded.diagnostics, null, 1)}`);
    const en = loaded.manifest.listings.find((l) => l.locale === 'en-US');
    const enRemote = remote.listings?.en_US?.listing.value;
    expect(en?.text).toEqual({
      title: enRemote?.title,
      shortDescription: enRemote?.shortDescription,
      fullDescription: enRemote?.fullDescription,
      keywords: enRemote?.keywords,
    });
    expect(loaded.manifest.details).toEqual({
      contactEmail: 'help@acme.example',
      contactPhone: '+1-206-555-0100',
    });
    expect(loaded.manifest.availability).toEqual({
      publishingDate: { dateTime: '2027-01-15T09:00:00', zoneId: 'US/Pacific' },
    });
    const phone = loaded.manifest.apks.find((a) => a.slot === 'Phone build');
    expect(phone?.targeting?.nonAmazonDevices?.include).toEqual(['amzn1.appstore.device.0NONAMZANDROID']);
    // The TV build runs on no tablet: those devices are DISABLED and must not be named at all.
    const tv = loaded.manifest.apks.find((a) => a.slot === 'TV');
    const disabled = (remote.apks?.[1]?.targeting.value.amazonDevices ?? []).filter(
      (d) => d.status === 'DISABLED',
    );
    expect(disabled.length).toBeGreaterThan(0);
    const named = [
      ...(tv?.targeting?.amazonDevices?.include ?? []),
      ...(tv?.targeting?.amazonDevices?.exclude ?? []),
    ];
    for (const device of disabled) expect(named).not.toContain(device.id);

    const { plan } = await makePlan(loaded.manifest, session.api);
    expect(plan.actions).toEqual([]);
    const state = await readStateFile(join(dir, 'appstore.release.state.json'));
    expect(state?.assets['en-US']?.videos).toEqual({
      ids: ['amzn1.dex.asset.00000000000000000000000000000009'],
      sha256: [''],
    });
  });
});
