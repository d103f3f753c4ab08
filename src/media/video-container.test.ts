import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffVideoContainer } from './index.js';

const ftyp = (brand: string): Buffer =>
  Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}\0\0\0\0isommp41`, 'latin1')]);

describe('sniffVideoContainer', () => {
  it('recognises the trailer fixture as MP4', async () => {
    const trailer = await readFile(join(import.meta.dirname, '../../fixtures/media/trailer.mp4'));
    expect(sniffVideoContainer(trailer)).toBe('mp4');
  });

  it.each([
    ['mp4 (isom)', ftyp('isom'), 'mp4'],
    ['mp4 (mp42)', ftyp('mp42'), 'mp4'],
    ['mov (qt brand)', ftyp('qt  '), 'mov'],
    ['mov (old QuickTime, no ftyp)', Buffer.from('\0\0\0\x08wide\0\0\0\x10mdat', 'latin1'), 'mov'],
    ['avi', Buffer.from('RIFF\x10\0\0\0AVI LIST', 'latin1'), 'avi'],
    ['wmv', Buffer.concat([Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex'), Buffer.alloc(8)]), 'wmv'],
    ['flv', Buffer.from('FLV\x01\x05\0\0\0\x09', 'latin1'), 'flv'],
    ['mpeg program stream', Buffer.from([0, 0, 1, 0xba, 0x44, 0, 4, 0]), 'mpeg'],
    ['mpeg video', Buffer.from([0, 0, 1, 0xb3, 0x14, 0, 0xf0, 0x13]), 'mpeg'],
  ] as const)('%s', (_, bytes, expected) => {
    expect(sniffVideoContainer(bytes)).toBe(expected);
  });

  it('recognises an MPEG transport stream by its sync bytes', () => {
    const ts = Buffer.alloc(188 * 2);
    ts[0] = 0x47;
    ts[188] = 0x47;
    expect(sniffVideoContainer(ts)).toBe('mpeg');
    ts[188] = 0;
    expect(sniffVideoContainer(ts)).toBeUndefined();
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['three bytes', Buffer.from('FLV')],
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
    ['RIFF WAVE', Buffer.from('RIFF\x10\0\0\0WAVEfmt ', 'latin1')],
    ['text', Buffer.from('this is not a video at all')],
  ])('gives undefined for %s', (_, bytes) => {
    expect(sniffVideoContainer(bytes)).toBeUndefined();
  });
});
