// APKs and device targeting (appstore-api.md §7, §4.2, §4.3): the emulator parses real APKs for
// versionCode and features, keeps only facts and hashes, and derives DISABLED devices.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  APP_ID,
  demoSeed,
  errorCodes,
  FIRE_HD_8,
  FIRE_HD_10,
  FIRE_TV_STICK_4K,
  fixture,
  NON_AMAZON,
  type Session,
  startSession,
} from './harness.js';

const APK = 'M8FYZDFK0GJG0';
const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

interface Device {
  id: string;
  name: string;
  status: string;
  reason: { reason?: string; details?: string[] };
}
interface Targeting {
  amazonDevices: Device[];
  nonAmazonDevices: Device[];
}

async function replace(session: Session, path: string, file: string, apkId = APK) {
  const { etag } = await session.get(`${path}/apks/${apkId}`);
  return session.call('PUT', `${path}/apks/${apkId}/replace`, {
    body: fixture(file),
    headers: { 'if-match': etag },
  });
}

const statusOf = (targeting: Targeting) =>
  Object.fromEntries(
    [...targeting.amazonDevices, ...targeting.nonAmazonDevices].map((d) => [d.id, d.status]),
  );

describe('APK list and get', () => {
  test('the list is a bare array of { versionCode, id, name }; one APK has an ETag', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const list = await session.get(`${path}/apks`);
    expect(list.body).toEqual([{ versionCode: 100, id: APK, name: 'APK1' }]);
    const one = await session.get(`${path}/apks/${APK}`);
    expect(one.body).toEqual({ versionCode: 100, id: APK, name: 'APK1' });
    expect((await session.call('GET', `${path}/apks/NOSUCHAPK0000`)).status).toBe(404);
  });
});

describe('replace', () => {
  test('keeps id, targeting and DRM; takes versionCode from the APK; keeps its hash server-side only', async () => {
    const session = await startSession({ rules: { releaseNotes: false } });
    const { id, path } = await session.openEdit();
    const response = await replace(session, path, 'fixtures/apks/plain-v101.apk');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ versionCode: 101, id: APK, name: 'APK1' });
    const targeting = await session.get<Targeting>(`${path}/apks/${APK}/targeting`);
    expect(statusOf(targeting.body)[FIRE_TV_STICK_4K]).toBe('TARGETING');
    expect(statusOf(targeting.body)[FIRE_HD_10]).toBe('TARGETING');
    // DRM kept: nothing but the rules switched off stands in the way of validation.
    expect((await session.call('POST', `${path}/validate`)).status).toBe(200);
    const record = session.emulator.store.app(APP_ID)?.openEdit?.snapshot.apks[0];
    const bytes = fixture('fixtures/apks/plain-v101.apk');
    expect(record).toMatchObject({ sha256: sha256(bytes), size: bytes.length, drm: true });
    expect(session.emulator.store.app(APP_ID)?.openEdit?.id).toBe(id);
    expect(readdirSync(session.emulator.tmpDir)).toEqual([]);
  });

  test('a versionCode not higher than live is refused', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const same = await replace(session, path, 'fixtures/apks/plain-v100.apk');
    expect(same.status).toBe(400);
    expect(await errorCodes(same)).toEqual(['error_version_code_too_low']);
    expect((await session.get<{ versionCode: number }>(`${path}/apks/${APK}`)).body.versionCode).toBe(100);
  });

  test('a file that is not an APK is refused with 400 and the temp file is gone', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    for (const file of [
      'fixtures/apks/text.apk',
      'fixtures/apks/truncated.apk',
      'fixtures/apks/fake.aab',
      'fixtures/apks/empty.apk',
    ]) {
      const response = await replace(session, path, file);
      expect([file, response.status]).toEqual([file, 400]);
      const body = (await response.json()) as { errors: { errorCode: string; errorMessage: string }[] };
      expect(body.errors[0]?.errorCode).toBe('error_invalid_apk');
      expect(body.errors[0]?.errorMessage).not.toContain(session.emulator.tmpDir);
    }
    expect(readdirSync(session.emulator.tmpDir)).toEqual([]);
  });

  test('a TV-only build disables the tablets and drops them from the targeting it keeps', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    expect((await replace(session, path, 'fixtures/apks/tv-v201.apk')).status).toBe(200);
    const { body } = await session.get<Targeting>(`${path}/apks/${APK}/targeting`);
    const status = statusOf(body);
    expect(status[FIRE_TV_STICK_4K]).toBe('TARGETING');
    expect(status[FIRE_HD_10]).toBe('DISABLED');
    expect(status[NON_AMAZON]).toBe('DISABLED');
    const hd10 = body.amazonDevices.find((d) => d.id === FIRE_HD_10);
    expect(hd10?.reason.details).toEqual(['Requires android.software.leanback']);
  });

  test('an Amazon-generated APK (from an AAB) cannot be replaced', async () => {
    const seed = demoSeed();
    const apk = seed.apps[0]?.live?.apks?.[0];
    if (apk === undefined) throw new Error('demo seed has no APK');
    apk.amazonGenerated = true;
    const session = await startSession({ seed });
    const { path } = await session.openEdit();
    const response = await replace(session, path, 'fixtures/apks/plain-v101.apk');
    expect(response.status).toBe(400);
    expect(await errorCodes(response)).toEqual(['error_invalid_asset_id']);
  });
});

