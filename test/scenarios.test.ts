// Scenario folders are the heart of the suite: a manifest, an emulator seed, an optional state file,
// and the expected plan (text and JSON), the expected remote state after apply, and — the core
// promise — a plan after apply that shows no changes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apply } from '../src/apply/executor.js';
import type { EmulatorOptions, SeedFile } from '../src/emulator/index.js';
import { makePlan } from '../src/engine/make-plan.js';
import { AppError } from '../src/errors/app-error.js';
import { loadManifest } from '../src/manifest/index.js';
import { renderPlanHuman } from '../src/render/plan-human.js';
import { renderPlanJson } from '../src/render/plan-json.js';
import { type EmulatorSession, startSession } from './support/emulator-session.js';
import { expectGolden } from './support/golden.js';
import { remoteView } from './support/remote-view.js';
import { makeWorkspace, type Workspace } from './support/workspace.js';

const SCENARIOS = join(import.meta.dirname, 'scenarios');
const names = readdirSync(SCENARIOS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface ScenarioOptions {
  expectError?: boolean;
  /** Emulator switches for this scenario, e.g. `{ "previousEditReadable": false }`. */
  emulator?: EmulatorOptions;
}

const open: { session?: EmulatorSession; workspace?: Workspace } = {};
afterEach(async () => {
  await open.session?.close();
  open.workspace?.cleanup();
  open.session = undefined;
  open.workspace = undefined;
});

describe('scenarios', () => {
  it('has scenario folders', () => {
    expect(names.length).toBeGreaterThan(5);
  });

  it.each(names)('%s', async (name) => {
    const folder = join(SCENARIOS, name);
    const read = (file: string) => readFileSync(join(folder, file), 'utf8');
    const options: ScenarioOptions = existsSync(join(folder, 'scenario.json'))
      ? JSON.parse(read('scenario.json'))
      : {};
    const seed = JSON.parse(read('seed.json')) as SeedFile;
    const workspace = makeWorkspace({
      manifest: read('manifest.yaml'),
      ...(existsSync(join(folder, 'state.json')) ? { state: read('state.json') } : {}),
    });
    open.workspace = workspace;
    const session = await startSession({ ...options.emulator, seed, idSeed: name });
    open.session = session;

    const loaded = await loadManifest(workspace.manifestPath, { cwd: workspace.dir });
    if (!loaded.ok)
      throw new Error(`scenario manifest invalid: ${JSON.stringify(loaded.diagnostics, null, 1)}`);
    const manifest = loaded.manifest;

    if (options.expectError) {
      const error = await makePlan(manifest, session.api).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      const appError = error as AppError;
      expectGolden(join(folder, 'expected-error.txt'), `${appError.message}\n${appError.hint ?? ''}\n`);
      return;
    }

    const { plan } = await makePlan(manifest, session.api);
    expectGolden(join(folder, 'expected-plan.txt'), renderPlanHuman(plan, { color: false }));
    expectGolden(join(folder, 'expected-plan.json'), renderPlanJson(plan));

    const result = await apply({ api: session.api, manifest, plan });
    expect(result.outcomes.filter((o) => o.outcome !== 'applied')).toEqual([]);
    expect(result.ok).toBe(true);
    expectGolden(
      join(folder, 'expected-remote.json'),
      `${JSON.stringify(remoteView(session.emulator.store.dump(), manifest.appId), null, 2)}\n`,
    );

    const again = await makePlan(manifest, session.api);
    expect(again.plan.actions).toEqual([]);
    expect(renderPlanHuman(again.plan, { color: false })).toContain('No changes.');
  });
});
