// Seeds (load, validate, dump round trip) and the admin endpoints: state, reset, request log,
// Console-side changes, app state.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadSeedFile, type SeedFile, startEmulator, validateSeed } from '../../src/emulator/index.js';
import { APP_ID, demoSeed, errorCodes, FIRE_HD_8, fixture, png, startSession } from './harness.js';

describe('seed', () => {
  test('the demo seed is valid and its dump round-trips: seed → dump → seed → same dump', async () => {
    const first = await startSession();
    const dump = first.emulator.store.dump();
    expect(dump.apps[0]).toMatchObject({ appId: APP_ID, state: 'LIVE', openEdit: null });
    expect(dump.apps[0]?.serverHashes.apks['100']?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const second = await startSession({ seed: dump });
    expect(second.emulator.store.dump()).toEqual(dump);
  });

  test('an open edit with uploads survives dump and reload, hashes included', async () => {
    const session = await startSession();
    const { id, path } = await session.openEdit();
    const { etag } = await session.get(`${path}/apks/M8FYZDFK0GJG0`);
    await session.call('PUT', `${path}/apks/M8FYZDFK0GJG0/replace`, {
      body: fixture('fixtures/apks/tv-v201.apk'),
      headers: { 'if-match': etag },
    });
    const shots = await session.get(`${path}/listings/en-US/screenshots`);
    const uploaded = await session.call('POST', `${path}/listings/en-US/screenshots/upload`, {
      body: png(1920, 1080),
      headers: { 'if-match': shots.etag },
    });
    const imageId = ((await uploaded.json()) as { image: { id: string } }).image.id;
    const dump = session.emulator.store.dump();
    const reloaded = await startSession({ seed: dump });
    expect(reloaded.emulator.store.dump()).toEqual(dump);
    expect((await reloaded.get<{ id: string }>('/edits')).body.id).toBe(id);
    expect((await reloaded.get<{ versionCode: number }[]>(`${path}/apks`)).body[0]?.versionCode).toBe(201);
    expect(
      (await reloaded.get<{ images: { id: string }[] }>(`${path}/listings/en-US/screenshots`)).body.images.at(
        -1,
      )?.id,
    ).toBe(imageId);
    expect(dump.apps[0]?.serverHashes.assets[imageId]).toMatchObject({
      kind: 'image',
      width: 1920,
      height: 1080,
    });
    expect(dump.apps[0]?.openEdit?.snapshot.apks?.[0]).toMatchObject({
      features: ['android.software.leanback'],
    });
  });

  test('a hand-written seed may use underscore locales, omit ids and start with an edit in REVIEW', async () => {
    const seed: SeedFile = {
      apps: [
        {
          appId: APP_ID,
          live: {
            apks: [
              {
                versionCode: 7,
                features: ['android.software.leanback'],
                targeting: { amazonDevices: ['amzn1.appstore.device.177APHJPEZKTD'] },
              },
            ],
            listings: { en_US: { title: 'T', keywords: ['k'] } },
            details: { defaultLanguage: 'en_US' },
          },
          openEdit: {
            status: 'REVIEW',
            snapshot: { details: { defaultLanguage: 'en-US' }, listings: { 'en-US': { title: 'T2' } } },
          },
        },
      ],
    };
    const session = await startSession({ seed });
    const edit = await session.get<{ id: string; status: string }>('/edits');
    expect(edit.body.status).toBe('REVIEW');
    const previous = await session.get<{ id: string }>('/edits/previous');
    const apks = await session.get<{ id: string; name: string }[]>(`/edits/${previous.body.id}/apks`);
    expect(apks.body[0]).toMatchObject({ name: 'APK1', versionCode: 7 });
    const targeting = await session.get<{ amazonDevices: { id: string; status: string }[] }>(
      `/edits/${previous.body.id}/apks/${apks.body[0]?.id}/targeting`,
    );
    expect(targeting.body.amazonDevices.find((d) => d.id === FIRE_HD_8)?.status).toBe('DISABLED');
    expect((await session.get(`/edits/${previous.body.id}/details`)).body).toEqual({
      defaultLanguage: 'en-US',
    });
    expect((await session.call('POST', '/edits')).status).toBe(412);
  });

  test('validation names every problem with its JSON path', () => {
    const bad = {
      apps: [
        {
          appId: 'a',
          state: 'LIVE',
          live: {
            apks: [
              {
                id: 'X',
                versionCode: 1,
                targeting: {
                  amazonDevices: ['amzn1.appstore.device.NOPE', 'amzn1.appstore.device.0NONAMZANDROID'],
                },
              },
              { id: 'X', versionCode: 1 },
            ],
            details: { defaultLanguage: 'en-US' },
          },
        },
        { appId: 'a', state: 'LIVE' },
      ],
    };
    expect(() => validateSeed(bad, 'bad.json')).toThrow(/bad\.json is invalid/);
    try {
      validateSeed(bad);
    } catch (error) {
      const message = (error as Error).message;
      expect((error as { code: string }).code).toBe('EMULATOR_SEED_INVALID');
      expect(message).toContain(
        '/apps/0/live/apks/0/targeting/amazonDevices: unknown device amzn1.appstore.device.NOPE',
      );
      expect(message).toContain('belongs in the other list');
      expect(message).toContain('/apps/0/live/apks/1/id: duplicate APK id X');
      expect(message).toContain('/apps/0/live/apks/1/versionCode: duplicate versionCode 1');
      expect(message).toContain('/apps/1/appId: duplicate app id a');
      expect(message).toContain('/apps/1: state LIVE needs a live snapshot');
    }
    expect(() => validateSeed({ apps: [{ appId: 'a', lives: {} }] })).toThrow(
      /additional properties \('lives'\)/,
    );
    expect(() =>
      validateSeed({ apps: [{ appId: 'a', live: { details: {}, listings: { english: {} } } }] }),
    ).toThrow(
      "Emulator seed (object) is invalid:\n  /apps/0/live/listings: 'english' is not an allowed key\n  /apps/0/live/details: must have required property 'defaultLanguage'",
    );
  });

  test('seed files: missing, not JSON, or valid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-seed-test-'));
    await expect(loadSeedFile(join(dir, 'none.json'))).rejects.toMatchObject({
      code: 'EMULATOR_SEED_UNREADABLE',
    });
    await writeFile(join(dir, 'broken.json'), '{ "apps": [');
    await expect(loadSeedFile(join(dir, 'broken.json'))).rejects.toMatchObject({
      code: 'EMULATOR_SEED_INVALID',
    });
    await writeFile(join(dir, 'seed.json'), JSON.stringify(demoSeed()));
    const emulator = await startEmulator({ seedFile: join(dir, 'seed.json') });
    try {
      expect(emulator.store.app(APP_ID)?.state).toBe('LIVE');
      expect(emulator.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/appstore$/);
      expect(emulator.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/o2\/token$/);
    } finally {
      await emulator.close();
    }
  });

  test('ids are deterministic: the same calls give the same ids', async () => {
    const ids = async () => {
      const session = await startSession();
      const { id, path } = await session.openEdit();
      const apk = await session.call('POST', `${path}/apks/upload`, {
        body: fixture('fixtures/apks/plain-v102.apk'),
      });
      return [id, ((await apk.json()) as { id: string }).id];
    };
    expect(await ids()).toEqual(await ids());
  });
});

