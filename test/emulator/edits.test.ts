// The edit lifecycle (appstore-api.md §6): create, copy of live, one open edit, validate/commit,
// REVIEW refusals, approve/reject, /edits/previous.
import { describe, expect, test } from 'vitest';
import type { SeedFile } from '../../src/emulator/index.js';
import {
  APP_ID,
  commit,
  demoSeed,
  type ErrorBody,
  errorCodes,
  FIRE_HD_10,
  FIRE_TV_STICK_4K,
  fixture,
  startSession,
  writeReleaseNotes,
} from './harness.js';

const LIVE_EDIT_ID = 'amzn1.devportal.apprelease.5a1e0f7c2b9d4e8fa3c61b0d97e2f415';

describe('open edit', () => {
  test('no open edit reads as 200 {}', async () => {
    const session = await startSession();
    const response = await session.call('GET', '/edits');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });

  test('createEdit opens an IN_PROGRESS edit that GET /edits and GET /edits/{id} return with the same ETag', async () => {
    const session = await startSession();
    const created = await session.call('POST', '/edits', { json: {} });
    expect(created.status).toBe(200);
    const edit = (await created.json()) as { id: string; status: string };
    expect(edit).toEqual({
      id: expect.stringMatching(/^amzn1\.devportal\.apprelease\.[0-9a-f]{32}$/),
      status: 'IN_PROGRESS',
    });
    const active = await session.get('/edits');
    const byId = await session.get(`/edits/${edit.id}`);
    expect(active.body).toEqual(edit);
    expect(byId.body).toEqual(edit);
    expect(active.etag).toBe(byId.etag);
  });

  test('a second createEdit gets 409 while one is open', async () => {
    const session = await startSession();
    await session.openEdit();
    const again = await session.call('POST', '/edits');
    expect(again.status).toBe(409);
    const body = (await again.json()) as ErrorBody;
    expect(body).toMatchObject({ httpCode: 409, message: 'Conflict' });
    expect(body.errors[0]?.errorCode).toBe('error_edit_already_exists');
  });

  test.each(['NOT_PUBLISHED', 'IN_REVIEW', 'SUPPRESSED'])(
    'createEdit on a %s app gets 412',
    async (state) => {
      const session = await startSession();
      expect((await session.admin('POST', `/apps/${APP_ID}/state`, { state })).status).toBe(200);
      const response = await session.call('POST', '/edits');
      expect(response.status).toBe(412);
      const body = (await response.json()) as ErrorBody;
      expect(body.errors[0]).toMatchObject({ errorCode: 'error_new_version_creation_not_allowed' });
      expect(body.errors[0]?.errorMessage).toContain(
        "Cannot create a new 'edit' for the app in it's current state.",
      );
    },
  );

  test('a new edit is a copy of live: APKs with targeting and DRM, listings with last notes, images, details, availability', async () => {
    const seed = demoSeed();
    const live = seed.apps[0]?.live;
    if (!live) throw new Error('demo seed has no live version');
    live.availability = { publishingDate: { dateTime: '2026-05-01T10:00:00', zoneId: 'US/Pacific' } };
    live.listings = {
      ...live.listings,
      'en-US': { ...live.listings?.['en-US'], videos: ['amzn1.dex.asset.00000000000000000000000000000v01'] },
    };
    const session = await startSession({ seed });
    const { path } = await session.openEdit();
    const apks = await session.get<{ id: string; versionCode: number; name: string }[]>(`${path}/apks`);
    expect(apks.body).toEqual([{ id: 'M8FYZDFK0GJG0', versionCode: 100, name: 'APK1' }]);
    const targeting = await session.get<{ amazonDevices: { id: string; status: string }[] }>(
      `${path}/apks/M8FYZDFK0GJG0/targeting`,
    );
    const targeted = targeting.body.amazonDevices.filter((d) => d.status === 'TARGETING').map((d) => d.id);
    expect(targeted).toEqual([FIRE_TV_STICK_4K, FIRE_HD_10]);
    const listing = await session.get<{ recentChanges: string; title: string }>(`${path}/listings/en-US`);
    expect(listing.body).toMatchObject({ title: 'Acme Notes', recentChanges: 'Bug fixes and improvements.' });
    const screenshots = await session.get<{ images: { id: string }[] }>(`${path}/listings/en-US/screenshots`);
    expect(screenshots.body.images.map((i) => i.id)).toEqual(live.listings?.['en-US']?.images?.screenshots);
    const videos = await session.get<{ videos: { id: string }[] }>(`${path}/listings/en-US/videos`);
    expect(videos.body.videos).toEqual([{ id: 'amzn1.dex.asset.00000000000000000000000000000v01' }]);
    expect((await session.get(`${path}/details`)).body).toEqual(live.details);
    expect((await session.get(`${path}/availability`)).body).toEqual(live.availability);
    // DRM is copied too: only release notes stand between this edit and a valid one.
    const validation = await session.call('POST', `${path}/validate`);
    expect(new Set(await errorCodes(validation))).toEqual(new Set(['error_release_notes_incomplete']));
  });

  test('unknown app and unknown edit get 404; a malformed path gets the gateway scope message', async () => {
    const session = await startSession();
    const unknownApp = await session.call(
      'GET',
      `${session.emulator.apiUrl}/v1/applications/amzn1.devportal.mobileapp.ffff/edits`,
    );
    expect(unknownApp.status).toBe(404);
    expect(await errorCodes(unknownApp)).toEqual(['error_app_not_found']);
    const unknownEdit = await session.call('GET', '/edits/amzn1.devportal.apprelease.0000/listings');
    expect(unknownEdit.status).toBe(404);
    expect(await errorCodes(unknownEdit)).toEqual(['error_edit_not_found']);
    const malformed = await session.call('GET', '/edits//apks');
    expect(malformed.status).toBe(403);
    expect(await malformed.json()).toEqual({
      Message: `Unable to fetch the request scope for uri = /appstore/v1/applications/${APP_ID}/edits//apks and verb = GET`,
    });
  });
});

