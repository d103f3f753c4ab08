// Every endpoint of the API reference, one round trip each, against the emulator: values come back
// typed, reads carry ETags, mutations send the ETag they were given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Listing } from '../../src/appstore/types.js';
import type { EditRef } from '../../src/remote/api.js';
import { ApiError } from '../../src/remote/errors.js';
import { caught, DEMO_APP, fixtureFile, type Harness, startHarness, tempDir } from './helpers.js';

describe('edits, APKs, targeting, listings, details, availability, images, videos', () => {
  let h: Harness;
  let edit: EditRef;
  let dir: { dir: string; remove: () => Promise<void> };

  beforeAll(async () => {
    h = await startHarness();
    dir = await tempDir();
  });
  afterAll(async () => {
    await h.close();
    await dir.remove();
  });

  it('reads "no open edit" as null and the previous edit as an edit', async () => {
    const active = await h.api.getActiveEdit(DEMO_APP);
    expect(active.value).toBeNull();
    const previous = await h.api.getPreviousEdit(DEMO_APP);
    expect(previous.value?.id).toMatch(/^amzn1\.devportal\.apprelease\./);
    expect(previous.etag).toEqual(expect.any(String));
  });

  it('creates an edit and reads it back with an ETag', async () => {
    const created = await h.api.createEdit(DEMO_APP);
    expect(created.value.status).toBe('IN_PROGRESS');
    edit = { appId: DEMO_APP, editId: created.value.id };
    const active = await h.api.getActiveEdit(DEMO_APP);
    expect(active.value).toEqual(created.value);
    const got = await h.api.getEdit(edit);
    expect(got.value.id).toBe(edit.editId);
    expect(got.etag).toEqual(expect.any(String));
  });

  it('lists and reads APKs, and replaces one keeping its id', async () => {
    const list = await h.api.listApks(edit);
    expect(list.value).toEqual([{ id: 'M8FYZDFK0GJG0', name: 'APK1', versionCode: 100 }]);
    const apk = await h.api.getApk(edit, 'M8FYZDFK0GJG0');
    expect(apk.etag).toEqual(expect.any(String));
    const replaced = await h.api.replaceApk(
      edit,
      'M8FYZDFK0GJG0',
      await fixtureFile('apks/plain-v101.apk'),
      apk.etag ?? '',
    );
    expect(replaced).toMatchObject({ id: 'M8FYZDFK0GJG0', versionCode: 101 });
    const replace = h.requests().filter((r) => r.operation === 'replaceApk');
    expect(replace).toHaveLength(1);
  });

  it('uploads a new APK and deletes it with its ETag', async () => {
    const added = await h.api.uploadApk(edit, await fixtureFile('apks/tv-v200.apk'));
    expect(added.versionCode).toBe(200);
    expect((await h.api.listApks(edit)).value.map((a) => a.id)).toContain(added.id);
    const fresh = await h.api.getApk(edit, added.id);
    await h.api.deleteApk(edit, added.id, fresh.etag ?? '');
    expect((await h.api.listApks(edit)).value.map((a) => a.id)).not.toContain(added.id);
  });

  it('reads and writes device targeting', async () => {
    const targeting = await h.api.getTargeting(edit, 'M8FYZDFK0GJG0');
    const device = targeting.value.amazonDevices.find((d) => d.status === 'NOT_TARGETING');
    expect(device).toBeDefined();
    const changed = {
      ...targeting.value,
      amazonDevices: targeting.value.amazonDevices.map((d) =>
        d.id === device?.id ? { ...d, status: 'TARGETING' as const } : d,
      ),
    };
    const written = await h.api.putTargeting(edit, 'M8FYZDFK0GJG0', changed, targeting.etag ?? '');
    expect(written.value.amazonDevices.find((d) => d.id === device?.id)?.status).toBe('TARGETING');
    const reread = await h.api.getTargeting(edit, 'M8FYZDFK0GJG0');
    expect(reread.value.amazonDevices.find((d) => d.id === device?.id)?.status).toBe('TARGETING');
  });

  it('lists, reads, writes and deletes listings, keyed as the API keys them', async () => {
    const all = await h.api.listListings(edit);
    expect(Object.keys(all.value).sort()).toEqual(['de-DE', 'en-US']);
    const one = await h.api.getListing(edit, 'en-US');
    expect(one.value.title).toBe('Acme Notes');
    const updated: Listing = { ...one.value, recentChanges: 'Faster sync.' };
    const written = await h.api.putListing(edit, 'en-US', updated, one.etag ?? '');
    expect(written.value.recentChanges).toBe('Faster sync.');
    expect((await h.api.getListing(edit, 'en-US')).value.recentChanges).toBe('Faster sync.');
    const german = await h.api.getListing(edit, 'de-DE');
    await h.api.deleteListing(edit, 'de-DE', german.etag ?? '');
    expect(Object.keys((await h.api.listListings(edit)).value)).toEqual(['en-US']);
  });

  it('reads and writes details and availability', async () => {
    const details = await h.api.getDetails(edit);
    expect(details.value.defaultLanguage).toBe('en-US');
    const newDetails = { ...details.value, contactPhone: '+1-206-555-0100' };
    expect((await h.api.putDetails(edit, newDetails, details.etag ?? '')).value.contactPhone).toBe(
      '+1-206-555-0100',
    );
    const availability = await h.api.getAvailability(edit);
    const date = { publishingDate: { dateTime: '2031-01-15T09:00:00', zoneId: 'US/Pacific' } };
    const written = await h.api.putAvailability(edit, date, availability.etag ?? '');
    expect(written.value).toEqual(date);
    expect((await h.api.getAvailability(edit)).value).toEqual(date);
  });

  it('lists, uploads and deletes images', async () => {
    const icons = await h.api.getImages(edit, 'en-US', 'small-icons');
    expect(icons.value).toHaveLength(1);
    const uploaded = await h.api.uploadImage(
      edit,
      'en-US',
      'small-icons',
      await fixtureFile('images/icon-114.png'),
      icons.etag ?? '',
    );
    expect(uploaded.id).toMatch(/^amzn1\.dex\.asset\./);
    const after = await h.api.getImages(edit, 'en-US', 'small-icons');
    expect(after.value).toEqual([uploaded]); // single-image type: the upload replaced the icon
    await h.api.deleteImage(edit, 'en-US', 'small-icons', uploaded.id, after.etag ?? '');
    expect((await h.api.getImages(edit, 'en-US', 'small-icons')).value).toEqual([]);
    const shots = await h.api.getImages(edit, 'en-US', 'screenshots');
    expect(shots.value).toHaveLength(3);
    await h.api.deleteAllImages(edit, 'en-US', 'screenshots', shots.etag ?? '');
    expect((await h.api.getImages(edit, 'en-US', 'screenshots')).value).toEqual([]);
    // The upload named the file and declared its type and length.
    const upload = h.trace.find((line) => line.includes('small-icons/upload') && line.startsWith('→'));
    expect(upload).toMatch(/If-Match=.* \(\d+ bytes, application\/octet-stream\)/);
  });

  it('lists, uploads and deletes videos', async () => {
    const none = await h.api.getVideos(edit, 'en-US');
    expect(none.value).toEqual([]);
    const first = await h.api.uploadVideo(
      edit,
      'en-US',
      await fixtureFile('media/trailer.mp4'),
      none.etag ?? '',
    );
    const listed = await h.api.getVideos(edit, 'en-US');
    expect(listed.value).toEqual([first]);
    await h.api.deleteVideo(edit, 'en-US', first.id, listed.etag ?? '');
    const empty = await h.api.getVideos(edit, 'en-US');
    const second = await h.api.uploadVideo(
      edit,
      'en-US',
      await fixtureFile('media/trailer.mp4'),
      empty.etag ?? '',
    );
    expect(second.id).not.toBe(first.id);
    const again = await h.api.getVideos(edit, 'en-US');
    await h.api.deleteAllVideos(edit, 'en-US', again.etag ?? '');
    expect((await h.api.getVideos(edit, 'en-US')).value).toEqual([]);
    expect(h.requests().filter((r) => r.path.endsWith('/videos/upload'))).toHaveLength(2);
  });

  it("validates (403 with Amazon's reasons) and commits once valid", async () => {
    const before = await h.api.getEdit(edit);
    const error = await caught<ApiError>(() => h.api.validateEdit(edit, before.etag));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(403);
    expect(error.errors.length).toBeGreaterThan(0);
    // Put back what the steps above removed, so the edit passes validation.
    const shots = await h.api.getImages(edit, 'en-US', 'screenshots');
    let etag = shots.etag ?? '';
    for (const name of ['screenshot-1.png', 'screenshot-2.png', 'screenshot-3.png']) {
      await h.api.uploadImage(edit, 'en-US', 'screenshots', await fixtureFile(`images/${name}`), etag);
      etag = (await h.api.getImages(edit, 'en-US', 'screenshots')).etag ?? '';
    }
    const icons = await h.api.getImages(edit, 'en-US', 'small-icons');
    await h.api.uploadImage(
      edit,
      'en-US',
      'small-icons',
      await fixtureFile('images/icon-114.png'),
      icons.etag ?? '',
    );
    const fresh = await h.api.getEdit(edit);
    const valid = await h.api.validateEdit(edit, fresh.etag);
    expect(valid.value.id).toBe(edit.editId);
    const committed = await h.api.commitEdit(edit, (await h.api.getEdit(edit)).etag ?? '');
    expect(committed.value.status).toBe('REVIEW');
    // An edit in review is still the open edit.
    expect((await h.api.getActiveEdit(DEMO_APP)).value?.status).toBe('REVIEW');
  });
});

describe('deleteEdit', () => {
  it('discards the open edit with its ETag', async () => {
    const h = await startHarness();
    try {
      const created = await h.api.createEdit(DEMO_APP);
      const edit = { appId: DEMO_APP, editId: created.value.id };
      const fresh = await h.api.getEdit(edit);
      await h.api.deleteEdit(edit, fresh.etag ?? '');
      expect((await h.api.getActiveEdit(DEMO_APP)).value).toBeNull();
    } finally {
      await h.close();
    }
  });
});