describe('admin endpoints', () => {
  test('GET state is the dump with server hashes; PUT state loads a new seed', async () => {
    const session = await startSession();
    const state = (await (await session.admin('GET', '/state')).json()) as ReturnType<
      typeof session.emulator.store.dump
    >;
    expect(state).toEqual(session.emulator.store.dump());
    expect(state.apps[0]?.serverHashes.assets).toBeDefined();
    const loaded = await session.admin('PUT', '/state', { apps: [] });
    expect(loaded.status).toBe(200);
    expect((await session.call('GET', '/edits')).status).toBe(404);
    const invalid = await session.admin('PUT', '/state', { apps: [{}] });
    expect(invalid.status).toBe(400);
    expect(await errorCodes(invalid)).toEqual(['emulator_bad_seed']);
  });

  test('reset returns to the seed and clears the request log', async () => {
    const session = await startSession();
    await session.openEdit();
    expect(session.emulator.store.requests().length).toBeGreaterThan(0);
    expect((await session.admin('POST', '/reset')).status).toBe(204);
    expect(await (await session.call('GET', '/edits')).json()).toEqual({});
    expect(session.emulator.store.requests().map((r) => r.operation)).toEqual(['getActiveEdit']);
  });

  test('the request log: method, path, operation, status, bytes received; admin calls are not in it', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    await session.call('POST', `${path}/apks/upload`, { body: fixture('fixtures/apks/plain-v102.apk') });
    await session.call('GET', '/nope');
    const { requests } = (await (await session.admin('GET', '/requests')).json()) as {
      requests: { method: string; path: string; operation: string | null; status: number; bytesIn: number }[];
    };
    expect(requests.map((r) => [r.method, r.operation, r.status])).toEqual([
      ['POST', 'token', 200],
      ['POST', 'createEdit', 200],
      ['POST', 'uploadApk', 200],
      ['GET', null, 403],
    ]);
    expect(requests[2]?.bytesIn).toBe(fixture('fixtures/apks/plain-v102.apk').length);
    expect(requests[2]?.path).toBe(`/api/appstore/v1/applications/${APP_ID}${path}/apks/upload`);
    expect((await session.admin('DELETE', '/requests')).status).toBe(204);
    expect(session.emulator.store.requests()).toEqual([]);
  });

  test('Console changes: create an edit, set listing fields, details, availability, targeting, DRM, images, videos', async () => {
    const session = await startSession();
    const console = (body: unknown) => session.admin('POST', `/apps/${APP_ID}/console`, body);
    expect((await console({ listing: { language: 'en-US', set: { title: 'X' } } })).status).toBe(409);
    const created = await console({ createEdit: true });
    const { edit } = (await created.json()) as { edit: { id: string } };
    const path = `/edits/${edit.id}`;
    expect((await session.get<{ id: string }>('/edits')).body.id).toBe(edit.id);
    expect(
      (await console({ listing: { language: 'fr-FR', set: { title: 'Notes Acme', keywords: ['notes'] } } }))
        .status,
    ).toBe(200);
    expect((await session.get(`${path}/listings/fr-FR`)).body).toMatchObject({
      title: 'Notes Acme',
      keywords: ['notes'],
    });
    expect((await console({ listing: { language: 'fr-FR', delete: true } })).status).toBe(200);
    expect((await console({ details: { set: { contactPhone: '555', contactWebsite: null } } })).status).toBe(
      200,
    );
    expect((await session.get(`${path}/details`)).body).toEqual({
      defaultLanguage: 'en-US',
      contactEmail: 'help@acme.example',
      contactPhone: '555',
    });
    await console({
      availability: { set: { publishingDate: { dateTime: '2027-02-01T00:00:00', zoneId: 'UTC' } } },
    });
    expect((await session.get(`${path}/availability`)).body).toEqual({
      publishingDate: { dateTime: '2027-02-01T00:00:00', zoneId: 'UTC' },
    });
    await console({ targeting: { apkId: 'M8FYZDFK0GJG0', set: { [FIRE_HD_8]: 'TARGETING' } } });
    const targeting = await session.get<{ amazonDevices: { id: string; status: string }[] }>(
      `${path}/apks/M8FYZDFK0GJG0/targeting`,
    );
    expect(targeting.body.amazonDevices.find((d) => d.id === FIRE_HD_8)?.status).toBe('TARGETING');
    await console({ apk: { apkId: 'M8FYZDFK0GJG0', set: { drm: null, name: 'Phone' } } });
    expect((await session.get(`${path}/apks/M8FYZDFK0GJG0`)).body).toMatchObject({ name: 'Phone' });
    await console({ images: { language: 'de-DE', imageType: 'promo-images', set: ['amzn1.dex.asset.p'] } });
    expect((await session.get(`${path}/listings/de-DE/promo-images`)).body).toEqual({
      images: [{ id: 'amzn1.dex.asset.p' }],
    });
    await console({ videos: { language: 'de-DE', set: ['amzn1.dex.asset.v'] } });
    expect((await session.get(`${path}/listings/de-DE/videos`)).body).toEqual({
      videos: [{ id: 'amzn1.dex.asset.v' }],
    });
    const bad = await console({ colour: {} });
    expect(bad.status).toBe(400);
    expect((await console({ details: {}, listing: {} })).status).toBe(400);
    expect(
      (await session.admin('POST', '/apps/amzn1.devportal.mobileapp.none/console', { createEdit: true }))
        .status,
    ).toBe(404);
  });

  test('app state can be set; an invalid one is refused; unknown admin paths are 404/405', async () => {
    const session = await startSession();
    expect(
      await (await session.admin('POST', `/apps/${APP_ID}/state`, { state: 'SUPPRESSED' })).json(),
    ).toEqual({ appId: APP_ID, state: 'SUPPRESSED' });
    expect((await session.admin('POST', `/apps/${APP_ID}/state`, { state: 'GONE' })).status).toBe(400);
    expect((await session.admin('GET', '/nothing')).status).toBe(404);
    expect((await session.admin('DELETE', '/state')).status).toBe(405);
    const devices = (await (await session.admin('GET', '/devices')).json()) as { devices: { id: string }[] };
    expect(devices.devices.length).toBeGreaterThanOrEqual(7);
  });

  test('close() ends kept-alive connections so nothing hangs', async () => {
    const emulator = await startEmulator({ seed: demoSeed() });
    const response = await fetch(`${emulator.adminUrl}/state`);
    expect(response.status).toBe(200);
    await emulator.close();
    await expect(fetch(`${emulator.adminUrl}/state`)).rejects.toThrow();
  });
});
