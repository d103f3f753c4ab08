// ETags (appstore-api.md §5): which calls need If-Match, 400 when missing, 412 when stale, and the two
// scope models (hierarchical with ancestor acceptance; strict edit-wide).
import { describe, expect, test } from 'vitest';
import { APP_ID, errorCodes, fixture, png, type Session, startSession } from './harness.js';

const APK = 'M8FYZDFK0GJG0';

/** Every call of §5.2 that needs If-Match, as [name, method, path (under the edit), body?]. */
function ifMatchCalls(
  screenshot: string,
): [string, string, string, (() => RequestInit['body'])?, boolean?][] {
  return [
    [
      'PUT listing',
      'PUT',
      '/listings/en-US',
      () => JSON.stringify({ title: 'x', featureBullets: [], keywords: ['x'] }),
      true,
    ],
    ['PUT details', 'PUT', '/details', () => JSON.stringify({ defaultLanguage: 'en-US' }), true],
    ['PUT availability', 'PUT', '/availability', () => JSON.stringify({}), true],
    [
      'PUT targeting',
      'PUT',
      `/apks/${APK}/targeting`,
      () => JSON.stringify({ amazonDevices: [], nonAmazonDevices: [] }),
      true,
    ],
    ['replace APK', 'PUT', `/apks/${APK}/replace`, () => fixture('fixtures/apks/plain-v101.apk')],
    ['DELETE APK', 'DELETE', `/apks/${APK}`],
    ['DELETE listing', 'DELETE', '/listings/de-DE'],
    ['upload image', 'POST', '/listings/en-US/screenshots/upload', () => png(1920, 1080)],
    ['DELETE image', 'DELETE', `/listings/en-US/screenshots/${screenshot}`],
    ['DELETE all images', 'DELETE', '/listings/en-US/screenshots'],
    ['upload video', 'POST', '/listings/en-US/videos/upload', () => fixture('fixtures/media/trailer.mp4')],
    ['DELETE all videos', 'DELETE', '/listings/en-US/videos'],
    ['commit', 'POST', '/commit'],
    ['DELETE edit', 'DELETE', ''],
  ];
}

async function editWithScreenshot(session: Session) {
  const { path } = await session.openEdit();
  const shots = await session.get<{ images: { id: string }[] }>(`${path}/listings/en-US/screenshots`);
  return { path, screenshot: shots.body.images[0]?.id ?? '' };
}

describe('If-Match required', () => {
  test('every call of §5.2 without If-Match gets 400 required_data_absent and changes nothing', async () => {
    const session = await startSession();
    const { path, screenshot } = await editWithScreenshot(session);
    const before = JSON.stringify(session.emulator.store.dump());
    for (const [name, method, sub, body, isJson] of ifMatchCalls(screenshot)) {
      const headers: Record<string, string> = isJson ? { 'content-type': 'application/json' } : {};
      const response = await session.call(
        method,
        `${path}${sub}`,
        body === undefined ? { headers } : { body: body(), headers },
      );
      expect([name, response.status]).toEqual([name, 400]);
      expect(await errorCodes(response)).toEqual(['required_data_absent']);
    }
    expect(JSON.stringify(session.emulator.store.dump())).toBe(before);
  });

  test('every call of §5.2 with a wrong If-Match gets 412 precondition_failed and changes nothing', async () => {
    const session = await startSession();
    const { path, screenshot } = await editWithScreenshot(session);
    const before = JSON.stringify(session.emulator.store.dump());
    for (const [name, method, sub, body, isJson] of ifMatchCalls(screenshot)) {
      const headers: Record<string, string> = { 'if-match': '"r-not-current"' };
      if (isJson) headers['content-type'] = 'application/json';
      const response = await session.call(
        method,
        `${path}${sub}`,
        body === undefined ? { headers } : { body: body(), headers },
      );
      expect([name, response.status]).toEqual([name, 412]);
      const error = (await response.json()) as {
        httpCode: number;
        message: string;
        errors: { errorCode: string }[];
      };
      expect(error).toMatchObject({ httpCode: 412, message: 'Precondition Failed' });
      expect(error.errors[0]?.errorCode).toBe('precondition_failed');
    }
    expect(JSON.stringify(session.emulator.store.dump())).toBe(before);
  });

  test('createEdit, upload, large upload and attach need no If-Match', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    expect(
      (await session.call('POST', `${path}/apks/upload`, { body: fixture('fixtures/apks/plain-v102.apk') }))
        .status,
    ).toBe(200);
    const large = await session.call('POST', `${path}/apks/large/upload`, {
      body: fixture('fixtures/apks/plain-v103.apk'),
    });
    expect(large.status).toBe(200);
    expect((await session.call('POST', `${path}/apks/attach`, { json: await large.json() })).status).toBe(
      200,
    );
  });
});

