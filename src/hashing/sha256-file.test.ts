import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { sha256File } from './index.js';

describe('sha256File', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sha256-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes the empty file', async () => {
    const path = join(dir, 'empty');
    await writeFile(path, '');
    expect(await sha256File(path)).toEqual({
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
    });
  });

  it('hashes "abc" to the FIPS 180-2 test vector', async () => {
    const path = join(dir, 'abc');
    await writeFile(path, 'abc');
    expect(await sha256File(path)).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      size: 3,
    });
  });

  it('hashes a file spanning several read chunks', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 12)) & 0xff;
    const path = join(dir, 'multi');
    await writeFile(path, data);
    expect(await sha256File(path)).toEqual({
      sha256: createHash('sha256').update(data).digest('hex'),
      size: data.length,
    });
  });

  it('names a missing file', async () => {
    const path = join(dir, 'missing.png');
    await expect(sha256File(path)).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof AppError && e.code === 'FILE_NOT_FOUND' && e.message === `${path} does not exist`,
    );
  });

  it('names a path it cannot read', async () => {
    await expect(sha256File(dir)).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringContaining('EISDIR'),
    });
  });
});