describe('delete edit', () => {
  test('needs If-Match, refuses a stale one, then discards the edit', async () => {
    const session = await startSession();
    const { id, path } = await session.openEdit();
    const missing = await session.call('DELETE', path);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorBody).errors[0]).toEqual({
      errorCode: 'required_data_absent',
      errorMessage: 'If-Match header is required',
    });
    const { etag } = await session.get(path);
    await writeReleaseNotes(session, path);
    const stale = await session.call('DELETE', path, { headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect(await errorCodes(stale)).toEqual(['precondition_failed']);
    const fresh = await session.get(path);
    const deleted = await session.call('DELETE', path, { headers: { 'if-match': fresh.etag } });
    expect(deleted.status).toBe(204);
    expect(await (await session.call('GET', '/edits')).json()).toEqual({});
    expect((await session.call('GET', `/edits/${id}`)).status).toBe(404);
  });
});

describe('validate and commit', () => {
  test('validate lists every failed rule with 403, then passes once release notes are new', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const failed = await session.call('POST', `${path}/validate`);
    expect(failed.status).toBe(403);
    const body = (await failed.json()) as ErrorBody;
    expect(body.httpCode).toBe(403);
    expect(body.errors.map((e) => e.errorCode)).toEqual([
      'error_release_notes_incomplete',
      'error_release_notes_incomplete',
    ]);
    expect(body.errors.map((e) => e.errorMessage).join(' ')).toMatch(/en-US.*de-DE/);
    await writeReleaseNotes(session, path);
    const passed = await session.call('POST', `${path}/validate`);
    expect(passed.status).toBe(200);
    expect(((await passed.json()) as { status: string }).status).toBe('IN_PROGRESS');
  });

  test('validate accepts a current If-Match and refuses a stale one', async () => {
    const session = await startSession({ rules: { releaseNotes: false } });
    const { path } = await session.openEdit();
    const { etag } = await session.get(path);
    expect((await session.call('POST', `${path}/validate`, { headers: { 'if-match': etag } })).status).toBe(
      200,
    );
    await session.admin('POST', `/apps/${APP_ID}/console`, {
      details: { set: { contactPhone: '+1-206-555-0100' } },
    });
    expect((await session.call('POST', `${path}/validate`, { headers: { 'if-match': etag } })).status).toBe(
      412,
    );
  });

  test('commit needs If-Match (400), refuses an ETag taken before the last change (412) and failing rules (403)', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const missing = await session.call('POST', `${path}/commit`);
    expect(missing.status).toBe(400);
    expect(await errorCodes(missing)).toEqual(['required_data_absent']);
    const invalid = await commit(session, path);
    expect(invalid.status).toBe(403);
    expect(await errorCodes(invalid)).toContain('error_release_notes_incomplete');
    const before = await session.get(path);
    await writeReleaseNotes(session, path);
    const stale = await session.call('POST', `${path}/commit`, { headers: { 'if-match': before.etag } });
    expect(stale.status).toBe(412);
    const committed = await commit(session, path);
    expect(committed.status).toBe(200);
    expect(((await committed.json()) as { status: string }).status).toBe('REVIEW');
    expect((await session.get<{ status: string }>('/edits')).body.status).toBe('REVIEW');
  });

  test('an edit in REVIEW is readable but every write is refused, and createEdit gets 412', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    await writeReleaseNotes(session, path);
    const listing = await session.get<Record<string, unknown>>(`${path}/listings/en-US`);
    const apk = await session.get(`${path}/apks/M8FYZDFK0GJG0`);
    const edit = await session.get(path);
    expect((await commit(session, path)).status).toBe(200);
    const review = await session.get(path);
    const writes = [
      session.call('PUT', `${path}/listings/en-US`, {
        json: listing.body,
        headers: { 'if-match': listing.etag },
      }),
      session.call('PUT', `${path}/apks/M8FYZDFK0GJG0/replace`, {
        body: fixture('fixtures/apks/plain-v102.apk'),
        headers: { 'if-match': apk.etag },
      }),
      session.call('POST', `${path}/apks/upload`, { body: fixture('fixtures/apks/plain-v103.apk') }),
      session.call('POST', `${path}/validate`),
      session.call('POST', `${path}/commit`, { headers: { 'if-match': review.etag } }),
      session.call('DELETE', path, { headers: { 'if-match': review.etag } }),
    ];
    for (const response of await Promise.all(writes)) {
      expect(response.status).toBe(403);
      expect(await errorCodes(response)).toEqual(['error_edit_not_in_progress']);
    }
    expect(edit.etag).not.toBe(review.etag);
    expect((await session.call('GET', `${path}/listings/en-US`)).status).toBe(200);
    const create = await session.call('POST', '/edits');
    expect(create.status).toBe(412);
    expect(await errorCodes(create)).toEqual(['error_new_version_creation_not_allowed']);
  });

  test('each validation rule can be switched off', async () => {
    const session = await startSession({
      rules: { releaseNotes: false, requiredImages: false, apkPresent: false },
    });
    const { path } = await session.openEdit();
    const apk = await session.get(`${path}/apks/M8FYZDFK0GJG0`);
    expect(
      (await session.call('DELETE', `${path}/apks/M8FYZDFK0GJG0`, { headers: { 'if-match': apk.etag } }))
        .status,
    ).toBe(204);
    const images = await session.get(`${path}/listings/de-DE/screenshots`);
    await session.call('DELETE', `${path}/listings/de-DE/screenshots`, {
      headers: { 'if-match': images.etag },
    });
    expect((await session.call('POST', `${path}/validate`)).status).toBe(200);
  });

  test('rules: no APK, missing images, missing or multi-word keywords, a device targeted twice, no DRM', async () => {
    const session = await startSession({ rules: { releaseNotes: false } });
    const { path } = await session.openEdit();
    // A second APK (fresh upload: no DRM) targeting a device APK1 already targets.
    const uploaded = await session.call('POST', `${path}/apks/upload`, {
      body: fixture('fixtures/apks/plain-v101.apk'),
    });
    const apk2 = (await uploaded.json()) as { id: string };
    await session.admin('POST', `/apps/${APP_ID}/console`, {
      targeting: { apkId: apk2.id, set: { [FIRE_TV_STICK_4K]: 'TARGETING' } },
    });
    await session.admin('POST', `/apps/${APP_ID}/console`, {
      listing: { language: 'de-DE', set: { keywords: [] } },
    });
    await session.admin('POST', `/apps/${APP_ID}/console`, {
      listing: { language: 'en-US', set: { keywords: ['two words'] } },
    });
    const shots = await session.get(`${path}/listings/en-US/screenshots`);
    await session.call('DELETE', `${path}/listings/en-US/screenshots`, {
      headers: { 'if-match': shots.etag },
    });
    const codes = await errorCodes(await session.call('POST', `${path}/validate`));
    expect(codes.sort()).toEqual(
      [
        'SINGLE_WORD',
        'error_apk_drm_value_missing',
        'error_device_targeted_twice',
        'error_images_incomplete',
        'required_data_absent',
      ].sort(),
    );
    for (const apk of (await session.get<{ id: string }[]>(`${path}/apks`)).body) {
      const { etag } = await session.get(`${path}/apks/${apk.id}`);
      await session.call('DELETE', `${path}/apks/${apk.id}`, { headers: { 'if-match': etag } });
    }
    expect(await errorCodes(await session.call('POST', `${path}/validate`))).toContain('error_apk_missing');
  });

  test('the Fire TV image rule applies only when switched on and a Fire TV is targeted', async () => {
    const session = await startSession({ rules: { releaseNotes: false, fireTvImages: true } });
    const { path } = await session.openEdit();
    const codes = await errorCodes(await session.call('POST', `${path}/validate`));
    expect(codes.filter((c) => c === 'error_images_incomplete')).toHaveLength(6);
  });
});