describe('hierarchical ETags (default)', () => {
  test('every GET of an edit-scoped resource carries an ETag, all distinct', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const paths = [
      '',
      '/apks',
      `/apks/${APK}`,
      `/apks/${APK}/targeting`,
      '/listings',
      '/listings/en-US',
      '/listings/de-DE',
      '/listings/en-US/screenshots',
      '/listings/en-US/small-icons',
      '/listings/en-US/videos',
      '/details',
      '/availability',
    ];
    const etags = await Promise.all(paths.map(async (p) => (await session.get(`${path}${p}`)).etag));
    for (const etag of etags) expect(etag).toMatch(/^"r-[0-9a-f]+"$/);
    expect(new Set(etags).size).toBe(paths.length);
  });

  test('a mutation bumps the node and its ancestors, not its siblings', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const read = async () => ({
      edit: (await session.get(path)).etag,
      listings: (await session.get(`${path}/listings`)).etag,
      en: (await session.get(`${path}/listings/en-US`)).etag,
      de: (await session.get(`${path}/listings/de-DE`)).etag,
      enShots: (await session.get(`${path}/listings/en-US/screenshots`)).etag,
      details: (await session.get(`${path}/details`)).etag,
      apk: (await session.get(`${path}/apks/${APK}`)).etag,
    });
    const before = await read();
    const listing = await session.get<Record<string, unknown>>(`${path}/listings/en-US`);
    const put = await session.call('PUT', `${path}/listings/en-US`, {
      json: { ...listing.body, recentChanges: 'New' },
      headers: { 'if-match': listing.etag },
    });
    expect(put.status).toBe(200);
    const after = await read();
    expect(after.edit).not.toBe(before.edit);
    expect(after.listings).not.toBe(before.listings);
    expect(after.en).not.toBe(before.en);
    expect(after.de).toBe(before.de);
    expect(after.enShots).toBe(before.enShots);
    expect(after.details).toBe(before.details);
    expect(after.apk).toBe(before.apk);
  });

  test('If-Match may be the target’s ETag or any ancestor’s (collection, listing, edit)', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const put = async (ifMatch: string, notes: string) => {
      const { body } = await session.get<Record<string, unknown>>(`${path}/listings/de-DE`);
      return session.call('PUT', `${path}/listings/de-DE`, {
        json: { ...body, recentChanges: notes },
        headers: { 'if-match': ifMatch },
      });
    };
    expect((await put((await session.get(`${path}/listings`)).etag, 'a')).status).toBe(200);
    expect((await put((await session.get(path)).etag, 'b')).status).toBe(200);
    // An image upload with the listing's ETag (the fallback one client uses).
    const listingEtag = (await session.get(`${path}/listings/en-US`)).etag;
    const upload = await session.call('POST', `${path}/listings/en-US/screenshots/upload`, {
      body: png(1920, 1080),
      headers: { 'if-match': listingEtag },
    });
    expect(upload.status).toBe(200);
    // A sibling's ETag is not an ancestor.
    const deEtag = (await session.get(`${path}/listings/de-DE`)).etag;
    const shots = await session.call('POST', `${path}/listings/en-US/screenshots/upload`, {
      body: png(1920, 1080),
      headers: { 'if-match': deEtag },
    });
    expect(shots.status).toBe(412);
  });

  test('an edit ETag taken before an APK replace is stale for commit (the bug real plugins had)', async () => {
    const session = await startSession({ rules: { releaseNotes: false } });
    const { path } = await session.openEdit();
    const early = (await session.get(path)).etag;
    const apk = await session.get(`${path}/apks/${APK}`);
    await session.call('PUT', `${path}/apks/${APK}/replace`, {
      body: fixture('fixtures/apks/plain-v101.apk'),
      headers: { 'if-match': apk.etag },
    });
    expect((await session.call('POST', `${path}/commit`, { headers: { 'if-match': early } })).status).toBe(
      412,
    );
    const late = (await session.get(path)).etag;
    expect((await session.call('POST', `${path}/commit`, { headers: { 'if-match': late } })).status).toBe(
      200,
    );
  });

  test('a Console change bumps ETags like an API mutation', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const listing = await session.get<Record<string, unknown>>(`${path}/listings/en-US`);
    const change = await session.admin('POST', `/apps/${APP_ID}/console`, {
      listing: { language: 'en-US', set: { title: 'Acme Notes Pro' } },
    });
    expect(change.status).toBe(200);
    const put = await session.call('PUT', `${path}/listings/en-US`, {
      json: listing.body,
      headers: { 'if-match': listing.etag },
    });
    expect(put.status).toBe(412);
    expect((await session.get<{ title: string }>(`${path}/listings/en-US`)).body.title).toBe(
      'Acme Notes Pro',
    );
  });

  test('deleting and re-creating a listing leaves no child ETag valid', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const listing = await session.get<Record<string, unknown>>(`${path}/listings/de-DE`);
    const shots = await session.get(`${path}/listings/de-DE/screenshots`);
    expect(
      (await session.call('DELETE', `${path}/listings/de-DE`, { headers: { 'if-match': listing.etag } }))
        .status,
    ).toBe(204);
    const collection = await session.get(`${path}/listings`);
    expect(
      (
        await session.call('PUT', `${path}/listings/de-DE`, {
          json: listing.body,
          headers: { 'if-match': collection.etag },
        })
      ).status,
    ).toBe(200);
    const now = await session.get(`${path}/listings/de-DE/screenshots`);
    expect(now.body).toEqual({ images: [] });
    expect(now.etag).not.toBe(shots.etag);
    const upload = await session.call('POST', `${path}/listings/de-DE/screenshots/upload`, {
      body: png(1920, 1080),
      headers: { 'if-match': shots.etag },
    });
    expect(upload.status).toBe(412);
  });
});

