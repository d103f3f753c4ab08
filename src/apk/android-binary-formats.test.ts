// Hand-assembled binary XML and resource tables for the corners aapt (v1) never produces: UTF-8
// manifest pools, obfuscated attribute names, sparse / 16-bit-offset / compact resource entries,
// reference chains and loops. The aapt-built fixtures cover the common path (read-apk.test.ts).
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../scripts/fixtures/zip-writer.mjs';
import { BinaryXmlError, parseBinaryXml } from './binary-xml.js';
import { OutOfBoundsError } from './bounded-reader.js';
import { readApk } from './read-apk.js';
import { ResType } from './res-value.js';
import { ResourceTable, ResourceTableError } from './resource-table.js';
import { readZipDirectory, readZipEntry } from './zip-archive.js';

const ANDROID = 'http://schemas.android.com/apk/res/android';
const u16 = (n: number): Buffer => Buffer.from([n & 0xff, (n >>> 8) & 0xff]);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const pad4 = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);

function chunk(type: number, header: Buffer, body: Buffer): Buffer {
  const headerSize = 8 + header.length;
  return Buffer.concat([u16(type), u16(headerSize), u32(headerSize + body.length), header, body]);
}

function stringPool(strings: string[], utf8: boolean): Buffer {
  const encoded = strings.map((s) => {
    if (utf8) {
      const bytes = Buffer.from(s, 'utf8');
      const len = (n: number) => (n > 0x7f ? Buffer.from([0x80 | (n >> 8), n & 0xff]) : Buffer.from([n]));
      return Buffer.concat([len(s.length), len(bytes.length), bytes, Buffer.from([0])]);
    }
    const units = s.length;
    const len =
      units > 0x7fff ? Buffer.concat([u16(0x8000 | (units >>> 16)), u16(units & 0xffff)]) : u16(units);
    return Buffer.concat([len, Buffer.from(s, 'utf16le'), u16(0)]);
  });
  const offsets: Buffer[] = [];
  let at = 0;
  for (const e of encoded) {
    offsets.push(u32(at));
    at += e.length;
  }
  const stringsStart = 28 + strings.length * 4;
  const header = Buffer.concat([
    u32(strings.length),
    u32(0),
    u32(utf8 ? 0x100 : 0),
    u32(stringsStart),
    u32(0),
  ]);
  return chunk(0x0001, header, pad4(Buffer.concat([...offsets, ...encoded])));
}

// ---- binary XML -------------------------------------------------------------------------------------

type Attr = { ns?: string; name: string; type: number; data?: number; str?: string };
type Node = { start: string; attrs?: Attr[] } | { end: string };

/** Builds an AXML document; strings are interned in order of first use, resource ids map the first ones. */
function axml(nodes: Node[], options: { utf8: boolean; resourceIds?: Record<string, number> }): Buffer {
  const strings: string[] = [];
  const ids = options.resourceIds ?? {};
  // Names with resource ids must come first in the pool, in resource-map order.
  for (const name of Object.keys(ids)) strings.push(name);
  const intern = (s: string): number => {
    const found = strings.indexOf(s);
    if (found >= 0) return found;
    strings.push(s);
    return strings.length - 1;
  };
  const body: Buffer[] = [];
  for (const node of nodes) {
    const nodeHeader = Buffer.concat([u32(1), u32(0xffffffff)]);
    if ('end' in node) {
      body.push(chunk(0x0103, nodeHeader, Buffer.concat([u32(0xffffffff), u32(intern(node.end))])));
      continue;
    }
    const attrs = node.attrs ?? [];
    const attrBytes = attrs.map((a) => {
      const raw = a.str === undefined ? 0xffffffff : intern(a.str);
      const data = a.type === ResType.STRING ? raw : (a.data ?? 0);
      return Buffer.concat([
        u32(a.ns === undefined ? 0xffffffff : intern(a.ns)),
        u32(intern(a.name)),
        u32(raw),
        u16(8),
        Buffer.from([0, a.type]),
        u32(data),
      ]);
    });
    const ext = Buffer.concat([
      u32(0xffffffff),
      u32(intern(node.start)),
      u16(20),
      u16(20),
      u16(attrs.length),
      u16(0),
      u16(0),
      u16(0),
    ]);
    body.push(chunk(0x0102, nodeHeader, Buffer.concat([ext, ...attrBytes])));
  }
  const resourceMap = Object.values(ids);
  const parts = [stringPool(strings, options.utf8)];
  if (resourceMap.length > 0) parts.push(chunk(0x0180, Buffer.alloc(0), Buffer.concat(resourceMap.map(u32))));
  return chunk(0x0003, Buffer.alloc(0), Buffer.concat([...parts, ...body]));
}

