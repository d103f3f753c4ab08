// Apply under the conditions that make release tools lose data: someone else's change between plan
// and apply, stale ETags, throttling, server errors, uploads that land before the connection breaks,
// an expired token mid-run, and an interrupted run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { apply } from '../../src/apply/executor.js';
import { makePlan } from '../../src/engine/make-plan.js';
import { staleReasons } from '../../src/engine/staleness.js';
import type { StateFile } from '../../src/state-file/types.js';
import { FAST_RETRY } from '../support/emulator-session.js';
import { remoteView } from '../support/remote-view.js';
import { consoleChange, openScenario, type ScenarioRun } from '../support/scenario.js';

let run: ScenarioRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function expectConverged(r: ScenarioRun): Promise<void> {
  const again = await makePlan(r.manifest, r.session.api);
  expect(again.plan.actions.map((a) => `${a.kind} ${a.address}`)).toEqual([]);
}

function requests(r: ScenarioRun, operation: string) {
  return r.session.emulator.store.requests().filter((q) => q.operation === operation);
}

describe('apply never overwrites what it did not plan', () => {
  it('stops with "changed since plan" when the Console changed the listing after the plan', async () => {
    run = await openScenario('release-notes-only');
    const { plan } = await makePlan(run.manifest, run.session.api);
    await consoleChange(run, { listing: { language: 'en-US', set: { title: 'Renamed in the Console' } } });

    const result = await apply({ api: run.session.api, manifest: run.manifest, plan });

    expect(result.ok).toBe(false);
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        address: 'listing.en-US',
        outcome: 'failed',
        message: expect.stringMatching(/changed since plan/),
      }),
    ]);
    const edit = { appId: plan.appId, editId: plan.edit!.id };
    const listing = await run.session.api.getListing(edit, 'en-US');
    expect(listing.value.title).toBe('Renamed in the Console');
    expect(listing.value.recentChanges).toBe('Bug fixes.');
    expect(requests(run, 'updateListing')).toEqual([]);
  });

  it('calls a saved plan stale when remote content, the manifest, or the edit changed', async () => {
    run = await openScenario('release-notes-only');
    const { plan } = await makePlan(run.manifest, run.session.api);
    expect(staleReasons(plan, (await makePlan(run.manifest, run.session.api)).plan)).toEqual([]);

    await consoleChange(run, { details: { set: { contactPhone: '+1-555-0100' } } });
    expect(staleReasons(plan, (await makePlan(run.manifest, run.session.api)).plan)).toEqual([
      'remote content changed: details',
    ]);

    writeFileSync(
      run.workspace.manifestPath,
      readFileSync(run.workspace.manifestPath, 'utf8').replace('Notes that sync.', 'Notes.'),
    );
    const edited = await run.reload();
    expect(staleReasons(plan, (await makePlan(edited, run.session.api)).plan)).toEqual([
      'the manifest changed since the plan was made',
    ]);
  });

  it('retries a write once with a fresh ETag when a 412 came from an unrelated change', async () => {
    // Strict edit-wide ETags: any write anywhere in the edit makes every ETag stale.
    run = await openScenario('details-and-availability', { etagMode: 'edit' });
    const r = run;
    const { plan } = await makePlan(r.manifest, r.session.api);
    // Between our GET and our PUT of availability, the Console edits an unrelated locale.
    const api = {
      ...r.session.api,
      putAvailability: async (...args: Parameters<typeof r.session.api.putAvailability>) => {
        if (!r.session.emulator.store.requests().some((q) => q.status === 412)) {
          await consoleChange(r, { listing: { language: 'it-IT', set: { title: 'Note Acme' } } });
        }
        return r.session.api.putAvailability(...args);
      },
    };
    const result = await apply({ api, manifest: r.manifest, plan });
    expect(result.ok).toBe(true);
    expect(requests(r, 'updateAvailability').map((q) => q.status)).toEqual([412, 200]);
    await expectConverged(r);
  });

  it('stops on a 412 whose re-read shows a change to the target itself', async () => {
    run = await openScenario('details-and-availability');
    const r = run;
    const { plan } = await makePlan(r.manifest, r.session.api);
    const api = {
      ...r.session.api,
      putDetails: async (...args: Parameters<typeof r.session.api.putDetails>) => {
        await consoleChange(r, { details: { set: { contactEmail: 'console@acme.example' } } });
        return r.session.api.putDetails(...args);
      },
    };
    const result = await apply({ api, manifest: r.manifest, plan });
    expect(result.outcomes[0]).toMatchObject({ address: 'details', outcome: 'failed' });
    expect(result.outcomes[0]?.message).toMatch(/changed since plan/);
    const details = await r.session.api.getDetails({ appId: plan.appId, editId: plan.edit!.id });
    expect(details.value.contactEmail).toBe('console@acme.example');
    expect(details.value.contactWebsite).toBe('https://acme.example');
  });
});

