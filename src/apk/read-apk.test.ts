import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../scripts/fixtures/zip-writer.mjs';
import { ApkError, type ApkErrorCode, type OpenRandomAccessFile, readApk } from './index.js';
import { readZipDirectory, readZipEntry } from './zip-archive.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/apks');
const fixture = (name: string): string => join(FIXTURES, name);

/**
 * What `aapt dump badging` printed for a fixture, reduced to the fields our reader returns. The golden
 * text is the oracle: our reader must agree with Google's own tool on every good fixture.
 */
interface Badging {
  packageName: string;
  versionCode: number;
  versionName: string | undefined;
  minSdk: number | undefined;
  targetSdk: number | undefined;
  nativePlatforms: string[];
  usesFeatures: { name: string; required: boolean }[];
}

function parseBadging(text: string): Badging {
  const pkg = /^package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)'/m.exec(text);
  if (pkg === null) throw new Error('no package line in badging');
  const implied = new Set([...text.matchAll(/^\s*uses-implied-feature: name='([^']*)'/gm)].map((m) => m[1]));
  const features: { name: string; required: boolean }[] = [];
  for (const m of text.matchAll(/^\s*uses-feature(-not-required)?: name='([^']*)'/gm)) {
    const name = m[2]!;
    // aapt adds features it infers (e.g. faketouch) and marks them with uses-implied-feature.
    if (!implied.has(name)) features.push({ name, required: m[1] === undefined });
  }
  const nativeLine = /^native-code: (.*)$/m.exec(text);
  const sdk = /^sdkVersion:'([^']*)'/m.exec(text);
  const target = /^targetSdkVersion:'([^']*)'/m.exec(text);
  return {
    packageName: pkg[1]!,
    versionCode: Number(pkg[2]),
    versionName: pkg[3] === '' ? undefined : pkg[3],
    minSdk: sdk ? Number(sdk[1]) : undefined,
    targetSdk: target ? Number(target[1]) : undefined,
    nativePlatforms: nativeLine ? [...nativeLine[1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]!).sort() : [],
    usesFeatures: features,
  };
}

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);

const GOOD = [
  'plain-v100',
  'plain-v101',
  'plain-v102',
  'plain-v103',
  'string-version-v110',
  'native-v120',
  'firetv-v130',
  'tv-v200',
  'tv-v201',
];

describe('readApk on the aapt-built fixtures', () => {
  it.each(GOOD)('%s.apk agrees with aapt dump badging', async (name) => {
    const golden = parseBadging(await readFile(fixture(`${name}.badging.txt`), 'utf8'));
    const info = await readApk(fixture(`${name}.apk`));
    expect({ ...info, usesFeatures: [...info.usesFeatures].sort(byName) }).toEqual({
      ...golden,
      usesFeatures: [...golden.usesFeatures].sort(byName),
    });
    expect(info.versionNameUnresolved).toBeUndefined();
  });

  it('the golden text itself says what the fixtures are meant to be', async () => {
    // Guards the oracle: a regenerated fixture with a wrong manifest would otherwise pass silently.
    const summary = async (name: string) =>
      parseBadging(await readFile(fixture(`${name}.badging.txt`), 'utf8'));
    expect((await summary('plain-v100')).versionName).toBe('1.0.0');
    expect((await summary('string-version-v110')).versionName).toBe('1.1.0');
    expect((await summary('native-v120')).nativePlatforms).toEqual(['arm64-v8a', 'armeabi-v7a']);
    expect((await summary('firetv-v130')).usesFeatures.sort(byName)).toEqual([
      { name: 'android.hardware.touchscreen', required: false },
      { name: 'android.software.leanback', required: true },
    ]);
    expect((await summary('tv-v201')).versionCode).toBe(201);
  });

  it('reads the full ApkInfo of a plain APK', async () => {
    expect(await readApk(fixture('plain-v100.apk'))).toEqual({
      packageName: 'com.acme.notes',
      versionCode: 100,
      versionName: '1.0.0',
      minSdk: 22,
      targetSdk: 30,
      nativePlatforms: [],
      usesFeatures: [],
    });
  });
});

async function expectApkError(promise: Promise<unknown>, code: ApkErrorCode, fragment: string | RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApkError);
  const apkError = error as ApkError;
  expect(apkError.code).toBe(code);
  expect(apkError.message).toMatch(fragment);
  expect(apkError.hint).toBeTruthy();
  return apkError;
}

