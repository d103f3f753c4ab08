import { type BoundedReader, OutOfBoundsError } from './bounded-reader.js';

/**
 * ResStringPool (frameworks/base/libs/androidfw ResourceTypes.h), shared by binary XML and
 * resources.arsc. Strings are decoded lazily: a resources.arsc pool can hold thousands of strings and
 * we need one or two of them.
 */
export const RES_STRING_POOL_TYPE = 0x0001;
const UTF8_FLAG = 1 << 8;

export class StringPool {
  private readonly cache = new Map<number, string>();

  private constructor(
    private readonly r: BoundedReader,
    private readonly offsetsAt: number,
    private readonly stringsAt: number,
    private readonly end: number,
    readonly count: number,
    readonly utf8: boolean,
  ) {}

  /** Parses the pool chunk that starts at `chunkAt` (its header included). */
  static parse(r: BoundedReader, chunkAt: number): StringPool {
    const headerSize = r.u16(chunkAt + 2);
    const chunkSize = r.u32(chunkAt + 4);
    const count = r.u32(chunkAt + 8);
    const flags = r.u32(chunkAt + 16);
    const stringsStart = r.u32(chunkAt + 20);
    r.check(chunkAt, chunkSize);
    r.check(chunkAt + headerSize, count * 4);
    return new StringPool(
      r,
      chunkAt + headerSize,
      chunkAt + stringsStart,
      chunkAt + chunkSize,
      count,
      (flags & UTF8_FLAG) !== 0,
    );
  }

  /** The string at `index`, or undefined for an out-of-range index (0xFFFFFFFF means "no string"). */
  get(index: number): string | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const cached = this.cache.get(index);
    if (cached !== undefined) return cached;
    const at = this.stringsAt + this.r.u32(this.offsetsAt + index * 4);
    const value = this.utf8 ? this.decodeUtf8(at) : this.decodeUtf16(at);
    this.cache.set(index, value);
    return value;
  }

  private decodeUtf8(at: number): string {
    const r = this.r;
    // Two lengths: in UTF-16 units (ignored), then in bytes; each 1 byte, or 2 with the high bit set.
    let p = at;
    const u16len = r.u8(p);
    p += u16len & 0x80 ? 2 : 1;
    let byteLength = r.u8(p);
    if (byteLength & 0x80) {
      byteLength = ((byteLength & 0x7f) << 8) | r.u8(p + 1);
      p += 2;
    } else {
      p += 1;
    }
    this.checkInside(p, byteLength);
    return r.slice(p, byteLength).toString('utf8');
  }

  private decodeUtf16(at: number): string {
    const r = this.r;
    // Length in UTF-16 units: one u16, or two with the high bit of the first set.
    let p = at;
    let length = r.u16(p);
    if (length & 0x8000) {
      length = ((length & 0x7fff) << 16) | r.u16(p + 2);
      p += 4;
    } else {
      p += 2;
    }
    this.checkInside(p, length * 2);
    return r.slice(p, length * 2).toString('utf16le');
  }

  private checkInside(at: number, length: number): void {
    if (at + length > this.end)
      throw new OutOfBoundsError(`${this.r.what} string pool`, at, length, this.end);
  }
}
