// The short soak (issue 8.5) as a correctness check: 10 random worlds (fixed seed) — remote app,
// state file, manifest, faults, sometimes a Console change between plan and apply — each applied
// until a clean plan shows no changes. The logic is shared with `bench/soak.js` (200 runs).
// No timing assertions: only what must hold whatever the machine.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSoak, type SoakLib } from '../../bench/lib/soak.js';
import { apply } from '../../src/apply/executor.js';
import { DEMO_CREDENTIAL, DEVICE_CATALOGUE, startEmulator } from '../../src/emulator/index.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { loadManifest } from '../../src/manifest/index.js';
import type { ReplaceAssetListAction, UploadAssetAction } from '../../src/plan/types.js';
import { createAppstoreApi } from '../../src/remote/index.js';
import { renderPlanHuman } from '../../src/render/plan-human.js';

const lib: SoakLib = {
  apply,
  DEMO_CREDENTIAL,
  DEVICE_CATALOGUE,
  startEmulator,
  makePlan,
  loadManifest,
  createAppstoreApi,
  renderPlanHuman,
};

/** Chosen so that the 10 runs include faults on uploads, a Console change and a run without an open edit. */
const SEED = 8_2025;

describe('soak (10 runs)', () => {
  it('converges every run, with no duplicate upload and no overwritten Console change', async () => {
    const report = await runSoak({ lib, runs: 10, seed: SEED });
    expect(report.problems).toEqual([]);
    expect(report.runs).toBe(10);
    expect(report.converged).toBe(10);
    expect(report.duplicates).toBe(0);
    expect(report.overwrites).toBe(0);
    expect(report.mismatches).toBe(0);
    expect(report.errors).toBe(0);
    // The runs did meet what they are meant to survive.
    expect(report.console.injected).toBeGreaterThan(0);
    expect(report.console.refused).toBeGreaterThan(0);
    expect(Object.keys(report.writeFaults).length).toBeGreaterThan(0);
  }, 60_000);

  // The checks themselves must be able to fail: an engine that uploads a screenshot twice, and one
  // that applies a fresh plan instead of the reviewed one, are caught.
  it('reports a duplicate upload', async () => {
    const duplicating: SoakLib = {
      ...lib,
      apply: async (options) => {
        const result = await apply(options);
        const upload = options.plan.actions.find(
          (a): a is UploadAssetAction | ReplaceAssetListAction =>
            (a.kind === 'upload-image' || a.kind === 'replace-image-list') && a.assetKind === 'screenshots',
        );
        if (upload === undefined || result.editId === null || !result.ok) return result;
        const file = 'file' in upload ? upload.file : upload.after[0];
        if (file === undefined) return result;
        const edit = { appId: options.plan.appId, editId: result.editId };
        const list = await options.api.getImages(edit, upload.locale, 'screenshots');
        const path = resolve(options.manifest.dir, file.path);
        await options.api.uploadImage(
          edit,
          upload.locale,
          'screenshots',
          { path, size: file.size },
          list.etag ?? '',
        );
        return result;
      },
    };
    const report = await runSoak({ lib: duplicating, runs: 10, seed: SEED });
    expect(report.duplicates).toBeGreaterThan(0);
    expect(report.problems.map((p) => p.kind)).toContain('duplicate');
  }, 60_000);

  it('reports an overwritten Console change', async () => {
    const replanning: SoakLib = {
      ...lib,
      apply: async (options) =>
        apply({ ...options, plan: (await makePlan(options.manifest, options.api)).plan }),
    };
    const report = await runSoak({ lib: replanning, runs: 10, seed: SEED });
    expect(report.overwrites).toBeGreaterThan(0);
    expect(report.problems.map((p) => p.kind)).toContain('overwrote an unplanned change');
  }, 60_000);

  it('draws the same worlds from the same seed', async () => {
    const seen: unknown[][] = [[], []];
    for (const round of [0, 1]) {
      await runSoak({
        lib,
        runs: 2,
        seed: SEED,
        only: 1,
        onRun: (_outcome, world) => seen[round]?.push(world),
      });
    }
    expect(seen[0]).toHaveLength(1);
    expect(seen[1]).toEqual(seen[0]);
  }, 60_000);
});
