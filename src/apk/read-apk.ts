import { ApkError } from './apk-error.js';
import { BinaryXmlError, parseBinaryXml, type XmlElement } from './binary-xml.js';
import { OutOfBoundsError } from './bounded-reader.js';
import { booleanOf, integerOf, readManifestElements, stringOf } from './manifest-attributes.js';
import { type OpenRandomAccessFile, openReadOnly, type RandomAccessFile } from './random-access-file.js';
import { formatResourceId, isReference, type ResValue } from './res-value.js';
import { ResourceTable, ResourceTableError } from './resource-table.js';
import type { ApkInfo } from './types.js';
import { readZipDirectory, readZipEntry, type ZipArchive } from './zip-archive.js';

export interface ReadApkOptions {
  /** How to open the file; tests pass a wrapper that counts the bytes read. Defaults to fs.open. */
  open?: OpenRandomAccessFile;
}

const MANIFEST = 'AndroidManifest.xml';
const RESOURCES = 'resources.arsc';
const NATIVE_LIB = /^lib\/([^/]+)\/[^/]+/;

/**
 * Reads what the store cares about from an APK: package, versions, SDK levels, native ABIs and
 * declared features. Reads the zip's central directory and the two small entries it needs with
 * positional reads; the rest of the file (dex, assets, native code) is never touched.
 */
export async function readApk(path: string, options: ReadApkOptions = {}): Promise<ApkInfo> {
  const file = await openApk(path, options.open ?? openReadOnly);
  try {
    const stat = await file.stat();
    if (!stat.isFile()) {
      throw new ApkError('APK_UNREADABLE', `${path} is not a regular file`, {
        hint: 'Point the manifest at the .apk file itself.',
      });
    }
    if (stat.size === 0) {
      throw new ApkError('APK_EMPTY', `${path} is empty (0 bytes)`, {
        hint: 'The build or copy that produced it failed: build the APK again.',
      });
    }
    const archive = await readZipDirectory(file, path, stat.size);
    return await readArchive(archive);
  } finally {
    await file.close();
  }
}

async function openApk(path: string, open: OpenRandomAccessFile): Promise<RandomAccessFile> {
  try {
    return await open(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ApkError('APK_NOT_FOUND', `${path} does not exist`, {
        hint: 'Build the APK first, or fix the path in the manifest.',
        cause: error,
      });
    }
    throw new ApkError('APK_UNREADABLE', `${path} cannot be opened (${code ?? String(error)})`, {
      hint: 'Check that the path is a file you can read.',
      cause: error,
    });
  }
}

async function readArchive(archive: ZipArchive): Promise<ApkInfo> {
  const { path } = archive;
  const manifestEntry = archive.entries.find((e) => e.name === MANIFEST);
  if (manifestEntry === undefined) {
    const names = new Set(archive.entries.map((e) => e.name));
    if (names.has('BundleConfig.pb') || names.has(`base/manifest/${MANIFEST}`)) {
      throw new ApkError(
        'APK_IS_AAB',
        `${path} is an Android App Bundle (.aab): the App Submission API accepts APKs only; build an APK, e.g. with bundletool build-apks --mode=universal`,
        {
          hint: 'bundletool build-apks --mode=universal --bundle=app.aab --output=app.apks, then unzip universal.apk',
        },
      );
    }
    throw new ApkError('APK_NO_MANIFEST', `${path} is a zip file without ${MANIFEST}, so it is not an APK`, {
      hint: 'Point the manifest at the .apk your Android build produces.',
    });
  }

  const manifestBytes = await readZipEntry(archive, manifestEntry);
  const raw = readManifestElements(parseManifest(path, manifestBytes));
  if (raw.packageName === undefined || raw.packageName === '') {
    throw new ApkError('APK_NO_PACKAGE', `${path}: ${MANIFEST} has no package name`, {
      hint: 'Rebuild the APK; a built manifest always carries the package attribute.',
    });
  }

  // resources.arsc is read only if some attribute we need is a reference, and at most once.
  let table: Promise<ResourceTable | undefined> | undefined;
  const resolve = async (value: ResValue | undefined): Promise<ResValue | undefined> => {
    if (value === undefined || !isReference(value)) return value;
    table ??= loadResourceTable(archive);
    return (await table)?.resolve(value.data);
  };

  const versionCode = integerOf(await resolve(raw.versionCode));
  if (versionCode === undefined) {
    throw new ApkError('APK_NO_VERSION_CODE', `${path}: ${MANIFEST} has no android:versionCode`, {
      hint: 'Set versionCode in the app module (defaultConfig { versionCode … }) and rebuild: the store matches APKs by it.',
    });
  }

  const versionName = stringOf(await resolve(raw.versionName));
  const info: ApkInfo = {
    packageName: raw.packageName,
    versionCode,
    versionName,
    minSdk: integerOf(await resolve(raw.minSdk)),
    targetSdk: integerOf(await resolve(raw.targetSdk)),
    nativePlatforms: nativePlatforms(archive),
    usesFeatures: [],
  };
  if (versionName === undefined && raw.versionName !== undefined && isReference(raw.versionName)) {
    info.versionNameUnresolved = formatResourceId(raw.versionName.data);
  }
  for (const feature of raw.usesFeatures) {
    const name = stringOf(await resolve(feature.name));
    // A <uses-feature android:glEsVersion=…> has no name; it is not a named feature.
    if (name !== undefined)
      info.usesFeatures.push({ name, required: booleanOf(await resolve(feature.required), true) });
  }
  return info;
}

function parseManifest(path: string, bytes: Buffer): XmlElement[] {
  const head = bytes.subarray(0, 64).toString('latin1').trimStart();
  if (head.startsWith('<?xml') || head.startsWith('<manifest')) {
    throw new ApkError(
      'APK_CORRUPT_MANIFEST',
      `${path}: ${MANIFEST} is plain-text XML, not compiled binary XML`,
      {
        hint: 'This zip was not produced by the Android build tools: build the APK with Gradle (assembleRelease).',
      },
    );
  }
  try {
    const elements = parseBinaryXml(bytes);
    if (elements[0]?.name !== 'manifest') throw new BinaryXmlError('the root element is not <manifest>');
    return elements;
  } catch (error) {
    if (error instanceof BinaryXmlError || error instanceof OutOfBoundsError) {
      throw new ApkError(
        'APK_CORRUPT_MANIFEST',
        `${path}: ${MANIFEST} is corrupt binary XML (${error.message})`,
        {
          hint: 'Rebuild the APK; if it came from a download or an artifact store, fetch it again.',
          cause: error,
        },
      );
    }
    throw error;
  }
}

async function loadResourceTable(archive: ZipArchive): Promise<ResourceTable | undefined> {
  const entry = archive.entries.find((e) => e.name === RESOURCES);
  if (entry === undefined) return undefined;
  const bytes = await readZipEntry(archive, entry);
  try {
    return ResourceTable.parse(bytes);
  } catch (error) {
    if (error instanceof ResourceTableError || error instanceof OutOfBoundsError) {
      throw new ApkError(
        'APK_CORRUPT_RESOURCES',
        `${archive.path}: ${RESOURCES} is corrupt (${error.message})`,
        {
          hint: 'Rebuild the APK; if it came from a download or an artifact store, fetch it again.',
          cause: error,
        },
      );
    }
    throw error;
  }
}

function nativePlatforms(archive: ZipArchive): string[] {
  const abis = new Set<string>();
  for (const entry of archive.entries) {
    const match = NATIVE_LIB.exec(entry.name);
    if (match?.[1] !== undefined) abis.add(match[1]);
  }
  return [...abis].sort();
}
