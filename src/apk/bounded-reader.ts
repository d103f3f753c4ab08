/**
 * Little-endian reads that never run past the end of a buffer. Android's binary formats carry offsets
 * and counts taken from the file; a corrupt or hostile file must give a clean error, not a RangeError
 * from deep inside Buffer or, worse, a silently wrong value.
 */
export class OutOfBoundsError extends Error {
  constructor(what: string, offset: number, length: number, size: number) {
    super(`${what}: ${length} byte(s) at offset ${offset} run past the end (${size} bytes)`);
    this.name = 'OutOfBoundsError';
  }
}

export class BoundedReader {
  constructor(
    readonly buf: Buffer,
    /** Names the structure being read, for error messages. */
    readonly what: string,
  ) {}

  get size(): number {
    return this.buf.length;
  }

  check(offset: number, length: number): void {
    if (!Number.isInteger(offset) || offset < 0 || length < 0 || offset + length > this.buf.length) {
      throw new OutOfBoundsError(this.what, offset, length, this.buf.length);
    }
  }

  u8(offset: number): number {
    this.check(offset, 1);
    return this.buf.readUInt8(offset);
  }

  u16(offset: number): number {
    this.check(offset, 2);
    return this.buf.readUInt16LE(offset);
  }

  u32(offset: number): number {
    this.check(offset, 4);
    return this.buf.readUInt32LE(offset);
  }

  i32(offset: number): number {
    this.check(offset, 4);
    return this.buf.readInt32LE(offset);
  }

  /** A 64-bit field as a number; throws beyond 2^53, which no real file reaches. */
  u64(offset: number): number {
    this.check(offset, 8);
    const value = this.buf.readBigUInt64LE(offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new OutOfBoundsError(`${this.what} (64-bit value too large)`, offset, 8, this.buf.length);
    }
    return Number(value);
  }

  slice(offset: number, length: number): Buffer {
    this.check(offset, length);
    return this.buf.subarray(offset, offset + length);
  }
}
