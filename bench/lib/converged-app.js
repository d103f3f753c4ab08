// An app whose remote state already matches its manifest: the initial seed, one real apply of the
// base manifest, then the emulator's dump (ids and server-side hashes included) and the state file
// that apply wrote. Benchmarks start fresh emulators from that dump, so each measurement begins
// from the same converged state.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apply } from '../../dist/apply/executor.js';
import { makePlan } from '../../dist/engine/make-plan.js';
import { loadManifest } from '../../dist/manifest/index.js';
import { appManifest, initialSeed, writeAppFiles } from './app-model.js';
import { startSession } from './session.js';
import { FIXTURES, makeWorkspace } from './workspace.js';

/** Generated files, written once per process. */
export async function appFiles(options) {
  const dir = await mkdtemp(join(tmpdir(), 'appstore-release-bench-files-'));
  await writeAppFiles(dir, options);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function appWorkspace(filesDir, manifest, state) {
  return makeWorkspace({
    manifest,
    ...(state === undefined ? {} : { state }),
    links: { fixtures: FIXTURES, files: filesDir },
  });
}

export async function load(workspace) {
  const loaded = await loadManifest(workspace.manifestPath, { cwd: workspace.dir });
  if (!loaded.ok) throw new Error(`bench manifest invalid: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.manifest;
}

/** Applies the base manifest for `locales` once; returns the converged emulator dump and state file. */
export async function convergedApp(filesDir, locales) {
  const session = await startSession({ seed: initialSeed(), idSeed: `base-${locales.length}` });
  const workspace = appWorkspace(filesDir, appManifest(locales));
  try {
    const manifest = await load(workspace);
    const { plan } = await makePlan(manifest, session.api);
    const result = await apply({ api: session.api, manifest, plan });
    if (!result.ok) throw new Error(`base apply failed: ${JSON.stringify(result.outcomes)}`);
    const again = await makePlan(manifest, session.api);
    if (again.plan.actions.length > 0) throw new Error('base apply did not converge');
    return {
      seed: session.emulator.store.dump(),
      state: JSON.parse(await readFile(workspace.statePath, 'utf8')),
    };
  } finally {
    workspace.cleanup();
    await session.close();
  }
}