describe('review outcome', () => {
  async function committedSession() {
    const session = await startSession();
    const { id, path } = await session.openEdit();
    const apk = await session.get(`${path}/apks/M8FYZDFK0GJG0`);
    await session.call('PUT', `${path}/apks/M8FYZDFK0GJG0/replace`, {
      body: fixture('fixtures/apks/plain-v101.apk'),
      headers: { 'if-match': apk.etag },
    });
    await writeReleaseNotes(session, path, 'Version 1.0.1');
    expect((await commit(session, path)).status).toBe(200);
    return { session, id, path };
  }

  test('approve makes the edit live: no open edit, /edits/previous is it, the next edit copies it', async () => {
    const { session, id } = await committedSession();
    const approved = await session.admin('POST', `/apps/${APP_ID}/edit/approve`);
    expect(approved.status).toBe(200);
    expect(await approved.json()).toEqual({ liveEditId: id });
    expect(await (await session.call('GET', '/edits')).json()).toEqual({});
    expect((await session.get<{ id: string }>('/edits/previous')).body.id).toBe(id);
    const next = await session.openEdit();
    expect(next.id).not.toBe(id);
    expect((await session.get<{ versionCode: number }[]>(`${next.path}/apks`)).body[0]?.versionCode).toBe(
      101,
    );
    expect(
      (await session.get<{ recentChanges: string }>(`${next.path}/listings/en-US`)).body.recentChanges,
    ).toBe('Version 1.0.1 (en-US)');
    // 101 is released now: a replace must go higher.
    const apk = await session.get(`${next.path}/apks/M8FYZDFK0GJG0`);
    const again = await session.call('PUT', `${next.path}/apks/M8FYZDFK0GJG0/replace`, {
      body: fixture('fixtures/apks/plain-v101.apk'),
      headers: { 'if-match': apk.etag },
    });
    expect(again.status).toBe(400);
  });

  test('reject discards the edit, or reopens it as IN_PROGRESS', async () => {
    const first = await committedSession();
    expect((await first.session.admin('POST', `/apps/${APP_ID}/edit/reject`)).status).toBe(200);
    expect(await (await first.session.call('GET', '/edits')).json()).toEqual({});
    const second = await committedSession();
    const reopened = await second.session.admin('POST', `/apps/${APP_ID}/edit/reject`, { reopen: true });
    expect(await reopened.json()).toEqual({ edit: { id: second.id, status: 'IN_PROGRESS' } });
    expect((await second.session.get<{ status: string }>('/edits')).body.status).toBe('IN_PROGRESS');
  });

  test('approve and reject need an edit in REVIEW', async () => {
    const session = await startSession();
    await session.openEdit();
    expect((await session.admin('POST', `/apps/${APP_ID}/edit/approve`)).status).toBe(409);
    expect((await session.admin('POST', `/apps/${APP_ID}/edit/reject`)).status).toBe(409);
  });
});