describe('upload new', () => {
  test('gets a new id and alias, no DRM choice and nothing targeted; DISABLED follows the manifest', async () => {
    const session = await startSession({ rules: { releaseNotes: false } });
    const { path } = await session.openEdit();
    const response = await session.call('POST', `${path}/apks/upload`, {
      body: fixture('fixtures/apks/firetv-v130.apk'),
      headers: { 'content-type': 'application/vnd.android.package-archive', fileName: 'app-release.apk' },
    });
    expect(response.status).toBe(200);
    const apk = (await response.json()) as { id: string; versionCode: number; name: string };
    expect(apk).toEqual({ versionCode: 130, id: expect.stringMatching(/^[0-9A-Z]{13}$/), name: 'APK2' });
    const { body } = await session.get<Targeting>(`${path}/apks/${apk.id}/targeting`);
    const status = statusOf(body);
    expect(status[FIRE_TV_STICK_4K]).toBe('NOT_TARGETING');
    expect(status[FIRE_HD_8]).toBe('DISABLED');
    expect(status[NON_AMAZON]).toBe('DISABLED');
    expect(Object.values(status)).not.toContain('TARGETING');
    expect(await errorCodes(await session.call('POST', `${path}/validate`))).toEqual([
      'error_apk_drm_value_missing',
    ]);
    await session.admin('POST', `/apps/${APP_ID}/console`, { apk: { apkId: apk.id, set: { drm: true } } });
    expect((await session.call('POST', `${path}/validate`)).status).toBe(200);
  });

  test('a versionCode already in the edit or already released is refused', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    expect((await replace(session, path, 'fixtures/apks/plain-v101.apk')).status).toBe(200);
    for (const file of ['fixtures/apks/plain-v101.apk', 'fixtures/apks/plain-v100.apk']) {
      const response = await session.call('POST', `${path}/apks/upload`, { body: fixture(file) });
      expect(response.status).toBe(400);
      expect(await errorCodes(response)).toEqual(['error_duplicate_version_code']);
    }
    expect((await session.get<unknown[]>(`${path}/apks`)).body).toHaveLength(1);
  });

  test('delete removes the APK and its targeting', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const { etag } = await session.get(`${path}/apks/${APK}`);
    expect(
      (await session.call('DELETE', `${path}/apks/${APK}`, { headers: { 'if-match': etag } })).status,
    ).toBe(204);
    expect((await session.get(`${path}/apks`)).body).toEqual([]);
    expect((await session.call('GET', `${path}/apks/${APK}/targeting`)).status).toBe(404);
    expect(
      (await session.call('DELETE', `${path}/apks/${APK}`, { headers: { 'if-match': etag } })).status,
    ).toBe(404);
  });
});

