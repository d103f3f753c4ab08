// Sets up one scenario folder (test/scenarios/<name>) as a workspace plus an emulator seeded from it,
// for tests that start from a scenario and then misbehave: faults, stale plans, interruptions.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorOptions, SeedFile } from '../../src/emulator/index.js';
import { loadManifest, type Manifest } from '../../src/manifest/index.js';
import { type EmulatorSession, startSession } from './emulator-session.js';
import { makeWorkspace, type Workspace } from './workspace.js';

export const SCENARIOS_DIR = join(import.meta.dirname, '..', 'scenarios');

export interface ScenarioRun {
  session: EmulatorSession;
  workspace: Workspace;
  manifest: Manifest;
  /** Loads the workspace's manifest again (after a test edits it). */
  reload: () => Promise<Manifest>;
  close: () => Promise<void>;
}

export function scenarioInputs(name: string): {
  seed: SeedFile;
  manifest: string;
  state: string | undefined;
} {
  const folder = join(SCENARIOS_DIR, name);
  const read = (file: string) => readFileSync(join(folder, file), 'utf8');
  return {
    seed: JSON.parse(read('seed.json')) as SeedFile,
    manifest: read('manifest.yaml'),
    state: existsSync(join(folder, 'state.json')) ? read('state.json') : undefined,
  };
}

export async function openScenario(name: string, options: EmulatorOptions = {}): Promise<ScenarioRun> {
  const inputs = scenarioInputs(name);
  const workspace = makeWorkspace({
    manifest: inputs.manifest,
    ...(inputs.state === undefined ? {} : { state: inputs.state }),
  });
  const session = await startSession({ seed: inputs.seed, idSeed: name, ...options });
  const reload = async () => {
    const loaded = await loadManifest(workspace.manifestPath, { cwd: workspace.dir });
    if (!loaded.ok) throw new Error(`manifest invalid: ${JSON.stringify(loaded.diagnostics)}`);
    return loaded.manifest;
  };
  return {
    session,
    workspace,
    manifest: await reload(),
    reload,
    close: async () => {
      await session.close();
      workspace.cleanup();
    },
  };
}

/** A change "as the Developer Console would" make it, through the emulator's admin endpoint. */
export async function consoleChange(run: ScenarioRun, change: unknown): Promise<void> {
  const appId = run.manifest.appId;
  const response = await fetch(`${run.session.emulator.adminUrl}/apps/${appId}/console`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
  if (!response.ok) throw new Error(`console change failed: ${response.status} ${await response.text()}`);
}