describe('binary XML in the manifest (through readApk)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'axml-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const apkWith = async (name: string, manifest: Buffer, extra: { name: string; data: Buffer }[] = []) => {
    const path = join(dir, name);
    await writeZip(path, [{ name: 'AndroidManifest.xml', data: manifest, method: 8 }, ...extra]);
    return path;
  };

  it('reads a UTF-8 pool and matches attributes by name when there is no resource map', async () => {
    const longName = `Notizen ✓ ${'x'.repeat(200)}`; // over 127 bytes: two-byte length prefixes
    const manifest = axml(
      [
        {
          start: 'manifest',
          attrs: [
            { name: 'package', type: ResType.STRING, str: 'com.acme.utf8' },
            { ns: ANDROID, name: 'versionCode', type: ResType.STRING, str: '42' },
            { ns: ANDROID, name: 'versionName', type: ResType.STRING, str: longName },
          ],
        },
        {
          start: 'uses-sdk',
          attrs: [
            { ns: ANDROID, name: 'minSdkVersion', type: ResType.INT_DEC, data: 21 },
            { ns: ANDROID, name: 'targetSdkVersion', type: ResType.INT_HEX, data: 0x22 },
          ],
        },
        { end: 'uses-sdk' },
        // Android honours only the first <uses-sdk>.
        {
          start: 'uses-sdk',
          attrs: [{ ns: ANDROID, name: 'minSdkVersion', type: ResType.INT_DEC, data: 99 }],
        },
        { end: 'uses-sdk' },
        {
          start: 'uses-feature',
          attrs: [
            { ns: ANDROID, name: 'name', type: ResType.STRING, str: 'android.hardware.camera' },
            { ns: ANDROID, name: 'required', type: ResType.STRING, str: 'false' },
          ],
        },
        { end: 'uses-feature' },
        // An OpenGL ES requirement has no name: not a named feature.
        {
          start: 'uses-feature',
          attrs: [{ ns: ANDROID, name: 'glEsVersion', type: ResType.INT_HEX, data: 0x20000 }],
        },
        { end: 'uses-feature' },
        { start: 'application' },
        // Not a child of <manifest>: ignored.
        {
          start: 'uses-feature',
          attrs: [{ ns: ANDROID, name: 'name', type: ResType.STRING, str: 'nested' }],
        },
        { end: 'uses-feature' },
        { end: 'application' },
        { end: 'manifest' },
      ],
      { utf8: true },
    );
    expect(await readApk(await apkWith('utf8.apk', manifest))).toEqual({
      packageName: 'com.acme.utf8',
      versionCode: 42,
      versionName: longName,
      minSdk: 21,
      targetSdk: 34,
      nativePlatforms: [],
      usesFeatures: [{ name: 'android.hardware.camera', required: false }],
    });
  });

  it('matches attributes by resource id, so obfuscated names still work', async () => {
    const manifest = axml(
      [
        {
          start: 'manifest',
          attrs: [
            { name: 'package', type: ResType.STRING, str: 'com.acme.obfuscated' },
            { ns: ANDROID, name: 'a', type: ResType.INT_DEC, data: 7 },
            // Named like versionName but mapped to another framework attribute: must not match.
            { ns: ANDROID, name: 'versionName', type: ResType.STRING, str: 'wrong' },
          ],
        },
        {
          start: 'uses-feature',
          attrs: [
            { ns: ANDROID, name: 'b', type: ResType.STRING, str: 'android.software.leanback' },
            { ns: ANDROID, name: 'c', type: ResType.INT_BOOLEAN, data: 0 },
          ],
        },
        { end: 'uses-feature' },
        { end: 'manifest' },
      ],
      {
        utf8: false,
        resourceIds: { a: 0x0101021b, b: 0x01010003, c: 0x0101028e, versionName: 0x01010001 },
      },
    );
    const info = await readApk(await apkWith('obfuscated.apk', manifest));
    expect(info.versionCode).toBe(7);
    expect(info.versionName).toBeUndefined();
    expect(info.versionNameUnresolved).toBeUndefined();
    expect(info.usesFeatures).toEqual([{ name: 'android.software.leanback', required: false }]);
  });

  it('resolves versionCode and versionName references through resources.arsc', async () => {
    const manifest = axml(
      [
        {
          start: 'manifest',
          attrs: [
            { name: 'package', type: ResType.STRING, str: 'com.acme.refs' },
            { ns: ANDROID, name: 'versionCode', type: ResType.REFERENCE, data: 0x7f010000 },
            { ns: ANDROID, name: 'versionName', type: ResType.REFERENCE, data: 0x7f020000 },
          ],
        },
        { end: 'manifest' },
      ],
      { utf8: false },
    );
    const table = arsc([
      { typeId: 1, entries: [{ type: ResType.INT_DEC, data: 314 }] },
      { typeId: 2, entries: [{ type: ResType.STRING, data: 0 }] },
    ]);
    const info = await readApk(
      await apkWith('refs.apk', manifest, [{ name: 'resources.arsc', data: table }]),
    );
    expect(info).toMatchObject({ versionCode: 314, versionName: 'three-one-four' });
  });

  it('rejects a manifest whose root is not <manifest>', async () => {
    const manifest = axml([{ start: 'resources' }, { end: 'resources' }], { utf8: true });
    await expect(readApk(await apkWith('root.apk', manifest))).rejects.toMatchObject({
      code: 'APK_CORRUPT_MANIFEST',
      message: expect.stringContaining('root element is not <manifest>'),
    });
  });

  it('rejects a manifest without a package name', async () => {
    const manifest = axml(
      [
        { start: 'manifest', attrs: [{ ns: ANDROID, name: 'versionCode', type: ResType.INT_DEC, data: 1 }] },
        { end: 'manifest' },
      ],
      { utf8: true },
    );
    await expect(readApk(await apkWith('nopkg.apk', manifest))).rejects.toMatchObject({
      code: 'APK_NO_PACKAGE',
    });
  });
});

