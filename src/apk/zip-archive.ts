import { crc32, inflateRawSync } from 'node:zlib';
import { ApkError } from './apk-error.js';
import { BoundedReader, OutOfBoundsError } from './bounded-reader.js';
import { type RandomAccessFile, readAt } from './random-access-file.js';

/**
 * Just enough of the zip format to list an APK's entries and read a few small ones: the End Of
 * Central Directory record (plain and ZIP64), the central directory, local headers, and entries that
 * are stored (method 0) or deflated (method 8). Nothing is read that the caller does not ask for.
 */

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  file: RandomAccessFile;
  path: string;
  size: number;
  entries: ZipEntry[];
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_MIN_SIZE = 56;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const MAX_COMMENT = 0xffff;
const ZIP64_EXTRA_ID = 0x0001;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;

/** The central directory of a huge APK with tens of thousands of entries stays well under this. */
const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** Manifest and resources.arsc are kilobytes to a few MiB; anything bigger is not one we should load. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

const startsWithLocalHeader = (head: Buffer): boolean =>
  head.length >= 4 && head.readUInt32LE(0) === LOCAL_HEADER_SIGNATURE;

function notAZip(path: string): ApkError {
  return new ApkError('APK_NOT_ZIP', `${path} is not an APK (no zip central directory)`, {
    hint: 'Point the manifest at the .apk your build produces (e.g. build/outputs/apk/release/app-release.apk).',
  });
}

function truncated(path: string, detail: string): ApkError {
  return new ApkError('APK_TRUNCATED', `${path} is truncated or incomplete (${detail})`, {
    hint: 'The file was probably cut short by an interrupted build, copy or download: build or copy it again.',
  });
}

function corrupt(path: string, detail: string, cause?: unknown): ApkError {
  return new ApkError('APK_CORRUPT_ZIP', `${path} is a damaged zip file (${detail})`, {
    hint: 'Rebuild the APK; if it came from a download or an artifact store, fetch it again.',
    cause,
  });
}

/** Finds the End Of Central Directory record and returns where the central directory is. */
async function locateCentralDirectory(
  file: RandomAccessFile,
  path: string,
  size: number,
): Promise<{ offset: number; size: number; count: number }> {
  const tailLength = Math.min(size, MAX_COMMENT + EOCD_SIZE);
  const tailStart = size - tailLength;
  const tail = await readAt(file, tailStart, tailLength);

  // Scan backwards: the record is 22 bytes plus a comment of at most 64 KiB. A candidate is accepted
  // only if its comment length reaches exactly to the end of the file, so a stray signature inside a
  // comment or in entry data is not mistaken for it.
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (
      tail.readUInt32LE(i) === EOCD_SIGNATURE &&
      i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length
    ) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    const head = tailStart === 0 ? tail : await readAt(file, 0, 4);
    throw startsWithLocalHeader(head) ? truncated(path, 'no end of central directory record') : notAZip(path);
  }

  const record = new BoundedReader(tail, 'end of central directory');
  let count = record.u16(eocd + 10);
  let cdSize = record.u32(eocd + 12);
  let cdOffset = record.u32(eocd + 16);

  // ZIP64: a locator sits right before the classic record and points to the 64-bit record.
  const locatorAt = eocd - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0 && record.u32(locatorAt) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64At = record.u64(locatorAt + 8);
    if (zip64At + ZIP64_EOCD_MIN_SIZE > size) throw truncated(path, 'ZIP64 record points past the end');
    const zip64 = new BoundedReader(await readAt(file, zip64At, ZIP64_EOCD_MIN_SIZE), 'ZIP64 end record');
    if (zip64.size < ZIP64_EOCD_MIN_SIZE || zip64.u32(0) !== ZIP64_EOCD_SIGNATURE) {
      throw corrupt(path, 'ZIP64 locator points to no ZIP64 record');
    }
    count = zip64.u64(32);
    cdSize = zip64.u64(40);
    cdOffset = zip64.u64(48);
  } else if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw corrupt(path, 'ZIP64 values without a ZIP64 locator');
  }

  const eocdAbsolute = tailStart + eocd;
  if (cdOffset + cdSize > eocdAbsolute) {
    throw truncated(path, 'central directory reaches past its end record');
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw corrupt(path, `central directory of ${cdSize} bytes is implausibly large`);
  }
  return { offset: cdOffset, size: cdSize, count };
}

/** Reads the 64-bit sizes/offset from the ZIP64 extra field, for the fields the header marks as 0xFFFFFFFF. */
function applyZip64Extra(
  cd: BoundedReader,
  extraStart: number,
  extraLength: number,
  entry: Pick<ZipEntry, 'compressedSize' | 'uncompressedSize' | 'localHeaderOffset'>,
): void {
  let at = extraStart;
  const end = extraStart + extraLength;
  while (at + 4 <= end) {
    const id = cd.u16(at);
    const length = cd.u16(at + 2);
    if (id === ZIP64_EXTRA_ID) {
      let field = at + 4;
      if (entry.uncompressedSize === 0xffffffff) {
        entry.uncompressedSize = cd.u64(field);
        field += 8;
      }
      if (entry.compressedSize === 0xffffffff) {
        entry.compressedSize = cd.u64(field);
        field += 8;
      }
      if (entry.localHeaderOffset === 0xffffffff) {
        entry.localHeaderOffset = cd.u64(field);
      }
      return;
    }
    at += 4 + length;
  }
}

