import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { AppError } from '../errors/app-error.js';

/** Large reads keep the syscall count low on multi-hundred-MB APKs; memory stays at one chunk. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The sha256 (lowercase hex) and size of a file, in one streaming pass: memory does not grow with the
 * file, so a 500 MB APK costs the same RAM as an icon.
 */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AppError('FILE_NOT_FOUND', `${path} does not exist`, {
        hint: 'Fix the path in the manifest, or create the file.',
        cause: error,
      });
    }
    throw new AppError('FILE_UNREADABLE', `${path} cannot be read (${code ?? String(error)})`, {
      hint: 'Check that the path is a file you can read.',
      cause: error,
    });
  }
  return { sha256: hash.digest('hex'), size };
}
