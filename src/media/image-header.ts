import { open } from 'node:fs/promises';
import { AppError } from '../errors/app-error.js';
import type { ImageHeader } from './types.js';

/**
 * Format and pixel size of a PNG or JPEG from its first bytes, for the store's image rules (exact
 * sizes per image type). PNG keeps its size in the IHDR chunk at a fixed offset; JPEG keeps it in the
 * first SOF segment, after any number of APPn/DQT/DHT segments, so we hop from segment to segment by
 * their lengths and read only the headers, never the pixel data.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_HEADER_BYTES = 24; // signature, IHDR length and type, width, height
/** Bytes fetched per read while walking JPEG segments; EXIF and ICC blocks are usually within it. */
const WINDOW_BYTES = 64 * 1024;
/** A JPEG has a few dozen segments before its frame header; this bounds the walk on a hostile file. */
const MAX_JPEG_SEGMENTS = 4096;

export function sniffImageFormatFromBytes(buf: Buffer): 'png' | 'jpeg' | undefined {
  if (buf.length >= PNG_SIGNATURE.length && buf.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE))
    return 'png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  return undefined;
}

function pngHeader(buf: Buffer): ImageHeader | undefined {
  if (buf.length < PNG_HEADER_BYTES || buf.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

type JpegScan =
  | { kind: 'found'; width: number; height: number }
  | { kind: 'invalid' }
  /** The walk needs bytes from `position` (absolute) that the window does not hold. */
  | { kind: 'need'; position: number; segments: number };

/** SOF0…SOF15 carry the frame size; C4 (DHT), C8 (JPG extension) and CC (DAC) share the range but do not. */
const isStartOfFrame = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walks JPEG segments from absolute `position`, over `window` which starts at absolute `windowStart`. */
function scanJpeg(window: Buffer, windowStart: number, position: number, segments: number): JpegScan {
  let pos = position;
  for (let count = segments; count < MAX_JPEG_SEGMENTS; count++) {
    const at = pos - windowStart;
    // Enough for a marker with fill bytes and a frame header's first fields.
    if (at + 9 > window.length) return { kind: 'need', position: pos, segments: count };
    if (window[at] !== 0xff) return { kind: 'invalid' };
    let markerAt = at + 1;
    while (window[markerAt] === 0xff && markerAt < at + 8) markerAt++; // fill bytes
    const marker = window[markerAt]!;
    if (marker === 0xff) {
      pos = windowStart + markerAt; // a long run of fill bytes: continue from the last one
      continue;
    }
    const segmentAt = markerAt + 1;
    if (marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos = windowStart + segmentAt; // standalone markers carry no length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return { kind: 'invalid' }; // image data or end before any frame
    if (segmentAt + 7 > window.length) return { kind: 'need', position: pos, segments: count };
    if (isStartOfFrame(marker)) {
      return {
        kind: 'found',
        height: window.readUInt16BE(segmentAt + 3),
        width: window.readUInt16BE(segmentAt + 5),
      };
    }
    const length = window.readUInt16BE(segmentAt);
    if (length < 2) return { kind: 'invalid' };
    pos = windowStart + segmentAt + length;
  }
  return { kind: 'invalid' };
}

/** The header from bytes already in memory (e.g. the first chunk of an upload); undefined if they do not show one. */
export function readImageHeaderFromBytes(buf: Buffer): ImageHeader | undefined {
  const format = sniffImageFormatFromBytes(buf);
  if (format === 'png') return pngHeader(buf);
  if (format === 'jpeg') {
    const scan = scanJpeg(buf, 0, 2, 0);
    return scan.kind === 'found' ? { format, width: scan.width, height: scan.height } : undefined;
  }
  return undefined;
}

/** The header of an image file, reading only its first bytes; undefined when it is neither PNG nor JPEG. */
export async function readImageHeader(path: string): Promise<ImageHeader | undefined> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${code ?? String(error)})`,
      { hint: 'Fix the path in the manifest, or create the file.', cause: error },
    );
  }
  try {
    const readWindow = async (position: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(WINDOW_BYTES);
      const { bytesRead } = await file.read(buffer, 0, WINDOW_BYTES, position);
      return buffer.subarray(0, bytesRead);
    };
    let windowStart = 0;
    let window = await readWindow(0);
    const format = sniffImageFormatFromBytes(window);
    if (format === 'png') return pngHeader(window);
    if (format !== 'jpeg') return undefined;

    let scan = scanJpeg(window, windowStart, 2, 0);
    let previous = -1;
    while (scan.kind === 'need') {
      // A full window from that position was not enough: the file ends inside a segment header.
      if (scan.position === previous) return undefined;
      previous = scan.position;
      windowStart = scan.position;
      window = await readWindow(windowStart);
      scan = scanJpeg(window, windowStart, scan.position, scan.segments);
    }
    return scan.kind === 'found' ? { format, width: scan.width, height: scan.height } : undefined;
  } finally {
    await file.close();
  }
}