describe('parseBinaryXml on broken input', () => {
  it('names what is wrong', () => {
    expect(() => parseBinaryXml(Buffer.alloc(4))).toThrow(BinaryXmlError);
    expect(() => parseBinaryXml(Buffer.from([2, 0, 8, 0, 8, 0, 0, 0]))).toThrow(/not an XML chunk/);
    expect(() => parseBinaryXml(Buffer.from([3, 0, 8, 0, 0xff, 0, 0, 0]))).toThrow(/claims 255 bytes/);
    expect(() => parseBinaryXml(chunk(0x0003, Buffer.alloc(0), Buffer.alloc(0)))).toThrow(/no string pool/);
    const elementFirst = chunk(0x0003, Buffer.alloc(0), chunk(0x0102, Buffer.alloc(8), Buffer.alloc(20)));
    expect(() => parseBinaryXml(elementFirst)).toThrow(/before the string pool/);
  });

  it('stops at a string whose length runs past its pool', () => {
    const pool = stringPool(['manifest'], true);
    pool[28 + 4 + 1] = 0x7f; // claim 127 bytes for an 8-byte string
    const doc = chunk(
      0x0003,
      Buffer.alloc(0),
      Buffer.concat([
        pool,
        chunk(
          0x0102,
          Buffer.concat([u32(1), u32(0xffffffff)]),
          Buffer.concat([u32(0xffffffff), u32(0), u16(20), u16(20), u16(0), u16(0), u16(0), u16(0)]),
        ),
      ]),
    );
    expect(() => parseBinaryXml(doc)).toThrow(OutOfBoundsError);
  });
});

// ---- resources.arsc ---------------------------------------------------------------------------------

type Entry = { type: number; data: number; compact?: boolean; complex?: boolean } | undefined;
type TypeSpec = {
  typeId: number;
  entries: Entry[];
  config?: 'default' | 'de';
  encoding?: 'dense' | 'sparse' | 'offset16';
};

/** A resource table for package 0x7f with a UTF-16 global pool holding 'three-one-four', 'hallo'. */
function arsc(types: TypeSpec[]): Buffer {
  const typeChunks = types.map((t) => {
    const config = Buffer.alloc(64);
    config.writeUInt32LE(64, 0);
    if (t.config === 'de') config.write('de', 8, 'latin1');
    const encoding = t.encoding ?? 'dense';
    const bodies: Buffer[] = [];
    const offsets: number[] = [];
    let at = 0;
    for (const entry of t.entries) {
      if (entry === undefined) {
        offsets.push(-1);
        continue;
      }
      offsets.push(at);
      const body = entry.compact
        ? Buffer.concat([u16(0), u16((entry.type << 8) | 0x08), u32(entry.data)])
        : Buffer.concat([
            u16(8),
            u16(entry.complex ? 1 : 0),
            u32(0),
            u16(8),
            Buffer.from([0, entry.type]),
            u32(entry.data),
          ]);
      bodies.push(body);
      at += body.length;
    }
    let index: Buffer;
    let flags = 0;
    let count = t.entries.length;
    if (encoding === 'sparse') {
      flags = 0x01;
      const present = offsets.flatMap((o, i) => (o < 0 ? [] : [Buffer.concat([u16(i), u16(o / 4)])]));
      count = present.length;
      index = Buffer.concat(present);
    } else if (encoding === 'offset16') {
      flags = 0x02;
      index = pad4(Buffer.concat(offsets.map((o) => u16(o < 0 ? 0xffff : o / 4))));
    } else {
      index = Buffer.concat(offsets.map((o) => u32(o < 0 ? 0xffffffff : o)));
    }
    const headerSize = 8 + 12 + 64;
    const header = Buffer.concat([
      Buffer.from([t.typeId, flags]),
      u16(0),
      u32(count),
      u32(headerSize + index.length),
      config,
    ]);
    return chunk(0x0201, header, Buffer.concat([index, ...bodies]));
  });
  const pkgHeader = Buffer.concat([u32(0x7f), Buffer.alloc(256), u32(0), u32(0), u32(0), u32(0), u32(0)]);
  const pkg = chunk(0x0200, pkgHeader, Buffer.concat(typeChunks));
  return chunk(0x0002, u32(1), Buffer.concat([stringPool(['three-one-four', 'hallo'], false), pkg]));
}