describe('large upload and attach', () => {
  test('attach answers asset_not_ready until the file is processed, then adds the APK', async () => {
    let now = 5_000_000;
    const session = await startSession({ largeUploadReadyAfterMs: 30_000, clock: () => now });
    const { path } = await session.openEdit();
    const uploaded = await session.call('POST', `${path}/apks/large/upload`, {
      body: fixture('fixtures/apks/plain-v102.apk'),
      headers: { 'content-type': 'application/vnd.android.package-archive', fileName: 'big.apk' },
    });
    expect(uploaded.status).toBe(200);
    const upload = (await uploaded.json()) as { fileId: string };
    expect(upload.fileId).toMatch(/^amzn1\.devportal\.assetupload\.[0-9a-f]{32}$/);
    const early = await session.call('POST', `${path}/apks/attach`, { json: upload });
    expect(early.status).toBe(400);
    expect(await errorCodes(early)).toEqual(['asset_not_ready']);
    now += 30_000;
    const attached = await session.call('POST', `${path}/apks/attach`, { json: upload });
    expect(attached.status).toBe(200);
    expect(await attached.json()).toMatchObject({ versionCode: 102, name: 'APK2' });
    const twice = await session.call('POST', `${path}/apks/attach`, { json: upload });
    expect(await errorCodes(twice)).toEqual(['error_invalid_file_id']);
  });

  test('a multipart body with a file part is accepted', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const form = new FormData();
    form.append('note', 'ignored');
    form.append('file', new Blob([fixture('fixtures/apks/tv-v200.apk')]), 'tv.apk');
    const uploaded = await session.call('POST', `${path}/apks/large/upload`, { body: form });
    expect(uploaded.status).toBe(200);
    const attached = await session.call('POST', `${path}/apks/attach`, { json: await uploaded.json() });
    expect(attached.status).toBe(200);
    expect(((await attached.json()) as { versionCode: number }).versionCode).toBe(200);
    const record = session.emulator.store.app(APP_ID)?.openEdit?.snapshot.apks[1];
    expect(record?.sha256).toBe(sha256(fixture('fixtures/apks/tv-v200.apk')));
  });

  test('a multipart body without a file part, a garbage file and an unknown fileId are 400', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const form = new FormData();
    form.append('other', new Blob([fixture('fixtures/apks/tv-v200.apk')]), 'tv.apk');
    const noFile = await session.call('POST', `${path}/apks/large/upload`, { body: form });
    expect(noFile.status).toBe(400);
    expect(await errorCodes(noFile)).toEqual(['required_data_absent']);
    const garbage = await session.call('POST', `${path}/apks/large/upload`, {
      body: fixture('fixtures/apks/text.apk'),
    });
    expect(garbage.status).toBe(200);
    const attach = await session.call('POST', `${path}/apks/attach`, { json: await garbage.json() });
    expect(await errorCodes(attach)).toEqual(['error_invalid_apk']);
    const unknown = await session.call('POST', `${path}/apks/attach`, {
      json: { fileId: 'amzn1.devportal.assetupload.0' },
    });
    expect(await errorCodes(unknown)).toEqual(['error_invalid_file_id']);
    const missing = await session.call('POST', `${path}/apks/attach`, { json: {} });
    expect(await errorCodes(missing)).toEqual(['required_data_absent']);
  });

  test('X-Emulator-Version-Code stands in for parsing (benchmarks), and can be switched off', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    const uploaded = await session.call('POST', `${path}/apks/large/upload`, {
      body: bytes,
      headers: { 'x-emulator-version-code': '4242' },
    });
    const attached = await session.call('POST', `${path}/apks/attach`, { json: await uploaded.json() });
    expect(((await attached.json()) as { versionCode: number }).versionCode).toBe(4242);
    expect(session.emulator.store.requests().find((r) => r.operation === 'uploadLargeApk')?.bytesIn).toBe(
      bytes.length,
    );
    const strict = await startSession({ allowVersionCodeHeader: false });
    const edit = await strict.openEdit();
    const refused = await strict.call('POST', `${edit.path}/apks/upload`, {
      body: bytes,
      headers: { 'x-emulator-version-code': '4242' },
    });
    expect(await errorCodes(refused)).toEqual(['error_invalid_apk']);
  });
});

