// The rules JSON Schema cannot express, on manifests generated into temporary projects: limits counted
// the way Amazon counts, defaults and {locale} placeholders, globs, images, videos, APK sets.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Diagnostic, LoadResult, Manifest } from '../../src/manifest/index.js';
import { lineOf, removeWorkspaces, type Workspace, workspace } from './workspace.js';

afterAll(removeWorkspaces);

const HEAD = 'version: 1\napp:\n  id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef\n';

function invalid(result: LoadResult): Diagnostic[] {
  if (result.ok) throw new Error('expected the manifest to be invalid');
  return result.diagnostics;
}

function valid(result: LoadResult): { manifest: Manifest; warnings: Diagnostic[] } {
  if (!result.ok)
    throw new Error(`expected a valid manifest, got ${JSON.stringify(result.diagnostics, null, 2)}`);
  return result;
}

describe('text', () => {
  test('limits count Unicode code points: 250 emoji fit a title, 251 do not', async () => {
    const ok = await workspace(`${HEAD}listings:\n  en-US:\n    title: "${'📝'.repeat(250)}"\n`);
    expect(valid(await ok.load()).manifest.listings[0]?.text.title).toHaveLength(500);
    const tooLong = await workspace(`${HEAD}listings:\n  en-US:\n    title: "${'📝'.repeat(251)}"\n`);
    const [d] = invalid(await tooLong.load());
    expect(d).toMatchObject({ code: 'text-too-long', line: 6 });
    expect(d?.message).toBe('listings.en-US.title is 251 characters long; the Appstore allows at most 250.');
  });

  test('text files: BOM dropped, CRLF counted as one character, trailing newlines trimmed', async () => {
    const ws = await workspace(`${HEAD}listings:\n  en-US:\n    fullDescription: { file: full.txt }\n`);
    // 3998 letters + 1 CRLF + 1 letter = 4000 characters after normalization (4001 bytes of text before).
    await ws.write('full.txt', `\uFEFF${'a'.repeat(3998)}\r\nb\r\n\r\n`);
    const text = valid(await ws.load()).manifest.listings[0]?.text.fullDescription;
    expect(text).toBe(`${'a'.repeat(3998)}\nb`);
  });

  test('a text file that is not UTF-8', async () => {
    const ws = await workspace(`${HEAD}listings:\n  en-US:\n    title: { file: title.txt }\n`);
    await ws.write('title.txt', Buffer.from([0x41, 0xe9, 0x42]));
    expect(invalid(await ws.load()).map((d) => [d.code, d.line])).toEqual([['text-not-utf8', 6]]);
  });

  test('keywords and feature bullets from a file: one per non-empty line, each keyword checked', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  en-US:\n    featureBullets: { file: bullets.txt }\n    keywords: { file: keywords.txt }\n`,
    );
    await ws.write('bullets.txt', 'Offline first\r\n\r\nDark mode\n');
    await ws.write('keywords.txt', 'notes\nsync\n');
    const text = valid(await ws.load()).manifest.listings[0]?.text;
    expect(text?.featureBullets).toEqual(['Offline first', 'Dark mode']);
    expect(text?.keywords).toEqual(['notes', 'sync']);

    await ws.write('keywords.txt', 'notes\nto do\n');
    const [d] = invalid(await ws.load());
    expect(d).toMatchObject({
      code: 'keyword-not-single-word',
      line: lineOf(ws.manifestText, 'keywords.txt'),
    });
    expect(d?.message).toBe(
      "Keyword 'to do' in listings.en-US.keywords (from keywords.txt) is not a single word.",
    );
  });
});

describe('defaults and {locale}', () => {
  test('defaults merge per field into each listed locale; the locale wins; no locale is created', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  defaults:\n    title: Acme\n    recentChanges: Bug fixes.\n    keywords: [notes]\n` +
        '  en-US:\n    title: Acme Notes\n  de-DE: {}\n',
    );
    const { manifest } = valid(await ws.load());
    expect(manifest.listings.map((l) => [l.locale, l.text])).toEqual([
      ['de-DE', { title: 'Acme', recentChanges: 'Bug fixes.', keywords: ['notes'] }],
      ['en-US', { title: 'Acme Notes', recentChanges: 'Bug fixes.', keywords: ['notes'] }],
    ]);
  });

  test('defaults without any locale create nothing and say so', async () => {
    const ws = await workspace(`${HEAD}listings:\n  defaults:\n    title: Acme\n`);
    const { manifest, warnings } = valid(await ws.load());
    expect(manifest.listings).toEqual([]);
    expect(warnings.map((d) => [d.severity, d.code, d.line])).toEqual([['warning', 'defaults-unused', 5]]);
  });

  test('a {locale} default that resolves to missing files is reported once per locale', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  defaults:\n    recentChanges: { file: "notes/{locale}.txt" }\n` +
        '  en-US: {}\n  de-DE: {}\n  fr-FR: {}\n',
    );
    await ws.write('notes/en-US.txt', 'Faster.\n');
    const diags = invalid(await ws.load());
    expect(diags.map((d) => [d.code, d.line, d.message])).toEqual([
      [
        'file-not-found',
        6,
        'File not found: notes/de-DE.txt (listings.defaults.recentChanges.file, for de-DE).',
      ],
      [
        'file-not-found',
        6,
        'File not found: notes/fr-FR.txt (listings.defaults.recentChanges.file, for fr-FR).',
      ],
    ]);
  });

  test('a default without a placeholder is one problem, not one per locale', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  defaults:\n    title: { file: none.txt }\n  en-US: {}\n  de-DE: {}\n`,
    );
    expect(invalid(await ws.load()).map((d) => d.code)).toEqual(['file-not-found']);
  });

  test('{locale} in an image path of a locale', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  en-US:\n    images:\n      small-icons: "store/{locale}/icon.png"\n`,
    );
    await mkdir(join(ws.dir, 'store/en-US'), { recursive: true });
    await copyFile(join(ws.dir, 'fixtures/images/icon-114.png'), join(ws.dir, 'store/en-US/icon.png'));
    const files = valid(await ws.load()).manifest.listings[0]?.images['small-icons'];
    expect(files?.map((f) => f.displayPath)).toEqual(['store/en-US/icon.png']);
  });
});

describe('images', () => {
  async function shots(ws: Workspace, names: string[]): Promise<void> {
    await mkdir(join(ws.dir, 'shots'), { recursive: true });
    for (const name of names)
      await copyFile(join(ws.dir, 'fixtures/images/screenshot-1.png'), join(ws.dir, 'shots', name));
  }

  test('globs expand in natural order, de-duplicated across entries', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  en-US:\n    images:\n      screenshots: [shots/shot-1.png, "shots/*.png"]\n`,
    );
    await shots(ws, ['shot-10.png', 'shot-2.png', 'shot-1.png']);
    const { manifest } = valid(await ws.load());
    expect(manifest.listings[0]?.images.screenshots?.map((f) => f.displayPath)).toEqual([
      'shots/shot-1.png',
      'shots/shot-2.png',
      'shots/shot-10.png',
    ]);
  });

  test('a file whose name looks like a pattern is taken literally', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  en-US:\n    images:\n      screenshots: ["shots/a[1].png", shots/b.png, shots/c.png]\n`,
    );
    await shots(ws, ['a[1].png', 'b.png', 'c.png']);
    const files = valid(await ws.load()).manifest.listings[0]?.images.screenshots;
    expect(files?.map((f) => f.displayPath)).toEqual(['shots/a[1].png', 'shots/b.png', 'shots/c.png']);
  });

  test('a single-image type with two files, and more than 10 screenshots', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  en-US:\n    images:\n      small-icons: [fixtures/images/icon-114.png, fixtures/images/icon-512.png]\n` +
        '      screenshots: "shots/*.png"\n',
    );
    await shots(
      ws,
      Array.from({ length: 11 }, (_, i) => `s${i}.png`),
    );
    const diags = invalid(await ws.load());
    expect(diags.map((d) => [d.code, d.line, d.message])).toEqual([
      [
        'image-count',
        7,
        'listings.en-US.images.small-icons must name exactly one image, but it names 2 files.',
      ],
      ['image-count', 8, 'listings.en-US.images.screenshots names 11 files; screenshots allow at most 10.'],
    ]);
  });

  test('portrait screenshots are accepted; a type without documented sizes takes any size', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  en-US:\n    images:\n      firetv-featured-logos: fixtures/images/wrong-size-100x100.png\n` +
        '      promo-images: fixtures/images/promo-1024x500.png\n      firetv-icons: fixtures/images/firetv-icon-1280x720.png\n' +
        '      firetv-backgrounds: fixtures/images/firetv-bg-1920x1080.png\n',
    );
    const { manifest, warnings } = valid(await ws.load());
    expect(warnings).toEqual([]);
    expect(Object.keys(manifest.listings[0]?.images ?? {})).toEqual([
      'promo-images',
      'firetv-icons',
      'firetv-backgrounds',
      'firetv-featured-logos',
    ]);
  });

  test('a file that is not an image at all', async () => {
    const ws = await workspace(`${HEAD}listings:\n  en-US:\n    images:\n      small-icons: icon.png\n`);
    await ws.write('icon.png', 'not an image');
    expect(invalid(await ws.load()).map((d) => [d.code, d.line])).toEqual([['image-format', 7]]);
  });
});

describe('videos', () => {
  test('a real MP4 is accepted; an empty list means no videos; absent means unmanaged', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  en-US:\n    videos: [fixtures/media/trailer.mp4]\n  de-DE:\n    videos: []\n  fr-FR: {}\n`,
    );
    const { manifest } = valid(await ws.load());
    expect(manifest.listings.map((l) => [l.locale, l.videos?.map((v) => v.displayPath)])).toEqual([
      ['de-DE', []],
      ['en-US', ['fixtures/media/trailer.mp4']],
      ['fr-FR', undefined],
    ]);
  });

  test('more than five videos, and a file that is not a video', async () => {
    const ws = await workspace(
      `${HEAD}listings:\n  en-US:\n    videos: ["clips/*.mp4"]\n  de-DE:\n    videos: [fixtures/images/icon-114.png]\n`,
    );
    await mkdir(join(ws.dir, 'clips'));
    for (let i = 1; i <= 6; i++)
      await copyFile(join(ws.dir, 'fixtures/media/trailer.mp4'), join(ws.dir, `clips/t${i}.mp4`));
    const diags = invalid(await ws.load());
    expect(diags.map((d) => [d.code, d.line])).toEqual([
      ['video-count', 6],
      ['video-format', 8],
    ]);
  });
});