describe('apply under faults converges without duplicates', () => {
  it('rides out 429s (with Retry-After) and 500s on reads and writes', async () => {
    run = await openScenario('new-locale', { faults: '429 every=3 retry-after=0; 500 method=GET every=4' });
    const { plan } = await makePlan(run.manifest, run.session.api);
    const result = await apply({ api: run.session.api, manifest: run.manifest, plan });
    expect(result.ok).toBe(true);
    const statuses = run.session.emulator.store.requests().map((q) => q.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(500);
    await expectConverged(run);
  });

  it('does not upload an image twice when the connection broke after the upload landed', async () => {
    run = await openScenario('new-locale', { faults: 'reset-after op=uploadImage times=1' });
    const { plan } = await makePlan(run.manifest, run.session.api);
    const result = await apply({ api: run.session.api, manifest: run.manifest, plan });
    expect(result.ok).toBe(true);
    const view = remoteView(run.session.emulator.store.dump(), run.manifest.appId) as {
      listings: Record<string, { images: Record<string, string[]> }>;
    };
    expect(view.listings['fr-FR']?.images).toEqual({
      'large-icons': ['5056713faad1'],
      screenshots: ['b54f366f3018', '921bf03b7adc', 'ee2a61b2c1da'],
      'small-icons': ['e5f8fe8f0e55'],
    });
    await expectConverged(run);
  });

  it('does not replace an APK twice when the connection broke after the replace landed', async () => {
    run = await openScenario('new-apk', { faults: 'reset-after op=replaceApk times=1' });
    const { plan } = await makePlan(run.manifest, run.session.api);
    const result = await apply({ api: run.session.api, manifest: run.manifest, plan });
    expect(result.ok).toBe(true);
    // The client retried the PUT; the retry met a 412 (our first attempt had landed), never a second replace.
    expect(requests(run, 'replaceApk').map((q) => q.status)).toEqual([null, 412]);
    await expectConverged(run);
  });

  it('does not add a second APK when an upload of a new one landed before the connection broke', async () => {
    run = await openScenario('multi-apk', { faults: 'reset-after op=uploadApk times=1' });
    const { plan } = await makePlan(run.manifest, run.session.api);
    const result = await apply({ api: run.session.api, manifest: run.manifest, plan });
    expect(result.ok).toBe(true);
    expect(requests(run, 'uploadApk')).toHaveLength(1);
    const apks = await run.session.api.listApks({ appId: plan.appId, editId: plan.edit!.id });
    expect(apks.value.map((a) => a.versionCode).sort()).toEqual([100, 120, 201]);
    await expectConverged(run);
  });

  it('sends a new APK again when the list shows its broken upload did not land', async () => {
    run = await openScenario('multi-apk', { faults: 'reset-before op=uploadApk times=1' });
    const { plan } = await makePlan(run.manifest, run.session.api);
    const result = await apply({ api: run.session.api, manifest: run.manifest, plan });
    expect(result.ok).toBe(true);
    expect(requests(run, 'uploadApk').map((q) => q.processed)).toEqual([false, true]);
    const apks = await run.session.api.listApks({ appId: plan.appId, editId: plan.edit!.id });
    expect(apks.value.map((a) => a.versionCode).sort()).toEqual([100, 120, 201]);
    await expectConverged(run);
  });

  it('never takes a failed read before an upload for an upload that landed', async () => {
    // Found by the soak: the list GET before the upload fails all its attempts (FAST_RETRY: 6), nothing is
    // sent, and the next read of the list (which looks for a landed upload) succeeds.
    run = await openScenario('images-without-state');
    const { plan } = await makePlan(run.manifest, run.session.api);
    run.session.emulator.setFaults(`500 method=GET path=**/large-icons times=${FAST_RETRY.maxAttempts}`);
    const first = await apply({ api: run.session.api, manifest: run.manifest, plan });
    expect(first.ok).toBe(false);
    expect(first.outcomes.find((o) => o.address === 'listing.en-US.images.large-icons')?.outcome).toBe(
      'failed',
    );
    expect(requests(run, 'uploadImage').filter((q) => q.path.endsWith('/large-icons/upload'))).toEqual([]);

    run.session.emulator.setFaults('');
    const rest = await makePlan(run.manifest, run.session.api);
    expect(rest.plan.actions.map((a) => a.address)).toContain('listing.en-US.images.large-icons');
    expect((await apply({ api: run.session.api, manifest: run.manifest, plan: rest.plan })).ok).toBe(true);
    const view = remoteView(run.session.emulator.store.dump(), run.manifest.appId) as {
      listings: Record<string, { images: Record<string, string[]> }>;
    };
    expect(view.listings['en-US']?.images['large-icons']).toEqual(['5056713faad1']);
    await expectConverged(run);
  });

  it('refreshes the token once when it is refused mid-run (401)', async () => {
    run = await openScenario('new-locale');
    const { plan } = await makePlan(run.manifest, run.session.api);
    let expired = false;
    const result = await apply({
      api: run.session.api,
      manifest: run.manifest,
      plan,
      onEvent: (event) => {
        if (event.type === 'action-end' && !expired) {
          expired = true;
          run!.session.emulator.store.expireTokens();
        }
      },
    });
    expect(result.ok).toBe(true);
    expect(run.session.emulator.store.requests().some((q) => q.status === 401)).toBe(true);
    expect(requests(run, 'token')).toHaveLength(2);
    await expectConverged(run);
  });
});

describe('an interrupted apply loses nothing', () => {
  it('stops between actions, records what it uploaded, and a second apply finishes the job', async () => {
    run = await openScenario('new-locale');
    const { plan } = await makePlan(run.manifest, run.session.api);
    const controller = new AbortController();
    let uploads = 0;
    const first = await apply({
      api: run.session.api,
      manifest: run.manifest,
      plan,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'action-end' && event.action.kind === 'upload-image' && ++uploads === 2)
          controller.abort();
      },
    });
    expect(first.ok).toBe(false);
    expect(first.interrupted).toBe(true);
    expect(first.outcomes.map((o) => o.outcome)).toEqual([
      'applied',
      'applied',
      'applied',
      'not-started',
      'not-started',
      'not-started',
    ]);
    expect(existsSync(run.workspace.statePath)).toBe(true);
    const state = JSON.parse(readFileSync(run.workspace.statePath, 'utf8')) as StateFile;
    expect(Object.keys(state.assets['fr-FR'] ?? {}).sort()).toEqual(['large-icons', 'small-icons']);

    const rest = await makePlan(run.manifest, run.session.api);
    expect(rest.plan.actions.map((a) => a.kind)).toEqual(['upload-image', 'upload-image', 'upload-image']);
    const second = await apply({ api: run.session.api, manifest: run.manifest, plan: rest.plan });
    expect(second.ok).toBe(true);
    await expectConverged(run);
  });
});
