import { open } from 'node:fs/promises';

/**
 * The part of `fs.promises.FileHandle` the APK reader uses: positional reads, the size, close.
 * Taking an opener instead of calling `fs.open` directly lets a test count the bytes we read.
 */
export interface RandomAccessFile {
  read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number; buffer: Buffer }>;
  stat(): Promise<{ size: number; isFile(): boolean }>;
  close(): Promise<void>;
}

export type OpenRandomAccessFile = (path: string) => Promise<RandomAccessFile>;

export const openReadOnly: OpenRandomAccessFile = (path) => open(path, 'r');

/**
 * Reads exactly `length` bytes at `position`, looping over short reads. Returns fewer bytes only when
 * the file ends first; the caller decides whether that means "truncated".
 */
export async function readAt(file: RandomAccessFile, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}
