// The example manifest at the repository root is the documentation users copy: it must load, and
// normalize to exactly what it promises.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadManifest, type Manifest } from '../../src/manifest/index.js';
import { REPO, removeWorkspaces, workspace } from './workspace.js';

afterAll(removeWorkspaces);

const EXAMPLE = join(REPO, 'appstore.release.example.yaml');

async function loadOk(path: string, cwd: string): Promise<Manifest> {
  const result = await loadManifest(path, { cwd });
  if (!result.ok)
    throw new Error(`expected a valid manifest, got ${JSON.stringify(result.diagnostics, null, 2)}`);
  expect(result.warnings).toEqual([]);
  return result.manifest;
}

describe('appstore.release.example.yaml', () => {
  test('starts with the yaml-language-server modeline that points editors at the schema', async () => {
    const text = await readFile(EXAMPLE, 'utf8');
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./schemas/appstore.release.schema.json',
    );
  });

  test('normalizes to the app, APK, listings and assets it describes', async () => {
    const m = await loadOk(EXAMPLE, REPO);
    expect(m.path).toBe(EXAMPLE);
    expect(m.dir).toBe(REPO);
    expect(m.appId).toBe('amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef');

    expect(m.apks).toHaveLength(1);
    const [apk] = m.apks;
    expect(apk?.info.versionCode).toBe(101);
    expect(apk?.info.packageName).toBe('com.acme.notes');
    expect(apk?.slot).toBe('APK1');
    expect(apk?.file.displayPath).toBe('fixtures/apks/plain-v101.apk');
    expect(apk?.file.path).toBe(join(REPO, 'fixtures/apks/plain-v101.apk'));
    expect(apk?.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(apk?.targeting).toEqual({
      amazonDevices: { include: ['amzn1.appstore.device.177APHJPEZKTD'], exclude: [] },
    });

    expect(m.listings.map((l) => l.locale)).toEqual(['de-DE', 'en-US']);
    const [de, en] = m.listings;
    expect(en?.text.title).toBe('Acme Notes');
    expect(de?.text.title).toBe('Acme Notizen');
    expect(en?.text.keywords).toEqual(['notes', 'sync', 'offline', 'checklist', 'journal']);
    expect(de?.text.featureBullets).toHaveLength(3);
    // From the `{locale}` file of each locale, LF only, trailing newline trimmed.
    expect(en?.text.fullDescription).toMatch(/^Acme Notes keeps your notes/);
    expect(en?.text.fullDescription).toMatch(/sign in later to sync\.$/);
    expect(de?.text.fullDescription).toMatch(/^Acme Notizen hält/);
    // recentChanges comes from `defaults`, with {locale} replaced per locale.
    expect(en?.text.recentChanges).toBe(
      'Faster sync on slow networks.\nFixed: checklists lost their order after an edit on Fire TV.',
    );
    expect(de?.text.recentChanges).toMatch(/^Schnellerer Abgleich/);

    expect(en?.images['small-icons']?.map((f) => f.displayPath)).toEqual(['fixtures/images/icon-114.png']);
    expect(de?.images['large-icons']?.map((f) => f.displayPath)).toEqual(['fixtures/images/icon-512.png']);
    expect(en?.images.screenshots?.map((f) => f.displayPath)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `fixtures/images/screenshot-${n}.png`),
    );
    expect(de?.images.screenshots?.map((f) => f.displayPath)).toEqual(
      [1, 2, 3].map((n) => `fixtures/images/screenshot-de-${n}.png`),
    );
    expect(Object.keys(en?.images ?? {}).sort()).toEqual(['large-icons', 'screenshots', 'small-icons']);
    // The same icon serves both locales: one file, one hash.
    expect(de?.images['small-icons']?.[0]?.sha256).toBe(en?.images['small-icons']?.[0]?.sha256);
    expect(en?.videos).toEqual([]);
    expect(de?.videos).toBeUndefined();

    expect(m.details).toEqual({
      contactEmail: 'help@acme.example',
      contactWebsite: 'https://acme.example',
      contactPhone: '+1-206-555-0100',
    });
    expect(m.availability).toEqual({
      publishingDate: { dateTime: '2027-01-15T09:00:00', zoneId: 'US/Pacific' },
    });
    expect(m.stateFile).toBe(join(REPO, 'appstore.release.state.json'));
    expect(m.prune).toEqual({ listings: false, apks: false });
    expect(m.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the digest is stable across loads and machines, and follows the content of referenced files', async () => {
    const first = await loadOk(EXAMPLE, REPO);
    const second = await loadOk(EXAMPLE, REPO);
    expect(second.digest).toBe(first.digest);

    // The same project in another folder (another machine): absolute paths differ, the digest does not.
    const text = await readFile(EXAMPLE, 'utf8');
    const ws = await workspace(text, { copy: ['example'] });
    const copy = await loadOk(ws.manifestPath, ws.dir);
    expect(copy.apks[0]?.file.path).not.toBe(first.apks[0]?.file.path);
    expect(copy.digest).toBe(first.digest);

    await writeFile(join(ws.dir, 'fixtures/example/release-notes/de-DE.txt'), 'Fehlerbehebungen.\n');
    const changed = await loadOk(ws.manifestPath, ws.dir);
    expect(changed.listings[0]?.text.recentChanges).toBe('Fehlerbehebungen.');
    expect(changed.digest).not.toBe(first.digest);
  });
});