describe('ResourceTable', () => {
  it('prefers the default configuration, whatever the chunk order', () => {
    const table = ResourceTable.parse(
      arsc([
        { typeId: 2, config: 'de', entries: [{ type: ResType.STRING, data: 1 }] },
        { typeId: 2, config: 'default', entries: [{ type: ResType.STRING, data: 0 }] },
      ]),
    );
    expect(table.resolve(0x7f020000)?.string).toBe('three-one-four');
  });

  it('falls back to the first configuration that has the entry', () => {
    const table = ResourceTable.parse(
      arsc([
        { typeId: 2, config: 'default', entries: [undefined] },
        { typeId: 2, config: 'de', entries: [{ type: ResType.STRING, data: 1 }] },
      ]),
    );
    expect(table.resolve(0x7f020000)?.string).toBe('hallo');
  });

  it.each(['dense', 'sparse', 'offset16'] as const)('reads %s entry offsets', (encoding) => {
    const table = ResourceTable.parse(
      arsc([
        {
          typeId: 3,
          encoding,
          entries: [
            undefined,
            { type: ResType.INT_DEC, data: 11 },
            undefined,
            { type: ResType.STRING, data: 1, compact: true },
          ],
        },
      ]),
    );
    expect(table.resolve(0x7f030001)).toEqual({ dataType: ResType.INT_DEC, data: 11, string: undefined });
    expect(table.resolve(0x7f030003)?.string).toBe('hallo');
    expect(table.resolve(0x7f030000)).toBeUndefined();
    expect(table.resolve(0x7f030002)).toBeUndefined();
    expect(table.resolve(0x7f030009)).toBeUndefined();
  });

  it('follows reference chains and gives up on loops', () => {
    const table = ResourceTable.parse(
      arsc([
        {
          typeId: 1,
          entries: [
            { type: ResType.REFERENCE, data: 0x7f010001 },
            { type: ResType.STRING, data: 0 },
            { type: ResType.REFERENCE, data: 0x7f010003 },
            { type: ResType.REFERENCE, data: 0x7f010002 },
            { type: ResType.STRING, data: 0, complex: true },
          ],
        },
      ]),
    );
    expect(table.resolve(0x7f010000)?.string).toBe('three-one-four');
    expect(table.resolve(0x7f010002)).toBeUndefined();
    expect(table.resolve(0x7f010004)).toBeUndefined(); // a bag, not a simple value
    expect(table.resolve(0x01010000)).toBeUndefined(); // another package
    expect(table.resolve(0x7f090000)).toBeUndefined(); // a type the table does not have
  });

  it('rejects tables with impossible chunk sizes', () => {
    expect(() => ResourceTable.parse(Buffer.from('not a table at all'))).toThrow(ResourceTableError);
    const table = arsc([{ typeId: 1, entries: [{ type: ResType.INT_DEC, data: 1 }] }]);
    table.writeUInt32LE(0xffff, 12 + 4); // the global string pool's size
    expect(() => ResourceTable.parse(table)).toThrow(/impossible size/);
  });

  it('reads the aapt-built fixture, whose German configuration must not win', async () => {
    const path = join(import.meta.dirname, '../../fixtures/apks/string-version-v110.apk');
    const file = await open(path, 'r');
    try {
      const archive = await readZipDirectory(file, path, (await file.stat()).size);
      const entry = (name: string) => readZipEntry(archive, archive.entries.find((e) => e.name === name)!);
      const table = ResourceTable.parse(await entry('resources.arsc'));
      const versionName = parseBinaryXml(await entry('AndroidManifest.xml'))[0]!.attributes.find(
        (a) => a.resourceId === 0x0101021c,
      )!.value;
      expect(versionName.dataType).toBe(ResType.REFERENCE);
      expect(table.resolve(versionName.data)?.string).toBe('1.1.0');
    } finally {
      await file.close();
    }
    expect(await readFile(path.replace('.apk', '.badging.txt'), 'utf8')).toContain("versionName='1.1.0'");
  });
});