describe('targeting', () => {
  test('PUT flips statuses, leaves DISABLED devices alone and returns the new targeting', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    expect((await replace(session, path, 'fixtures/apks/tv-v201.apk')).status).toBe(200);
    const current = await session.get<Targeting>(`${path}/apks/${APK}/targeting`);
    const flip = (d: Device): Device =>
      d.status === 'DISABLED'
        ? d
        : { ...d, status: d.id === FIRE_TV_STICK_4K ? 'NOT_TARGETING' : 'TARGETING' };
    const body = {
      amazonDevices: current.body.amazonDevices.map(flip),
      nonAmazonDevices: current.body.nonAmazonDevices.map(flip),
    };
    const put = await session.call('PUT', `${path}/apks/${APK}/targeting`, {
      json: body,
      headers: { 'if-match': current.etag },
    });
    expect(put.status).toBe(200);
    const status = statusOf((await put.json()) as Targeting);
    expect(status).toMatchObject({
      [FIRE_TV_STICK_4K]: 'NOT_TARGETING',
      'amzn1.appstore.device.2Q4VSBMSE2XH7': 'TARGETING',
      'amzn1.appstore.device.3KZLQ6H0D2C5B': 'TARGETING',
      [FIRE_HD_8]: 'DISABLED',
      [FIRE_HD_10]: 'DISABLED',
      [NON_AMAZON]: 'DISABLED',
    });
    expect(statusOf((await session.get<Targeting>(`${path}/apks/${APK}/targeting`)).body)).toEqual(status);
  });

  test('targeting a DISABLED device, an unknown device or a missing list is 400', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    expect((await replace(session, path, 'fixtures/apks/tv-v201.apk')).status).toBe(200);
    const put = async (body: unknown) => {
      const { etag } = await session.get(`${path}/apks/${APK}/targeting`);
      return session.call('PUT', `${path}/apks/${APK}/targeting`, {
        json: body,
        headers: { 'if-match': etag },
      });
    };
    const disabled = await put({
      amazonDevices: [{ id: FIRE_HD_8, status: 'TARGETING' }],
      nonAmazonDevices: [],
    });
    expect(await errorCodes(disabled)).toEqual(['error_device_disabled']);
    const unknown = await put({
      amazonDevices: [{ id: 'amzn1.appstore.device.NOPE', status: 'TARGETING' }],
      nonAmazonDevices: [],
    });
    expect(await errorCodes(unknown)).toEqual(['error_unknown_device']);
    const wrongList = await put({
      amazonDevices: [{ id: NON_AMAZON, status: 'TARGETING' }],
      nonAmazonDevices: [],
    });
    expect(await errorCodes(wrongList)).toEqual(['error_unknown_device']);
    const missing = await put({ amazonDevices: [] });
    expect(missing.status).toBe(400);
    expect(await errorCodes(missing)).toEqual(['required_data_absent']);
    const notJson = await session.call('PUT', `${path}/apks/${APK}/targeting`, {
      body: 'nope',
      headers: { 'if-match': (await session.get(`${path}/apks/${APK}/targeting`)).etag },
    });
    expect(await errorCodes(notJson)).toEqual(['error_invalid_request_body']);
  });

  test('a targeting change bumps the APK’s and the edit’s ETags', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const apkBefore = (await session.get(`${path}/apks/${APK}`)).etag;
    const editBefore = (await session.get(path)).etag;
    const current = await session.get<Targeting>(`${path}/apks/${APK}/targeting`);
    await session.call('PUT', `${path}/apks/${APK}/targeting`, {
      json: current.body,
      headers: { 'if-match': current.etag },
    });
    expect((await session.get(`${path}/apks/${APK}`)).etag).not.toBe(apkBefore);
    expect((await session.get(path)).etag).not.toBe(editBefore);
  });
});
