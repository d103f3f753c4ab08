import { BoundedReader } from './bounded-reader.js';
import { ResType, type ResValue } from './res-value.js';
import { RES_STRING_POOL_TYPE, StringPool } from './string-pool.js';

/**
 * Android binary XML (AXML), as aapt/aapt2 compile AndroidManifest.xml: a RES_XML_TYPE chunk holding a
 * string pool, a resource map (attribute name index → resource id) and a flat stream of namespace
 * and element chunks. We return the start elements in document order with their typed attributes;
 * text nodes and end-namespace chunks carry nothing the reader needs.
 */

const RES_XML_TYPE = 0x0003;
const RES_XML_RESOURCE_MAP_TYPE = 0x0180;
const RES_XML_START_ELEMENT_TYPE = 0x0102;
const RES_XML_END_ELEMENT_TYPE = 0x0103;
const NO_INDEX = 0xffffffff;
const CHUNK_HEADER_SIZE = 8;
const ATTRIBUTE_MIN_SIZE = 20;

export class BinaryXmlError extends Error {
  override name = 'BinaryXmlError';
}

export interface XmlAttribute {
  namespace: string | undefined;
  name: string;
  /** From the resource map; undefined when the map has no id for this name (e.g. `package`). */
  resourceId: number | undefined;
  value: ResValue;
}

export interface XmlElement {
  namespace: string | undefined;
  name: string;
  /** Names of the enclosing elements, outermost first. */
  path: string[];
  attributes: XmlAttribute[];
}

export function parseBinaryXml(buf: Buffer): XmlElement[] {
  const r = new BoundedReader(buf, 'binary XML');
  if (buf.length < CHUNK_HEADER_SIZE) throw new BinaryXmlError(`only ${buf.length} bytes`);
  const type = r.u16(0);
  const headerSize = r.u16(2);
  const size = r.u32(4);
  if (type !== RES_XML_TYPE) {
    throw new BinaryXmlError(`starts with chunk type 0x${type.toString(16)}, not an XML chunk (0x0003)`);
  }
  if (size > buf.length || headerSize < CHUNK_HEADER_SIZE || headerSize > size) {
    throw new BinaryXmlError(
      `XML chunk claims ${size} bytes with a ${headerSize}-byte header; the entry has ${buf.length}`,
    );
  }

  let pool: StringPool | undefined;
  let resourceMap: number[] = [];
  const open: string[] = [];
  const elements: XmlElement[] = [];
  const str = (index: number): string | undefined => (index === NO_INDEX ? undefined : pool?.get(index));

  for (let at = headerSize; at + CHUNK_HEADER_SIZE <= size; ) {
    const chunkType = r.u16(at);
    const chunkHeaderSize = r.u16(at + 2);
    const chunkSize = r.u32(at + 4);
    if (chunkSize < CHUNK_HEADER_SIZE || chunkHeaderSize > chunkSize || at + chunkSize > size) {
      throw new BinaryXmlError(`chunk at offset ${at} has an impossible size ${chunkSize}`);
    }

    if (chunkType === RES_STRING_POOL_TYPE) {
      pool ??= StringPool.parse(r, at);
    } else if (chunkType === RES_XML_RESOURCE_MAP_TYPE) {
      const count = (chunkSize - chunkHeaderSize) / 4;
      resourceMap = Array.from({ length: Math.floor(count) }, (_, i) => r.u32(at + chunkHeaderSize + i * 4));
    } else if (chunkType === RES_XML_START_ELEMENT_TYPE) {
      if (pool === undefined) throw new BinaryXmlError('an element comes before the string pool');
      const ext = at + chunkHeaderSize;
      const name = str(r.u32(ext + 4));
      if (name === undefined) throw new BinaryXmlError(`element at offset ${at} has no name`);
      const attributeStart = r.u16(ext + 8);
      const attributeSize = r.u16(ext + 10);
      const attributeCount = r.u16(ext + 12);
      if (attributeCount > 0 && attributeSize < ATTRIBUTE_MIN_SIZE) {
        throw new BinaryXmlError(`element <${name}> has ${attributeSize}-byte attributes`);
      }
      const attributes: XmlAttribute[] = [];
      for (let i = 0; i < attributeCount; i++) {
        const a = ext + attributeStart + i * attributeSize;
        r.check(a, ATTRIBUTE_MIN_SIZE);
        if (a + ATTRIBUTE_MIN_SIZE > at + chunkSize)
          throw new BinaryXmlError(`attributes of <${name}> overrun it`);
        const nameIndex = r.u32(a + 4);
        const attrName = str(nameIndex);
        if (attrName === undefined) throw new BinaryXmlError(`attribute ${i} of <${name}> has no name`);
        const rawValue = str(r.u32(a + 8));
        const dataType = r.u8(a + 15);
        const data = r.u32(a + 16);
        attributes.push({
          namespace: str(r.u32(a)),
          name: attrName,
          resourceId: resourceMap[nameIndex],
          // A string attribute's typed value indexes the same pool as its raw value.
          value: {
            dataType,
            data,
            string: dataType === ResType.STRING ? (str(data) ?? rawValue) : undefined,
          },
        });
      }
      elements.push({ namespace: str(r.u32(ext)), name, path: [...open], attributes });
      open.push(name);
    } else if (chunkType === RES_XML_END_ELEMENT_TYPE) {
      open.pop();
    }
    at += chunkSize;
  }
  if (pool === undefined) throw new BinaryXmlError('no string pool');
  return elements;
}
