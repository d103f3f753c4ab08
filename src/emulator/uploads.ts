// Receiving upload bodies without holding them: every byte is hashed on the way through, APK bytes go
// to a temp file (the APK reader needs random access) and image/video bytes are dropped after the
// first few KiB that the format sniffers need. Memory per request stays at about one chunk.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { badRequest } from './api-errors.js';

export interface ReceivedBytes {
  sha256: string;
  size: number;
  /** The first bytes of the body (up to the head limit asked for). */
  head: Buffer;
}

/** Hashes and counts what flows through, and keeps the first `headLimit` bytes. */
class HashTap extends Transform {
  readonly #hash = createHash('sha256');
  readonly #headLimit: number;
  readonly #head: Buffer[] = [];
  #headSize = 0;
  size = 0;

  constructor(headLimit: number) {
    super();
    this.#headLimit = headLimit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.size += chunk.length;
    if (this.#headSize < this.#headLimit) {
      const part = chunk.subarray(0, this.#headLimit - this.#headSize);
      this.#head.push(Buffer.from(part));
      this.#headSize += part.length;
    }
    callback(null, chunk);
  }

  result(): ReceivedBytes {
    return { sha256: this.#hash.digest('hex'), size: this.size, head: Buffer.concat(this.#head) };
  }
}

const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

/**
 * Streams the body (through `stages`, e.g. a multipart extractor) into a new file under `dir`; the
 * caller deletes it. On failure the partial file is deleted here.
 */
export async function receiveToFile(
  body: Readable,
  dir: string,
  stages: Transform[] = [],
): Promise<ReceivedBytes & { path: string }> {
  const path = join(dir, `${randomUUID()}.bin`);
  const tap = new HashTap(0);
  try {
    await pipeline([body, ...stages, tap, createWriteStream(path)]);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return { ...tap.result(), path };
}

/** Reads the body to its end, keeping only its hash, size and first `headLimit` bytes. */
export async function receiveHead(
  body: Readable,
  headLimit: number,
  stages: Transform[] = [],
): Promise<ReceivedBytes> {
  const tap = new HashTap(headLimit);
  await pipeline([body, ...stages, tap, discard()]);
  return tap.result();
}

/** Header parsing stops here: a part's headers never need more. */
const MAX_PART_HEADER_BYTES = 16 * 1024;

/**
 * Passes through only the content of one multipart/form-data part (field `fieldName`), streaming:
 * the body is scanned for the boundary chunk by chunk, keeping just enough bytes to see a delimiter
 * split across chunks.
 */
export class MultipartPart extends Transform {
  readonly #open: Buffer;
  readonly #delimiter: Buffer;
  readonly #fieldName: string;
  #pending: Buffer = Buffer.alloc(0);
  #state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  #inTarget = false;
  found = false;

  constructor(boundary: string, fieldName: string) {
    super();
    this.#open = Buffer.from(`--${boundary}`);
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
    this.#fieldName = fieldName;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    try {
      this.#scan();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.#state !== 'done') {
      callback(
        badRequest('error_invalid_request_body', 'The multipart body ends before its closing boundary.'),
      );
    } else if (!this.found) {
      callback(badRequest('required_data_absent', `The multipart body has no '${this.#fieldName}' part.`));
    } else {
      callback();
    }
  }

  #scan(): void {
    for (;;) {
      if (this.#state === 'preamble') {
        const at = this.#pending.indexOf(this.#open);
        if (at < 0) {
          this.#pending = this.#pending.subarray(Math.max(0, this.#pending.length - this.#open.length));
          return;
        }
        this.#pending = this.#pending.subarray(at + this.#open.length);
        this.#state = 'headers';
      } else if (this.#state === 'headers') {
        // After a delimiter: "--" ends the body, otherwise CRLF then the part's headers.
        if (this.#pending.length < 2) return;
        if (this.#pending.subarray(0, 2).toString('latin1') === '--') {
          this.#state = 'done';
          this.#pending = Buffer.alloc(0);
          return;
        }
        const end = this.#pending.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.#pending.length > MAX_PART_HEADER_BYTES) {
            throw badRequest('error_invalid_request_body', 'A multipart part has oversized headers.');
          }
          return;
        }
        const headers = this.#pending.subarray(0, end).toString('latin1');
        const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
        this.#inTarget = name === this.#fieldName && !this.found;
        if (this.#inTarget) this.found = true;
        this.#pending = this.#pending.subarray(end + 4);
        this.#state = 'body';
      } else if (this.#state === 'body') {
        const at = this.#pending.indexOf(this.#delimiter);
        if (at < 0) {
          const keep = this.#delimiter.length - 1;
          const emit = this.#pending.length - keep;
          if (emit > 0) {
            if (this.#inTarget) this.push(Buffer.from(this.#pending.subarray(0, emit)));
            this.#pending = this.#pending.subarray(emit);
          }
          return;
        }
        if (this.#inTarget && at > 0) this.push(Buffer.from(this.#pending.subarray(0, at)));
        this.#pending = this.#pending.subarray(at + this.#delimiter.length);
        this.#inTarget = false;
        this.#state = 'headers';
      } else {
        this.#pending = Buffer.alloc(0);
        return;
      }
    }
  }
}

/** The boundary of a multipart/form-data Content-Type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const match = /\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}
