import { BoundedReader } from './bounded-reader.js';
import { isReference, ResType, type ResValue } from './res-value.js';
import { RES_STRING_POOL_TYPE, StringPool } from './string-pool.js';

/**
 * The slice of resources.arsc needed to resolve a manifest reference such as
 * `android:versionName="@string/version_name"`: the global string pool, the package chunks and their
 * type chunks. Of the configurations an entry has, we take the default one (an all-zero
 * ResTable_config), else the first, which is what a device without special qualifiers would see.
 */

const RES_TABLE_TYPE = 0x0002;
const RES_TABLE_PACKAGE_TYPE = 0x0200;
const RES_TABLE_TYPE_TYPE = 0x0201;
const CHUNK_HEADER_SIZE = 8;
const NO_ENTRY = 0xffffffff;
const NO_ENTRY_16 = 0xffff;
// ResTable_type flags.
const FLAG_SPARSE = 0x01;
const FLAG_OFFSET16 = 0x02;
// ResTable_entry flags.
const ENTRY_FLAG_COMPLEX = 0x0001;
const ENTRY_FLAG_COMPACT = 0x0008;
/** Reference chains (@string/a → @string/b → "x") are short in practice; this guards against loops. */
const MAX_REFERENCE_HOPS = 8;

export class ResourceTableError extends Error {
  override name = 'ResourceTableError';
}

interface TypeChunk {
  at: number;
  headerSize: number;
  size: number;
  flags: number;
  entryCount: number;
  entriesStart: number;
  isDefaultConfig: boolean;
}

interface Package {
  id: number;
  /** Type chunks by type id (1-based, as in resource ids). */
  types: Map<number, TypeChunk[]>;
}

export class ResourceTable {
  private constructor(
    private readonly r: BoundedReader,
    private readonly strings: StringPool | undefined,
    private readonly packages: Map<number, Package>,
  ) {}

  static parse(buf: Buffer): ResourceTable {
    const r = new BoundedReader(buf, 'resources.arsc');
    if (buf.length < 12 || r.u16(0) !== RES_TABLE_TYPE) throw new ResourceTableError('not a resource table');
    const headerSize = r.u16(2);
    const size = r.u32(4);
    if (size > buf.length || headerSize > size) throw new ResourceTableError(`table claims ${size} bytes`);

    let strings: StringPool | undefined;
    const packages = new Map<number, Package>();
    forEachChunk(r, headerSize, size, (type, at, chunkHeaderSize, chunkSize) => {
      if (type === RES_STRING_POOL_TYPE) strings ??= StringPool.parse(r, at);
      else if (type === RES_TABLE_PACKAGE_TYPE) {
        const pkg = parsePackage(r, at, chunkHeaderSize, chunkSize);
        if (!packages.has(pkg.id)) packages.set(pkg.id, pkg);
      }
    });
    return new ResourceTable(r, strings, packages);
  }

  /**
   * The value of resource `id` in the default configuration, following references; undefined when
   * the table does not define it (or the chain is a loop).
   */
  resolve(id: number): ResValue | undefined {
    let current = id;
    for (let hop = 0; hop < MAX_REFERENCE_HOPS; hop++) {
      const value = this.lookup(current);
      if (value === undefined || !isReference(value)) return value;
      current = value.data;
    }
    return undefined;
  }

  private lookup(id: number): ResValue | undefined {
    const pkg = this.packages.get(id >>> 24);
    const chunks = pkg?.types.get((id >>> 16) & 0xff);
    if (chunks === undefined) return undefined;
    const entryIndex = id & 0xffff;
    const ordered = [...chunks.filter((c) => c.isDefaultConfig), ...chunks.filter((c) => !c.isDefaultConfig)];
    for (const chunk of ordered) {
      const value = this.readEntry(chunk, entryIndex);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  private readEntry(chunk: TypeChunk, index: number): ResValue | undefined {
    const r = this.r;
    const offsets = chunk.at + chunk.headerSize;
    let offset: number | undefined;
    if (chunk.flags & FLAG_SPARSE) {
      // Sorted (entry index u16, offset/4 u16) pairs.
      for (let i = 0; i < chunk.entryCount; i++) {
        if (r.u16(offsets + i * 4) === index) {
          offset = r.u16(offsets + i * 4 + 2) * 4;
          break;
        }
      }
    } else if (index < chunk.entryCount) {
      if (chunk.flags & FLAG_OFFSET16) {
        const raw = r.u16(offsets + index * 2);
        offset = raw === NO_ENTRY_16 ? undefined : raw * 4;
      } else {
        const raw = r.u32(offsets + index * 4);
        offset = raw === NO_ENTRY ? undefined : raw;
      }
    }
    if (offset === undefined) return undefined;

    const entry = chunk.at + chunk.entriesStart + offset;
    if (entry >= chunk.at + chunk.size)
      throw new ResourceTableError(`entry ${index} lies outside its type chunk`);
    const entryFlags = r.u16(entry + 2);
    if (entryFlags & ENTRY_FLAG_COMPACT) {
      // Compact entry: key u16, flags u16 (data type in the high byte), data u32.
      return this.value(entryFlags >>> 8, r.u32(entry + 4));
    }
    if (entryFlags & ENTRY_FLAG_COMPLEX) return undefined; // a bag (style, plural…): not a simple value
    const valueAt = entry + r.u16(entry);
    return this.value(r.u8(valueAt + 3), r.u32(valueAt + 4));
  }

  private value(dataType: number, data: number): ResValue {
    return { dataType, data, string: dataType === ResType.STRING ? this.strings?.get(data) : undefined };
  }
}

function forEachChunk(
  r: BoundedReader,
  from: number,
  to: number,
  visit: (type: number, at: number, headerSize: number, size: number) => void,
): void {
  for (let at = from; at + CHUNK_HEADER_SIZE <= to; ) {
    const type = r.u16(at);
    const headerSize = r.u16(at + 2);
    const size = r.u32(at + 4);
    if (size < CHUNK_HEADER_SIZE || headerSize > size || at + size > to) {
      throw new ResourceTableError(`chunk at offset ${at} has an impossible size ${size}`);
    }
    visit(type, at, headerSize, size);
    at += size;
  }
}

function parsePackage(r: BoundedReader, at: number, headerSize: number, size: number): Package {
  const pkg: Package = { id: r.u32(at + 8), types: new Map() };
  forEachChunk(r, at + headerSize, at + size, (type, chunkAt, chunkHeaderSize, chunkSize) => {
    if (type !== RES_TABLE_TYPE_TYPE) return;
    const configAt = chunkAt + 20;
    const configSize = r.u32(configAt);
    const chunk: TypeChunk = {
      at: chunkAt,
      headerSize: chunkHeaderSize,
      size: chunkSize,
      flags: r.u8(chunkAt + 9),
      entryCount: r.u32(chunkAt + 12),
      entriesStart: r.u32(chunkAt + 16),
      // ResTable_config starts with its own size; every field after that is zero for the default.
      isDefaultConfig: r.slice(configAt + 4, Math.max(0, configSize - 4)).every((b) => b === 0),
    };
    const typeId = r.u8(chunkAt + 8);
    const list = pkg.types.get(typeId);
    if (list === undefined) pkg.types.set(typeId, [chunk]);
    else list.push(chunk);
  });
  return pkg;
}
