// The engine without the CLI, through the package's entry point, as another tool would embed it.
import { afterEach, expect, it } from 'vitest';
import { DEMO_CREDENTIAL } from '../src/emulator/index.js';
import { apply, createAppstoreApi, loadManifest, makePlan, renderPlanJson } from '../src/index.js';
import { openScenario, type ScenarioRun } from './support/scenario.js';

let run: ScenarioRun | undefined;
afterEach(async () => {
  await run?.close();
});

it('loads, plans, applies and converges through the library entry point', async () => {
  run = await openScenario('release-notes-only');
  const loaded = await loadManifest(run.workspace.manifestPath, { cwd: run.workspace.dir });
  if (!loaded.ok) throw new Error('manifest should load');
  const api = createAppstoreApi({
    apiUrl: run.session.emulator.apiUrl,
    tokenUrl: run.session.emulator.tokenUrl,
    credentials: { ...DEMO_CREDENTIAL },
  });
  try {
    const { plan } = await makePlan(loaded.manifest, api);
    expect(JSON.parse(renderPlanJson(plan)).summary).toEqual({ add: 0, change: 1, destroy: 0 });
    const result = await apply({ api, manifest: loaded.manifest, plan });
    expect(result.ok).toBe(true);
    expect((await makePlan(loaded.manifest, api)).plan.actions).toEqual([]);
  } finally {
    api.close();
  }
});