describe('readApk on the bad fixtures', () => {
  it('a 0-byte file', async () => {
    const path = fixture('empty.apk');
    const error = await expectApkError(readApk(path), 'APK_EMPTY', 'is empty (0 bytes)');
    expect(error.message).toContain(path);
  });

  it('a text file named .apk', async () => {
    const path = fixture('text.apk');
    const error = await expectApkError(
      readApk(path),
      'APK_NOT_ZIP',
      'is not an APK (no zip central directory)',
    );
    expect(error.message).toContain(path);
  });

  it('an APK cut in half', async () => {
    await expectApkError(readApk(fixture('truncated.apk')), 'APK_TRUNCATED', /truncated\.apk is truncated/);
  });

  it('an Android App Bundle', async () => {
    const error = await expectApkError(
      readApk(fixture('fake.aab')),
      'APK_IS_AAB',
      'is an Android App Bundle (.aab): the App Submission API accepts APKs only',
    );
    expect(error.message).toContain('bundletool build-apks --mode=universal');
  });

  it('a zip without AndroidManifest.xml', async () => {
    await expectApkError(
      readApk(fixture('no-manifest.apk')),
      'APK_NO_MANIFEST',
      'without AndroidManifest.xml',
    );
  });

  it('a manifest without versionCode', async () => {
    await expectApkError(
      readApk(fixture('no-version-code.apk')),
      'APK_NO_VERSION_CODE',
      'has no android:versionCode',
    );
  });

  it('a path that does not exist', async () => {
    await expectApkError(readApk(fixture('missing.apk')), 'APK_NOT_FOUND', 'missing.apk does not exist');
  });

  it('a directory', async () => {
    await expectApkError(readApk(FIXTURES), 'APK_UNREADABLE', 'is not a regular file');
  });
});