describe('concurrent writes', () => {
  test('two replaces with the same If-Match: exactly one wins, even when their bodies overlap', async () => {
    const session = await startSession({ faults: 'slow-upload bps=20k op=replaceApk' });
    const { path } = await session.openEdit();
    const { etag } = await session.get(`${path}/apks/${APK}`);
    const send = (file: string) =>
      session.call('PUT', `${path}/apks/${APK}/replace`, {
        body: fixture(file),
        headers: { 'if-match': etag },
      });
    const responses = await Promise.all([
      send('fixtures/apks/plain-v101.apk'),
      send('fixtures/apks/plain-v102.apk'),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  test('two listing PUTs with the same If-Match: exactly one wins', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const listing = await session.get<Record<string, unknown>>(`${path}/listings/en-US`);
    const put = (title: string) =>
      session.call('PUT', `${path}/listings/en-US`, {
        json: { ...listing.body, title },
        headers: { 'if-match': listing.etag },
      });
    const responses = await Promise.all([put('A'), put('B')]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  test('an upload still running when the edit is committed is refused', async () => {
    const session = await startSession({
      rules: { releaseNotes: false },
      faults: 'slow-upload bps=1k op=uploadApk',
    });
    const { path } = await session.openEdit();
    const upload = session.call('POST', `${path}/apks/upload`, {
      body: fixture('fixtures/apks/plain-v101.apk'),
    });
    const edit = await session.get(path);
    expect(
      (await session.call('POST', `${path}/commit`, { headers: { 'if-match': edit.etag } })).status,
    ).toBe(200);
    const response = await upload;
    expect(response.status).toBe(403);
    expect(await errorCodes(response)).toEqual(['error_edit_not_in_progress']);
    expect((await session.get(`${path}/apks`)).body).toHaveLength(1);
  });
});

describe('strict edit-wide ETags', () => {
  test('every GET under the edit returns the edit’s ETag', async () => {
    const session = await startSession({ etagMode: 'edit' });
    const { path } = await session.openEdit();
    const etags = new Set<string>();
    for (const sub of [
      '',
      '/apks',
      `/apks/${APK}/targeting`,
      '/listings',
      '/listings/de-DE',
      '/listings/en-US/screenshots',
      '/details',
    ]) {
      etags.add((await session.get(`${path}${sub}`)).etag);
    }
    expect(etags.size).toBe(1);
    expect([...etags][0]).toMatch(/^"e-[0-9a-f]+"$/);
  });

  test('any mutation anywhere makes every ETag taken before it stale', async () => {
    const session = await startSession({ etagMode: 'edit' });
    const { path } = await session.openEdit();
    const de = await session.get<Record<string, unknown>>(`${path}/listings/de-DE`);
    const details = await session.get<Record<string, unknown>>(`${path}/details`);
    expect(
      (
        await session.call('PUT', `${path}/details`, {
          json: { ...details.body, contactPhone: '1' },
          headers: { 'if-match': details.etag },
        })
      ).status,
    ).toBe(200);
    const stale = await session.call('PUT', `${path}/listings/de-DE`, {
      json: de.body,
      headers: { 'if-match': de.etag },
    });
    expect(stale.status).toBe(412);
    const fresh = await session.get(`${path}/listings/de-DE`);
    expect(
      (
        await session.call('PUT', `${path}/listings/de-DE`, {
          json: de.body,
          headers: { 'if-match': fresh.etag },
        })
      ).status,
    ).toBe(200);
  });
});
