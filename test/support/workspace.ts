// A throwaway folder that looks like a user's repository: a manifest, its files, and `fixtures/`
// linked from the project, so scenario manifests can name `fixtures/apks/…` without leaving their folder.
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

export interface Workspace {
  dir: string;
  manifestPath: string;
  statePath: string;
  cleanup: () => void;
}

export function makeWorkspace(options: { manifest: string; state?: string; from?: string }): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'appstore-release-test-'));
  if (options.from !== undefined) cpSync(options.from, dir, { recursive: true });
  symlinkSync(join(PROJECT_ROOT, 'fixtures'), join(dir, 'fixtures'));
  const manifestPath = join(dir, 'appstore.release.yaml');
  writeFileSync(manifestPath, options.manifest);
  const statePath = join(dir, 'appstore.release.state.json');
  if (options.state !== undefined) writeFileSync(statePath, options.state);
  return { dir, manifestPath, statePath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