describe('readApk on crafted archives', () => {
  let dir: string;
  let manifestOf: (apk: string) => Promise<Buffer>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apk-reader-'));
    manifestOf = async (apk) => {
      const file = await open(fixture(apk), 'r');
      try {
        const archive = await readZipDirectory(file, apk, (await file.stat()).size);
        const entry = archive.entries.find((e) => e.name === 'AndroidManifest.xml')!;
        return await readZipEntry(archive, entry);
      } finally {
        await file.close();
      }
    };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Counts the bytes our reader asks the file system for, through the injectable opener. */
  function countingOpener(): { open: OpenRandomAccessFile; bytesRead: () => number } {
    let total = 0;
    return {
      bytesRead: () => total,
      open: async (path) => {
        const handle = await open(path, 'r');
        return {
          read: async (buffer, offset, length, position) => {
            const result = await handle.read(buffer, offset, length, position);
            total += result.bytesRead;
            return result;
          },
          stat: () => handle.stat(),
          close: () => handle.close(),
        };
      },
    };
  }

  it('reads a 50 MB APK without reading the big stored entry', async () => {
    const path = join(dir, 'big.apk');
    const size = await writeZip(path, [{ name: 'assets/blob.bin', size: 50 * 1024 * 1024 }], {
      base: fixture('native-v120.apk'),
    });
    const counter = countingOpener();
    const info = await readApk(path, { open: counter.open });
    expect(info.versionCode).toBe(120);
    expect(info.nativePlatforms).toEqual(['arm64-v8a', 'armeabi-v7a']);
    expect(size).toBeGreaterThan(50 * 1024 * 1024);
    // The EOCD scan reads at most 64 KiB + 22 bytes; the rest is the directory and the manifest.
    expect(counter.bytesRead()).toBeLessThan(128 * 1024);
  });

  it('reads ZIP64 end records and ZIP64 extra fields', async () => {
    const path = join(dir, 'zip64.apk');
    await writeZip(
      path,
      [
        { name: 'AndroidManifest.xml', data: await manifestOf('firetv-v130.apk'), method: 8 },
        { name: 'lib/x86_64/libnotes.so', data: Buffer.from('elf') },
        { name: 'assets/blob.bin', size: 3 * 1024 * 1024 },
      ],
      { zip64: true },
    );
    const info = await readApk(path);
    expect(info.versionCode).toBe(130);
    expect(info.nativePlatforms).toEqual(['x86_64']);
    expect(info.usesFeatures).toContainEqual({ name: 'android.software.leanback', required: true });
  });

  it('finds the end record behind an archive comment that contains a fake signature', async () => {
    const bytes = await readFile(fixture('plain-v101.apk'));
    const comment = Buffer.concat([
      Buffer.from('built by CI '),
      Buffer.from([0x50, 0x4b, 0x05, 0x06]),
      Buffer.alloc(40, 1),
    ]);
    const withComment = Buffer.concat([bytes, comment]);
    withComment.writeUInt16LE(comment.length, bytes.length - 2);
    const path = join(dir, 'comment.apk');
    await writeFile(path, withComment);
    expect((await readApk(path)).versionCode).toBe(101);
  });

  it('reports a versionName reference it cannot resolve (no resources.arsc)', async () => {
    const path = join(dir, 'no-arsc.apk');
    await writeZip(path, [
      { name: 'AndroidManifest.xml', data: await manifestOf('string-version-v110.apk') },
    ]);
    const info = await readApk(path);
    expect(info.versionCode).toBe(110);
    expect(info.versionName).toBeUndefined();
    expect(info.versionNameUnresolved).toMatch(/^@0x7f[0-9a-f]{6}$/);
  });

  it('rejects a corrupt resources.arsc when it needs it', async () => {
    const path = join(dir, 'bad-arsc.apk');
    await writeZip(path, [
      { name: 'AndroidManifest.xml', data: await manifestOf('string-version-v110.apk') },
      {
        name: 'resources.arsc',
        data: Buffer.from([0x02, 0x00, 0x0c, 0x00, 0xff, 0xff, 0x00, 0x00, 1, 0, 0, 0]),
      },
    ]);
    await expectApkError(readApk(path), 'APK_CORRUPT_RESOURCES', 'resources.arsc is corrupt');
  });

  it('rejects a binary manifest cut short', async () => {
    const manifest = await manifestOf('plain-v100.apk');
    const path = join(dir, 'half-manifest.apk');
    await writeZip(path, [{ name: 'AndroidManifest.xml', data: manifest.subarray(0, manifest.length / 2) }]);
    await expectApkError(readApk(path), 'APK_CORRUPT_MANIFEST', 'AndroidManifest.xml is corrupt binary XML');
  });

  it('rejects a binary manifest whose string offsets point nowhere', async () => {
    const manifest = Buffer.from(await manifestOf('plain-v100.apk'));
    // The first string offset of the pool (right after the 8-byte XML header and 28-byte pool header).
    manifest.writeUInt32LE(0x00ffffff, 8 + 28);
    const path = join(dir, 'bad-offsets.apk');
    await writeZip(path, [{ name: 'AndroidManifest.xml', data: manifest }]);
    await expectApkError(readApk(path), 'APK_CORRUPT_MANIFEST', 'corrupt binary XML');
  });

  it('rejects a plain-text manifest (a zip that was not built by aapt)', async () => {
    const text = await readFile(
      join(import.meta.dirname, '../../scripts/fixtures/apks/plain-v100/AndroidManifest.xml'),
    );
    const path = join(dir, 'text-manifest.apk');
    await writeZip(path, [{ name: 'AndroidManifest.xml', data: text }]);
    await expectApkError(readApk(path), 'APK_CORRUPT_MANIFEST', 'plain-text XML');
  });

  it('rejects an entry that fails its CRC', async () => {
    const path = join(dir, 'crc.apk');
    await writeZip(path, [
      { name: 'AndroidManifest.xml', data: await manifestOf('plain-v100.apk'), crc: 1234 },
    ]);
    await expectApkError(readApk(path), 'APK_CORRUPT_ZIP', 'fails its CRC check');
  });

  it('rejects an entry that does not inflate', async () => {
    const path = join(dir, 'inflate.apk');
    await writeZip(path, [{ name: 'AndroidManifest.xml', data: Buffer.alloc(64, 0xff), method: 8 }]);
    // deflateRawSync made valid data; overwrite it with garbage of the same length.
    const bytes = await readFile(path);
    const dataAt = 30 + 'AndroidManifest.xml'.length;
    bytes.fill(0xff, dataAt, dataAt + 4);
    await writeFile(path, bytes);
    await expectApkError(readApk(path), 'APK_CORRUPT_ZIP', 'does not inflate');
  });

  it('rejects an unsupported compression method', async () => {
    const path = join(dir, 'bzip2.apk');
    await writeZip(path, [
      { name: 'AndroidManifest.xml', data: await manifestOf('plain-v100.apk'), method: 12 },
    ]);
    await expectApkError(readApk(path), 'APK_UNSUPPORTED_ENTRY', 'compression method 12');
  });

  it('refuses to load a manifest entry over 16 MiB', async () => {
    const path = join(dir, 'huge-manifest.apk');
    await writeZip(path, [
      {
        name: 'AndroidManifest.xml',
        data: await manifestOf('plain-v100.apk'),
        uncompressedSize: 17 * 1024 * 1024,
      },
    ]);
    await expectApkError(readApk(path), 'APK_ENTRY_TOO_LARGE', 'over the 16777216-byte limit');
  });

  it('rejects an end record whose directory lies past the end of the file', async () => {
    const bytes = Buffer.from(await readFile(fixture('plain-v100.apk')));
    bytes.writeUInt32LE(bytes.length * 4, bytes.length - 6);
    const path = join(dir, 'cd-past-end.apk');
    await writeFile(path, bytes);
    await expectApkError(readApk(path), 'APK_TRUNCATED', 'central directory reaches past its end record');
  });

  it('rejects a directory that lists more entries than it holds', async () => {
    const bytes = Buffer.from(await readFile(fixture('native-v120.apk')));
    bytes.writeUInt16LE(5, bytes.length - 12);
    const path = join(dir, 'count.apk');
    await writeFile(path, bytes);
    await expectApkError(readApk(path), 'APK_CORRUPT_ZIP', 'lists 3 of 5 entries');
  });
});