describe('/edits/previous', () => {
  test('returns the live version’s edit, readable but not writable', async () => {
    const session = await startSession();
    const previous = await session.get<{ id: string; status: string }>('/edits/previous');
    expect(previous.body).toEqual({ id: LIVE_EDIT_ID, status: 'LIVE' });
    const listings = await session.get<{ listings: Record<string, unknown> }>(
      `/edits/${LIVE_EDIT_ID}/listings`,
    );
    expect(Object.keys(listings.body.listings)).toEqual(['en-US', 'de-DE']);
    expect((await session.get(`/edits/${LIVE_EDIT_ID}/apks`)).body).toHaveLength(1);
    const details = await session.get(`/edits/${LIVE_EDIT_ID}/details`);
    const write = await session.call('PUT', `/edits/${LIVE_EDIT_ID}/details`, {
      json: details.body,
      headers: { 'if-match': details.etag },
    });
    expect(write.status).toBe(403);
    expect(await errorCodes(write)).toEqual(['error_edit_not_in_progress']);
  });

  test('with previousEditReadable off, its sub-resources are 404', async () => {
    const session = await startSession({ previousEditReadable: false });
    expect((await session.get<{ id: string }>('/edits/previous')).body.id).toBe(LIVE_EDIT_ID);
    const listings = await session.call('GET', `/edits/${LIVE_EDIT_ID}/listings`);
    expect(listings.status).toBe(404);
    expect(await errorCodes(listings)).toEqual(['error_edit_not_found']);
  });

  test('an app never published has no previous edit', async () => {
    const seed: SeedFile = {
      apps: [{ appId: APP_ID, live: null, openEdit: null }],
    };
    const session = await startSession({ seed });
    const response = await session.call('GET', '/edits/previous');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect((await session.call('POST', '/edits')).status).toBe(412);
  });
});