describe('APKs', () => {
  test('two APKs with the same versionCode', async () => {
    const ws = await workspace(
      `${HEAD}apks:\n  - file: fixtures/apks/plain-v100.apk\n    slot: APK1\n  - file: fixtures/apks/plain-v100.apk\n    slot: APK2\n`,
    );
    const diags = invalid(await ws.load());
    expect(diags.map((d) => [d.code, d.line])).toEqual([['apk-duplicate-version-code', 7]]);
    expect(diags[0]?.message).toContain('versionCode 100');
  });

  test('several APKs each need a slot, and slots are unique', async () => {
    const ws = await workspace(
      `${HEAD}apks:\n  - file: fixtures/apks/plain-v100.apk\n    slot: APK1\n  - file: fixtures/apks/plain-v102.apk\n` +
        '  - file: fixtures/apks/plain-v103.apk\n    slot: APK1\n',
    );
    expect(invalid(await ws.load()).map((d) => [d.code, d.line])).toEqual([
      ['apk-slot-required', 7],
      ['apk-slot-duplicate', 9],
    ]);
  });

  test('several APKs of different devices, with slots and targeting', async () => {
    const ws = await workspace(
      `${HEAD}apks:\n  - file: fixtures/apks/plain-v103.apk\n    slot: APK1\n` +
        '  - file: fixtures/apks/firetv-v130.apk\n    slot: M8FYZDFK0GJG0\n' +
        '    targeting: { nonAmazonDevices: { exclude: [phones] } }\n',
    );
    const { manifest } = valid(await ws.load());
    expect(manifest.apks.map((a) => [a.slot, a.info.versionCode, a.targeting])).toEqual([
      ['APK1', 103, undefined],
      ['M8FYZDFK0GJG0', 130, { nonAmazonDevices: { include: [], exclude: ['phones'] } }],
    ]);
  });

  test('a device both included and excluded', async () => {
    const ws = await workspace(
      `${HEAD}apks:\n  - file: fixtures/apks/plain-v100.apk\n    targeting:\n      amazonDevices:\n` +
        '        include: [Fire TV Stick 4K]\n        exclude: [Fire TV Stick 4K]\n',
    );
    expect(invalid(await ws.load()).map((d) => [d.code, d.line])).toEqual([['targeting-conflict', 9]]);
  });
});

