// Every file a manifest references, seen from the manifest's folder: where it is, whether it is a
// regular file, and (once per absolute path, however often it is referenced) its hash, text, image
// header, APK info or video container. All disk work goes through one concurrency limiter.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { readApk } from '../apk/index.js';
import type { ApkInfo } from '../apk/types.js';
import { createLimit, type Limit } from '../concurrency/limit.js';
import { sha256File } from '../hashing/sha256-file.js';
import type { VideoContainer } from '../media/index.js';
import { readImageHeader } from '../media/index.js';
import type { ImageHeader } from '../media/types.js';
import { readTextFile, type TextFileResult } from './text-file.js';
import { sniffVideo } from './video-sniff.js';

export interface LocatedPath {
  /** Absolute, normalized. */
  abs: string;
  /** Relative to the manifest's folder, `/`-separated (`../x` when outside it). */
  display: string;
  /** Lexically outside the manifest's folder (`..` or an absolute path elsewhere). */
  outside: boolean;
}

export type FileKind =
  | { kind: 'file'; size: number }
  | { kind: 'missing' }
  | { kind: 'directory' }
  | { kind: 'other' }
  | { kind: 'unreadable'; reason: string };

export const FILE_CONCURRENCY = 8;

export class ManifestFiles {
  readonly dir: string;
  readonly #limit: Limit;
  readonly #kinds = new Map<string, Promise<FileKind>>();
  readonly #hashes = new Map<string, Promise<{ sha256: string; size: number }>>();
  readonly #texts = new Map<string, Promise<TextFileResult>>();
  readonly #headers = new Map<string, Promise<ImageHeader | undefined>>();
  readonly #apks = new Map<string, Promise<ApkInfo>>();
  readonly #videos = new Map<string, Promise<VideoContainer | undefined>>();
  readonly #globs = new Map<string, Promise<string[]>>();

  constructor(dir: string, concurrency = FILE_CONCURRENCY) {
    this.dir = dir;
    this.#limit = createLimit(concurrency);
  }

  locate(path: string): LocatedPath {
    const abs = resolve(this.dir, path);
    return { abs, display: this.display(abs), outside: isOutside(this.dir, abs) };
  }

  display(abs: string): string {
    const rel = relative(this.dir, abs);
    return isAbsolute(rel) ? rel : rel.split(sep).join('/');
  }

  kind(abs: string): Promise<FileKind> {
    return cached(this.#kinds, abs, () => this.#limit(() => kindOf(abs)));
  }

  /** Hashed once per absolute path, however many times the manifest names the file. */
  hash(abs: string): Promise<{ sha256: string; size: number }> {
    return cached(this.#hashes, abs, () => this.#limit(() => sha256File(abs)));
  }

  text(abs: string): Promise<TextFileResult> {
    return cached(this.#texts, abs, () => this.#limit(() => readTextFile(abs)));
  }

  imageHeader(abs: string): Promise<ImageHeader | undefined> {
    return cached(this.#headers, abs, () => this.#limit(() => readImageHeader(abs)));
  }

  /** Rejects with the APK reader's AppError for a file that is not a usable APK. */
  apk(abs: string): Promise<ApkInfo> {
    return cached(this.#apks, abs, () => this.#limit(() => readApk(abs)));
  }

  video(abs: string): Promise<VideoContainer | undefined> {
    return cached(this.#videos, abs, () => this.#limit(() => sniffVideo(abs)));
  }

  /** Regular files matching a fast-glob pattern (relative to the manifest), absolute, in natural order. */
  glob(pattern: string): Promise<string[]> {
    return cached(this.#globs, pattern, () =>
      this.#limit(async () => {
        const matches = await fg(pattern, { cwd: this.dir, onlyFiles: true, absolute: true, unique: true });
        return [...new Set(matches.map((m) => resolve(m)))].sort(naturalOrder);
      }),
    );
  }
}

export function isGlobPattern(path: string): boolean {
  return fg.isDynamicPattern(path);
}

/** `screenshot-2.png` before `screenshot-10.png`. */
export function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function isOutside(dir: string, abs: string): boolean {
  const rel = relative(dir, abs);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

async function kindOf(abs: string): Promise<FileKind> {
  try {
    const stats = await stat(abs);
    if (stats.isFile()) {
      // Checked here so a permission problem is a diagnostic, not an exception while hashing.
      await access(abs, constants.R_OK);
      return { kind: 'file', size: stats.size };
    }
    if (stats.isDirectory()) return { kind: 'directory' };
    return { kind: 'other' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'unreadable', reason: code ?? String(error) };
  }
}