function parseCentralDirectory(buf: Buffer, expected: number, path: string): ZipEntry[] {
  const cd = new BoundedReader(buf, 'central directory');
  const entries: ZipEntry[] = [];
  let at = 0;
  try {
    while (at + CENTRAL_HEADER_SIZE <= buf.length && cd.u32(at) === CENTRAL_HEADER_SIGNATURE) {
      const flags = cd.u16(at + 8);
      const nameLength = cd.u16(at + 28);
      const extraLength = cd.u16(at + 30);
      const commentLength = cd.u16(at + 32);
      const nameBytes = cd.slice(at + CENTRAL_HEADER_SIZE, nameLength);
      const entry: ZipEntry = {
        // Without the UTF-8 flag names are CP437; every name we look for is ASCII, where the two agree.
        name: nameBytes.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1'),
        method: cd.u16(at + 10),
        flags,
        crc32: cd.u32(at + 16),
        compressedSize: cd.u32(at + 20),
        uncompressedSize: cd.u32(at + 24),
        localHeaderOffset: cd.u32(at + 42),
      };
      applyZip64Extra(cd, at + CENTRAL_HEADER_SIZE + nameLength, extraLength, entry);
      entries.push(entry);
      at += CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    }
  } catch (error) {
    if (error instanceof OutOfBoundsError) throw corrupt(path, 'central directory entry cut short', error);
    throw error;
  }
  // The 16-bit count in a plain EOCD wraps for > 65535 entries, so only a ZIP64 count is exact; trust
  // what we parsed but refuse a directory that has fewer entries than it claims.
  if (entries.length < expected && expected !== 0xffff) {
    throw corrupt(path, `central directory lists ${entries.length} of ${expected} entries`);
  }
  return entries;
}

/** Reads the central directory. The caller owns `file` and closes it. */
export async function readZipDirectory(
  file: RandomAccessFile,
  path: string,
  size: number,
): Promise<ZipArchive> {
  const location = await locateCentralDirectory(file, path, size);
  const buf = await readAt(file, location.offset, location.size);
  if (buf.length < location.size) throw truncated(path, 'central directory cut short');
  return { file, path, size, entries: parseCentralDirectory(buf, location.count, path) };
}

/** Reads and, if needed, inflates one entry, checking sizes and CRC. Only for small entries. */
export async function readZipEntry(archive: ZipArchive, entry: ZipEntry): Promise<Buffer> {
  const { path } = archive;
  if (entry.flags & FLAG_ENCRYPTED) {
    throw new ApkError('APK_UNSUPPORTED_ENTRY', `${path}: ${entry.name} is encrypted`, {
      hint: 'APKs are never encrypted zips; rebuild the APK.',
    });
  }
  if (entry.method !== 0 && entry.method !== 8) {
    throw new ApkError(
      'APK_UNSUPPORTED_ENTRY',
      `${path}: ${entry.name} uses zip compression method ${entry.method}; APKs use stored (0) or deflate (8)`,
      { hint: 'Rebuild the APK with the Android build tools instead of repacking it with another zip tool.' },
    );
  }
  if (entry.uncompressedSize > MAX_ENTRY_BYTES || entry.compressedSize > MAX_ENTRY_BYTES) {
    throw new ApkError(
      'APK_ENTRY_TOO_LARGE',
      `${path}: ${entry.name} is ${Math.max(entry.uncompressedSize, entry.compressedSize)} bytes, over the ${MAX_ENTRY_BYTES}-byte limit for this entry`,
      {
        hint: 'A real AndroidManifest.xml or resources.arsc is far smaller: check that the APK is not damaged.',
      },
    );
  }

  const header = await readAt(archive.file, entry.localHeaderOffset, LOCAL_HEADER_SIZE);
  if (header.length < LOCAL_HEADER_SIZE) throw truncated(path, `${entry.name} lies past the end of the file`);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
    throw corrupt(path, `no local header for ${entry.name} at offset ${entry.localHeaderOffset}`);
  }
  // Sizes come from the central directory: with a data descriptor the local header holds zeros.
  const dataStart =
    entry.localHeaderOffset + LOCAL_HEADER_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = await readAt(archive.file, dataStart, entry.compressedSize);
  if (raw.length < entry.compressedSize) throw truncated(path, `${entry.name} cut short`);

  let data: Buffer;
  if (entry.method === 0) {
    data = raw;
  } else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: MAX_ENTRY_BYTES });
    } catch (error) {
      throw corrupt(path, `${entry.name} does not inflate`, error);
    }
  }
  if (data.length !== entry.uncompressedSize) {
    throw corrupt(
      path,
      `${entry.name} is ${data.length} bytes, the directory says ${entry.uncompressedSize}`,
    );
  }
  if (crc32(data) !== entry.crc32) throw corrupt(path, `${entry.name} fails its CRC check`);
  return data;
}
