// File access of the loader: each file hashed once however it is named, and disk work bounded.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ManifestFiles, naturalOrder } from '../../src/manifest/manifest-files.js';
import { REPO } from './workspace.js';

describe('ManifestFiles', () => {
  test('the same file named twice (by different spellings) is hashed once', async () => {
    const files = new ManifestFiles(REPO);
    const a = files.locate('fixtures/images/icon-114.png');
    const b = files.locate('./fixtures/images/../images/icon-114.png');
    expect(b.abs).toBe(a.abs);
    const first = files.hash(a.abs);
    expect(files.hash(b.abs)).toBe(first);
    expect((await first).sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('paths are shown relative to the manifest folder; outside paths are flagged', () => {
    const files = new ManifestFiles(join(REPO, 'fixtures'));
    expect(files.locate('images/icon-114.png')).toMatchObject({
      display: 'images/icon-114.png',
      outside: false,
    });
    expect(files.locate('../package.json')).toMatchObject({ display: '../package.json', outside: true });
    expect(files.locate('/etc/hostname').outside).toBe(true);
  });

  test('natural order puts 2 before 10', () => {
    expect(['s-10.png', 's-2.png', 's-1.png'].sort(naturalOrder)).toEqual(['s-1.png', 's-2.png', 's-10.png']);
  });
});
