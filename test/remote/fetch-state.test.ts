// fetchRemoteState: where the values come from (open edit, previous edit, nothing), what is read,
// that nothing is written unless asked, and that reads run in parallel within the bound.
import { afterEach, describe, expect, it } from 'vitest';
import type { AppstoreApi } from '../../src/remote/api.js';
import { ApiError } from '../../src/remote/errors.js';
import { fetchRemoteState } from '../../src/remote/fetch-state.js';
import { caught, DEMO_APP, demoSeed, type Harness, startHarness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const writes = (harness: Harness) =>
  harness.requests().filter((r) => r.method !== 'GET' && r.operation !== 'token');

/** The API with a count of calls in flight (observing only; every call still goes over HTTP). */
function observed(api: AppstoreApi): { api: AppstoreApi; peak: () => number; calls: () => number } {
  let active = 0;
  let peak = 0;
  let calls = 0;
  const wrapped = new Proxy(api, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || key === 'close') return value;
      return async (...args: unknown[]) => {
        active++;
        calls++;
        peak = Math.max(peak, active);
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          active--;
        }
      };
    },
  });
  return { api: wrapped, peak: () => peak, calls: () => calls };
}

describe('fetchRemoteState', () => {
  it('reads the open edit: APKs with their own ETags, listings, details, availability and the scoped assets', async () => {
    h = await startHarness();
    const created = await h.api.createEdit(DEMO_APP);
    const state = await fetchRemoteState(h.api, DEMO_APP, {
      assets: [
        { locale: 'en-US', kind: 'screenshots' },
        { locale: 'en-US', kind: 'videos' },
        { locale: 'fr-FR', kind: 'small-icons' }, // no such remote locale: not read
      ],
    });
    expect(state.source).toBe('open-edit');
    expect(state.edit?.value).toEqual(created.value);
    expect(state.edit?.etag).toEqual(expect.any(String));
    expect(state.readFrom).toBe(created.value.id);
    expect(state.apks?.map((a) => a.apk.value.id)).toEqual(['M8FYZDFK0GJG0']);
    expect(state.apks?.[0]?.apk.etag).toEqual(expect.any(String));
    expect(state.apks?.[0]?.targeting.value.amazonDevices.length).toBeGreaterThan(0);
    expect(Object.keys(state.listings ?? {}).sort()).toEqual(['de-DE', 'en-US']);
    const english = state.listings?.['en-US'];
    expect(english?.listing.value.title).toBe('Acme Notes');
    expect(Object.keys(english?.images ?? {})).toEqual(['screenshots']);
    expect(english?.images.screenshots?.value).toHaveLength(3);
    expect(english?.videos?.value).toEqual([]);
    expect(state.listings?.['de-DE']?.images).toEqual({});
    expect(state.listings?.['de-DE']?.videos).toBeUndefined();
    expect(state.details?.value.defaultLanguage).toBe('en-US');
    expect(state.availability?.value).toEqual(expect.any(Object));
    expect(writes(h).map((r) => r.operation)).toEqual(['createEdit']);
  });

  it('creates the edit only when asked to', async () => {
    h = await startHarness();
    const state = await fetchRemoteState(h.api, DEMO_APP, { assets: [], openEdit: true });
    expect(state.source).toBe('open-edit');
    expect(state.edit?.value.status).toBe('IN_PROGRESS');
    expect(writes(h).map((r) => r.operation)).toEqual(['createEdit']);
    // A second fetch reuses the edit now open.
    const again = await fetchRemoteState(h.api, DEMO_APP, { assets: [], openEdit: true });
    expect(again.readFrom).toBe(state.readFrom);
    expect(writes(h)).toHaveLength(1);
  });

  it('without an open edit reads the previous edit, and writes nothing', async () => {
    h = await startHarness();
    const seed = await demoSeed();
    const state = await fetchRemoteState(h.api, DEMO_APP, { assets: 'all' });
    expect(state.source).toBe('previous-edit');
    expect(state.edit).toBeNull();
    expect(state.readFrom).toBe(seed.apps[0]?.liveEditId);
    expect(state.apks?.[0]?.apk.value.versionCode).toBe(100);
    expect(Object.keys(state.listings?.['en-US']?.images ?? {})).toHaveLength(9);
    expect(state.listings?.['en-US']?.images['small-icons']?.value).toEqual([
      { id: seed.apps[0]?.live?.listings?.['en-US']?.images?.['small-icons']?.[0] },
    ]);
    expect(writes(h)).toEqual([]);
  });

  it('is "none" when the previous edit cannot be read', async () => {
    h = await startHarness({ emulator: { previousEditReadable: false } });
    const state = await fetchRemoteState(h.api, DEMO_APP, { assets: 'all' });
    expect(state).toEqual({
      appId: DEMO_APP,
      source: 'none',
      edit: null,
      readFrom: null,
      apks: undefined,
      listings: undefined,
      details: undefined,
      availability: undefined,
    });
    expect(writes(h)).toEqual([]);
  });

  it('is "none" when there is no previous edit ({})', async () => {
    const seed = await demoSeed();
    const unpublished = 'amzn1.devportal.mobileapp.ffffffffffffffffffffffffffffffff';
    seed.apps.push({ appId: unpublished, state: 'NOT_PUBLISHED', live: null });
    h = await startHarness({ emulator: { seed } });
    const state = await fetchRemoteState(h.api, unpublished, { assets: 'all' });
    expect(state.source).toBe('none');
    expect(state.apks).toBeUndefined();
  });

  it('reads an edit in REVIEW all the same', async () => {
    const seed = await demoSeed();
    const app = seed.apps[0];
    if (app?.live === undefined || app.live === null) throw new Error('demo seed has no live version');
    app.openEdit = { status: 'REVIEW', snapshot: app.live };
    h = await startHarness({ emulator: { seed } });
    const state = await fetchRemoteState(h.api, DEMO_APP, { assets: [] });
    expect(state.source).toBe('open-edit');
    expect(state.edit?.value.status).toBe('REVIEW');
    expect(state.apks).toHaveLength(1);
  });

  it('fails with the API error when the open edit cannot be read', async () => {
    h = await startHarness({
      emulator: { faults: '500 op=getDetails' },
      client: { retry: { maxAttempts: 2 } },
    });
    const harness = h;
    await harness.api.createEdit(DEMO_APP);
    const error = await caught<ApiError>(() => fetchRemoteState(harness.api, DEMO_APP, { assets: [] }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
  });

  it('runs reads in parallel, never more than the bound', async () => {
    h = await startHarness();
    await h.api.createEdit(DEMO_APP);
    const wide = observed(h.api);
    await fetchRemoteState(wide.api, DEMO_APP, { assets: 'all' });
    // edits + 4 collections + 2 per APK + 10 asset lists for each of 2 locales
    expect(wide.calls()).toBe(1 + 4 + 2 + 20);
    expect(wide.peak()).toBe(8);
    const narrow = observed(h.api);
    await fetchRemoteState(narrow.api, DEMO_APP, { assets: 'all', concurrency: 2 });
    expect(narrow.peak()).toBe(2);
  });
});
