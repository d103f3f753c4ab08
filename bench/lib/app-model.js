// The app the request and latency benchmarks work on: one or twenty locales, each with full texts, two
// icons and three screenshots, one APK, contact details. Files have realistic sizes (an APK of
// APK_BYTES, screenshots of SCREENSHOT_BYTES) so that byte counts mean something; they are the
// project's fixtures, padded: the APK with a big stored entry (still a real APK that the emulator
// parses), the PNGs with a private ancillary chunk (still valid PNGs of the same dimensions).
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { writeZip } from '../../scripts/fixtures/zip-writer.mjs';
import { FIXTURES } from './workspace.js';

export const APP_ID = 'amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef';
export const APK_ID = 'M8FYZDFK0GJG0';
export const DEFAULT_LOCALE = 'en-US';
export const LOCALES_20 = [
  'en-US',
  'de-DE',
  'fr-FR',
  'es-ES',
  'it-IT',
  'ja-JP',
  'pt-BR',
  'nl-NL',
  'sv-SE',
  'da-DK',
  'fi-FI',
  'nb-NO',
  'pl-PL',
  'tr-TR',
  'ko-KR',
  'zh-CN',
  'ru-RU',
  'cs-CZ',
  'hu-HU',
  'el-GR',
];
/** The locale "a new locale" adds. */
export const EXTRA_LOCALE = 'ga-IE';

export const APK_BYTES = 16 * 1024 * 1024;
export const SCREENSHOT_BYTES = 256 * 1024;
export const LARGE_ICON_BYTES = 64 * 1024;

/** Inserts a private ancillary chunk (`bnCh`) of filler before IEND, so the PNG reaches `size` bytes. */
export function padPng(png, size, salt) {
  const iend = png.length - 12;
  if (png.toString('latin1', iend + 4, iend + 8) !== 'IEND') throw new Error('PNG does not end with IEND');
  const dataLength = Math.max(0, size - png.length - 12);
  const chunk = Buffer.alloc(12 + dataLength);
  chunk.writeUInt32BE(dataLength, 0);
  chunk.write('bnCh', 4, 'latin1');
  for (let i = 0; i < dataLength; i++) chunk[8 + i] = (i * 131 + salt * 17 + (i >> 8)) & 0xff;
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + dataLength)), 8 + dataLength);
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

/** Writes the app's files into `dir` (the workspace links it as `files/`). */
export async function writeAppFiles(dir, { apkBytes = APK_BYTES } = {}) {
  for (const version of [100, 101]) {
    await writeZip(join(dir, `app-v${version}.apk`), [{ name: 'assets/payload.bin', size: apkBytes }], {
      base: join(FIXTURES, `apks/plain-v${version}.apk`),
    });
  }
  await copyFile(join(FIXTURES, 'images/icon-114.png'), join(dir, 'icon-114.png'));
  const large = await readFile(join(FIXTURES, 'images/icon-512.png'));
  await writeFile(join(dir, 'icon-512.png'), padPng(large, LARGE_ICON_BYTES, 0));
  for (let n = 1; n <= 5; n++) {
    const png = await readFile(join(FIXTURES, `images/screenshot-${n}.png`));
    await writeFile(join(dir, `screenshot-${n}.png`), padPng(png, SCREENSHOT_BYTES, n));
  }
}

const FULL_DESCRIPTION = Array.from(
  { length: 12 },
  (_, i) => `Paragraph ${i + 1}: Acme Notes keeps every note, list and sketch in sync across devices.`,
).join('\n');

/**
 * The manifest (as a plain object) for `locales`, with the variations a benchmark row asks for:
 * `apkVersion`, `releaseNotes` (a suffix for every locale's recentChanges), `titleOf` (locale →
 * title override), `screenshotsOf` (locale → screenshot numbers), `contactEmail`.
 */
export function appManifest(locales, change = {}) {
  const listings = {};
  for (const locale of locales) {
    listings[locale] = {
      title: change.titleOf?.[locale] ?? `Acme Notes ${locale}`,
      shortDescription: `Notes that sync across your Fire tablet, Fire TV and phone (${locale}).`,
      fullDescription: FULL_DESCRIPTION,
      recentChanges: `Faster sync and bug fixes${change.releaseNotes ?? ''} (${locale}).`,
      featureBullets: ['Works offline', 'Dark mode', 'Shared notebooks'],
      keywords: ['notes', 'sync', 'offline', 'checklist'],
      images: {
        'small-icons': 'files/icon-114.png',
        'large-icons': 'files/icon-512.png',
        screenshots: (change.screenshotsOf?.[locale] ?? [1, 2, 3]).map((n) => `files/screenshot-${n}.png`),
      },
    };
  }
  return {
    version: 1,
    app: { id: APP_ID },
    apks: [{ file: `files/app-v${change.apkVersion ?? 100}.apk` }],
    listings,
    details: {
      contactEmail: change.contactEmail ?? 'help@acme.example',
      contactWebsite: 'https://acme.example',
    },
  };
}

/** The emulator seed before the first apply: live with APK 100 and a bare en-US listing, an open edit copying it. */
export function initialSeed() {
  const snapshot = () => ({
    apks: [{ id: APK_ID, name: 'APK1', versionCode: 100, drm: true }],
    listings: { [DEFAULT_LOCALE]: { title: 'Acme Notes', recentChanges: 'First release.' } },
    details: { defaultLanguage: DEFAULT_LOCALE, contactEmail: 'help@acme.example' },
    availability: {},
  });
  return {
    apps: [
      {
        appId: APP_ID,
        state: 'LIVE',
        live: snapshot(),
        openEdit: { status: 'IN_PROGRESS', snapshot: snapshot() },
      },
    ],
  };
}
