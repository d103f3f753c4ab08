// The writer on a real file system: folders created, nothing overwritten without force (every conflict
// named at once, nothing half-written), and a sentence for every way the output folder can be wrong.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOutputDir, PullWriteError, writePulledFiles } from '../../src/pull/index.js';
import { listFiles } from './pull-cli.js';

const FILES = new Map([
  ['appstore.release.yaml', 'version: 1\n'],
  ['appstore.release.state.json', '{}\n'],
  ['store/en-US/full-description.txt', 'Full.\n'],
  ['store/de-DE/full-description.txt', 'Voll.\n'],
]);

let dir = '';
afterEach(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function tempDir(): string {
  dir = mkdtempSync(join(tmpdir(), 'appstore-release-pull-write-'));
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<PullWriteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PullWriteError);
  return error as PullWriteError;
}

describe('writePulledFiles', () => {
  it('creates the output folder and every folder below it', async () => {
    const out = join(tempDir(), 'new', 'folder');
    await writePulledFiles(out, FILES, { force: false, display: 'new/folder' });
    expect(listFiles(out)).toEqual([...FILES.keys()].sort());
    expect(readFileSync(join(out, 'store/de-DE/full-description.txt'), 'utf8')).toBe('Voll.\n');
  });

  it('refuses to overwrite, names every existing file at once, and writes nothing', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'appstore.release.yaml'), 'mine\n');
    mkdirSync(join(out, 'store', 'en-US'), { recursive: true });
    writeFileSync(join(out, 'store/en-US/full-description.txt'), 'mine\n');
    const error = await failure(writePulledFiles(out, FILES, { force: false, display: 'out' }));
    expect(error.code).toBe('pull_would_overwrite');
    expect(error.message).toBe(
      'pull would overwrite 2 files in out:\n  - appstore.release.yaml\n  - store/en-US/full-description.txt',
    );
    expect(error.hint).toContain('--force');
    expect(listFiles(out)).toEqual(['appstore.release.yaml', 'store/en-US/full-description.txt']);
    expect(readFileSync(join(out, 'appstore.release.yaml'), 'utf8')).toBe('mine\n');
  });

  it('overwrites with force', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'appstore.release.yaml'), 'mine\n');
    await writePulledFiles(out, FILES, { force: true, display: 'out' });
    expect(readFileSync(join(out, 'appstore.release.yaml'), 'utf8')).toBe('version: 1\n');
  });

  it('does not replace a folder by a file, even with force', async () => {
    const out = tempDir();
    mkdirSync(join(out, 'appstore.release.state.json'));
    const error = await failure(writePulledFiles(out, FILES, { force: true, display: 'out' }));
    expect(error.message).toBe(
      'pull cannot write appstore.release.state.json in out: it is not a regular file, even with --force.',
    );
  });

  it('explains a file standing where a folder of a path should be', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'store'), 'a file\n');
    const error = await failure(
      writePulledFiles(out, new Map([['store/en-US/full-description.txt', 'x']]), {
        force: true,
        display: 'out',
      }),
    );
    expect(error.message).toBe(
      'Cannot write store/en-US/full-description.txt in out: a file stands where a folder of its path should be.',
    );
  });

  it('refuses an output folder that is a file', async () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'x');
    const error = await failure(checkOutputDir(file, 'notes.txt'));
    expect(error.message).toBe('The output folder notes.txt is a file, not a folder.');
    await failure(writePulledFiles(file, FILES, { force: true, display: 'notes.txt' }));
  });
});