describe('availability, state file, prune', () => {
  test('a date that does not exist is an error; an unknown time zone a warning', async () => {
    const bad = await workspace(
      `${HEAD}availability:\n  publishingDate: { dateTime: "2027-02-30T09:00:00", zoneId: US/Pacific }\n`,
    );
    expect(invalid(await bad.load()).map((d) => [d.code, d.line])).toEqual([['invalid-date', 5]]);
    const zone = await workspace(
      `${HEAD}availability:\n  publishingDate:\n    dateTime: "2027-02-28T09:00:00"\n    zoneId: Mars/Base\n`,
    );
    expect(valid(await zone.load()).warnings.map((d) => [d.code, d.line])).toEqual([
      ['unknown-time-zone', 7],
    ]);
    const offset = await workspace(
      `${HEAD}availability:\n  publishingDate: { dateTime: "2027-02-28T09:00:00Z", zoneId: UTC }\n`,
    );
    expect(invalid(await offset.load()).map((d) => d.code)).toEqual(['invalid-date']);
  });

  test('stateFile resolves beside the manifest; prune defaults to off', async () => {
    const ws = await workspace(`${HEAD}stateFile: release/state.json\nprune: { listings: true }\n`);
    const { manifest } = valid(await ws.load());
    expect(manifest.stateFile).toBe(join(ws.dir, 'release/state.json'));
    expect(manifest.prune).toEqual({ listings: true, apks: false });
    expect(manifest.apks).toEqual([]);
    expect(manifest.details).toBeUndefined();
    expect(manifest.availability).toBeUndefined();
  });
});

