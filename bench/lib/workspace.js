// A throwaway folder that looks like a user's repository: a manifest (JSON text, which is YAML), an
// optional state file, and symlinks to the folders its paths name (the project's fixtures, generated
// files). Shared by the benchmarks and the soak.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(PROJECT_ROOT, 'fixtures');

/**
 * @param {{ manifest: object | string, state?: object | string, links?: Record<string, string>, prefix?: string }} options
 *   `links`: folder name inside the workspace → absolute target (default: `fixtures` → the project's).
 */
export function makeWorkspace(options) {
  const dir = mkdtempSync(join(tmpdir(), options.prefix ?? 'appstore-release-bench-'));
  for (const [name, target] of Object.entries(options.links ?? { fixtures: FIXTURES })) {
    symlinkSync(target, join(dir, name));
  }
  const manifestPath = join(dir, 'appstore.release.yaml');
  const statePath = join(dir, 'appstore.release.state.json');
  const text = (value) => (typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  writeFileSync(manifestPath, text(options.manifest));
  if (options.state !== undefined) writeFileSync(statePath, text(options.state));
  return {
    dir,
    manifestPath,
    statePath,
    /** Replaces the manifest (same folder, same state file). */
    writeManifest: (manifest) => writeFileSync(manifestPath, text(manifest)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
