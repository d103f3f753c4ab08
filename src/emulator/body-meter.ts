// Every request body passes through a meter: it counts the bytes the server read (for the request
// log) and, under a `slow-upload` fault, releases them no faster than the configured rate. Because it
// is a stream stage, backpressure reaches the socket and the client really is slowed down.
import { Transform, type TransformCallback } from 'node:stream';

export class BodyMeter extends Transform {
  bytes = 0;
  /** Bytes per second; 0 = unlimited. */
  readonly #bytesPerSecond: number;
  #startedAt = 0;

  constructor(bytesPerSecond = 0) {
    super();
    this.#bytesPerSecond = bytesPerSecond;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.bytes === 0) this.#startedAt = performance.now();
    this.bytes += chunk.length;
    if (this.#bytesPerSecond <= 0) {
      callback(null, chunk);
      return;
    }
    // Release the chunk when the average rate since the first byte falls back to the limit.
    const due = this.#startedAt + (this.bytes / this.#bytesPerSecond) * 1000;
    const wait = due - performance.now();
    if (wait <= 0) callback(null, chunk);
    else setTimeout(() => callback(null, chunk), wait);
  }
}