test('a manifest of several MB loads', async () => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const description = 'Notes that sync across every device you own. '.repeat(85); // 3910 characters
  let text = `${HEAD}apks:\n  - file: fixtures/apks/plain-v101.apk\nlistings:\n  defaults:\n`;
  text +=
    '    images:\n      small-icons: fixtures/images/icon-114.png\n      screenshots: "fixtures/images/screenshot-[0-9]*.png"\n';
  const locales: string[] = [];
  for (const a of letters) {
    for (const b of letters) {
      if (locales.length === 600) break;
      const locale = `${a}${b}-${(b + a).toUpperCase()}`;
      locales.push(locale);
      text += `  ${locale}:\n    title: Acme Notes ${locale}\n    fullDescription: "${description}"\n`;
      text += `    shortDescription: "${description.slice(0, 1100)}"\n    keywords: [notes, sync, ${a}${b}]\n`;
      text += `    featureBullets:\n${'      - Works offline and syncs when you are back online\n'.repeat(10)}`;
    }
  }
  expect(text.length).toBeGreaterThan(3_000_000);
  const ws = await workspace(text);
  const { manifest } = valid(await ws.load());
  expect(manifest.listings).toHaveLength(600);
  expect(manifest.listings.map((l) => l.locale)).toEqual([...locales].sort());
  expect(manifest.listings[599]?.images.screenshots).toHaveLength(5);
  expect(manifest.listings[0]?.text.fullDescription).toHaveLength(description.length);
});
