// A throw-away project folder for manifest tests: `<tmp>/project/` holds the manifest and a link to the
// repository's `fixtures/`, so manifests name `fixtures/…` exactly as a real project names its files,
// and `<tmp>/` beside it is a place "outside the manifest's folder".
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadOptions, type LoadResult, loadManifest } from '../../src/manifest/index.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const MANIFEST_NAME = 'appstore.release.yaml';

export interface Workspace {
  /** `<tmp>/project`: the manifest's folder and the working directory of loads. */
  dir: string;
  /** `<tmp>`: outside the manifest's folder. */
  root: string;
  manifestPath: string;
  manifestText: string;
  load(options?: LoadOptions): Promise<LoadResult>;
  write(relativePath: string, content: string | Buffer): Promise<string>;
}

const created: string[] = [];

export async function fixtureManifest(name: string): Promise<string> {
  return readFile(join(REPO, 'fixtures/manifests', name), 'utf8');
}

/**
 * A workspace whose manifest is the given text (or a file of fixtures/manifests with `{ fixture }`).
 * Folders of fixtures/ are linked, except those named in `copy`, which are copied so a test may change
 * them.
 */
export async function workspace(
  manifest: string | { fixture: string },
  options: { copy?: string[] } = {},
): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), 'appstore-manifest-'));
  created.push(root);
  const dir = join(root, 'project');
  await mkdir(join(dir, 'fixtures'), { recursive: true });
  for (const entry of await readdir(join(REPO, 'fixtures'))) {
    const from = join(REPO, 'fixtures', entry);
    const to = join(dir, 'fixtures', entry);
    if (options.copy?.includes(entry)) await cp(from, to, { recursive: true });
    else await symlink(from, to);
  }
  const manifestText = typeof manifest === 'string' ? manifest : await fixtureManifest(manifest.fixture);
  const manifestPath = join(dir, MANIFEST_NAME);
  await writeFile(manifestPath, manifestText);
  return {
    dir,
    root,
    manifestPath,
    manifestText,
    load: (options = {}) => loadManifest(manifestPath, { cwd: dir, ...options }),
    async write(relativePath, content) {
      const path = resolve(dir, relativePath);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      return path;
    },
  };
}

export async function removeWorkspaces(): Promise<void> {
  await Promise.all(created.splice(0).map((path) => rm(path, { recursive: true, force: true })));
}

/** 1-based line of the first line containing `fragment` (fails loudly if absent). */
export function lineOf(text: string, fragment: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(fragment));
  if (index < 0) throw new Error(`fixture has no line containing ${JSON.stringify(fragment)}`);
  return index + 1;
}

export const MINIMAL = `version: 1
app:
  id: amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef
apks:
  - file: fixtures/apks/plain-v100.apk
`;
