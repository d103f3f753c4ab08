// Images and videos (appstore-api.md §9, §10): format and dimension checks, single-image overwrite,
// append order and count limits, both video upload paths, ids only on the wire.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { APP_ID, errorCodes, fixture, png, type Session, startSession } from './harness.js';

interface Ids {
  images?: { id: string }[];
  videos?: { id: string }[];
}

async function upload(
  session: Session,
  path: string,
  sub: string,
  body: Buffer,
  headers: Record<string, string> = {},
) {
  const list = sub.replace(/\/upload$/, '');
  const { etag } = await session.get(`${path}/${list}`);
  return session.call('POST', `${path}/${sub}`, { body, headers: { 'if-match': etag, ...headers } });
}

async function ids(session: Session, path: string, sub: string): Promise<string[]> {
  const { body } = await session.get<Ids>(`${path}/${sub}`);
  return (body.images ?? body.videos ?? []).map((e) => e.id);
}

describe('images', () => {
  test('a single-image type is overwritten by an upload; the response carries only the new id', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const response = await upload(
      session,
      path,
      'listings/en-US/small-icons/upload',
      fixture('fixtures/images/icon-114.png'),
      {
        'content-type': 'image/png',
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { image: { id: string } };
    expect(body).toEqual({ image: { id: expect.stringMatching(/^amzn1\.dex\.asset\.[0-9a-f]{32}$/) } });
    expect(await ids(session, path, 'listings/en-US/small-icons')).toEqual([body.image.id]);
    const facts = session.emulator.store.app(APP_ID)?.assets.get(body.image.id);
    const bytes = fixture('fixtures/images/icon-114.png');
    expect(facts).toEqual({
      kind: 'image',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      format: 'png',
      width: 114,
      height: 114,
    });
  });

  test('a multi-image type appends in upload order, up to its maximum', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const before = await ids(session, path, 'listings/en-US/screenshots');
    const added: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const response = await upload(
        session,
        path,
        'listings/en-US/screenshots/upload',
        fixture(`fixtures/images/screenshot-${(i % 5) + 1}.png`),
      );
      expect(response.status).toBe(200);
      added.push(((await response.json()) as { image: { id: string } }).image.id);
    }
    expect(await ids(session, path, 'listings/en-US/screenshots')).toEqual([...before, ...added]);
    const eleventh = await upload(
      session,
      path,
      'listings/en-US/screenshots/upload',
      fixture('fixtures/images/screenshot-1.png'),
    );
    expect(eleventh.status).toBe(400);
    expect(await errorCodes(eleventh)).toEqual(['error_image_count']);
  });

  test('wrong dimensions, a wrong format for the type and non-images are 400', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const cases: [string, Buffer, string][] = [
      [
        'listings/en-US/small-icons/upload',
        fixture('fixtures/images/wrong-size-100x100.png'),
        'error_invalid_image_dimensions',
      ],
      ['listings/en-US/screenshots/upload', png(1000, 1000), 'error_invalid_image_dimensions'],
      ['listings/en-US/small-icons/upload', fixture('fixtures/images/jpeg-named.png'), 'error_invalid_image'],
      ['listings/en-US/large-icons/upload', Buffer.from('not an image at all'), 'error_invalid_image'],
    ];
    for (const [sub, body, code] of cases) {
      const response = await upload(session, path, sub, body);
      expect([sub, response.status]).toEqual([sub, 400]);
      expect(await errorCodes(response)).toEqual([code]);
    }
  });

  test('screenshots accept portrait and JPEG; promo images their one size', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    expect((await upload(session, path, 'listings/de-DE/screenshots/upload', png(600, 1024))).status).toBe(
      200,
    );
    expect(
      (
        await upload(
          session,
          path,
          'listings/de-DE/screenshots/upload',
          fixture('fixtures/images/photo-1024x600.jpg'),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await upload(
          session,
          path,
          'listings/de-DE/promo-images/upload',
          fixture('fixtures/images/promo-1024x500.png'),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await upload(
          session,
          path,
          'listings/de-DE/firetv-backgrounds/upload',
          fixture('fixtures/images/firetv-bg-1920x1080.png'),
        )
      ).status,
    ).toBe(200);
  });

  test('the dimension and format checks can be switched off', async () => {
    const session = await startSession({ checks: { imageDimensions: false, imageFormat: false } });
    const { path } = await session.openEdit();
    expect(
      (
        await upload(
          session,
          path,
          'listings/en-US/small-icons/upload',
          fixture('fixtures/images/wrong-size-100x100.png'),
        )
      ).status,
    ).toBe(200);
    expect(
      (await upload(session, path, 'listings/en-US/large-icons/upload', Buffer.from('text'))).status,
    ).toBe(200);
  });

  test('delete one, delete all; unknown ids, types and listings are 404', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const [first, ...rest] = await ids(session, path, 'listings/en-US/screenshots');
    const { etag } = await session.get(`${path}/listings/en-US/screenshots`);
    expect(
      (
        await session.call('DELETE', `${path}/listings/en-US/screenshots/${first}`, {
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(204);
    expect(await ids(session, path, 'listings/en-US/screenshots')).toEqual(rest);
    const fresh = (await session.get(`${path}/listings/en-US/screenshots`)).etag;
    const unknown = await session.call('DELETE', `${path}/listings/en-US/screenshots/${first}`, {
      headers: { 'if-match': fresh },
    });
    expect(unknown.status).toBe(404);
    expect(await errorCodes(unknown)).toEqual(['error_image_not_found']);
    expect(
      (await session.call('DELETE', `${path}/listings/en-US/screenshots`, { headers: { 'if-match': fresh } }))
        .status,
    ).toBe(204);
    expect(await ids(session, path, 'listings/en-US/screenshots')).toEqual([]);
    const badType = await session.call('GET', `${path}/listings/en-US/banners`);
    expect(badType.status).toBe(404);
    expect(await errorCodes(badType)).toEqual(['error_invalid_image_type']);
    expect((await session.call('GET', `${path}/listings/fr-FR/screenshots`)).status).toBe(404);
  });
});

describe('videos', () => {
  test('both upload paths work and append in order; the response carries only the id', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const trailer = fixture('fixtures/media/trailer.mp4');
    const first = await upload(session, path, 'listings/en-US/videos/upload', trailer, {
      'content-type': 'video/mp4',
    });
    expect(first.status).toBe(200);
    const { etag } = await session.get(`${path}/listings/en-US/videos`);
    const second = await session.call('POST', `${path}/listings/en-US/videos`, {
      body: trailer,
      headers: { 'if-match': etag },
    });
    expect(second.status).toBe(200);
    const a = ((await first.json()) as { video: { id: string } }).video.id;
    const b = ((await second.json()) as { video: { id: string } }).video.id;
    expect(await ids(session, path, 'listings/en-US/videos')).toEqual([a, b]);
    expect(session.emulator.store.app(APP_ID)?.assets.get(a)).toMatchObject({
      kind: 'video',
      format: 'mp4',
      size: trailer.length,
    });
  });

  test('at most 5 videos per listing; a non-video is refused', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    for (let i = 0; i < 5; i += 1) {
      expect(
        (await upload(session, path, 'listings/de-DE/videos/upload', fixture('fixtures/media/trailer.mp4')))
          .status,
      ).toBe(200);
    }
    const sixth = await upload(
      session,
      path,
      'listings/de-DE/videos/upload',
      fixture('fixtures/media/trailer.mp4'),
    );
    expect(await errorCodes(sixth)).toEqual(['error_video_count']);
    const notVideo = await upload(
      session,
      path,
      'listings/en-US/videos/upload',
      fixture('fixtures/images/icon-114.png'),
    );
    expect(notVideo.status).toBe(400);
    expect(await errorCodes(notVideo)).toEqual(['error_invalid_video']);
  });

  test('delete one and delete all', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    for (let i = 0; i < 3; i += 1)
      await upload(session, path, 'listings/en-US/videos/upload', fixture('fixtures/media/trailer.mp4'));
    const [first, ...rest] = await ids(session, path, 'listings/en-US/videos');
    const { etag } = await session.get(`${path}/listings/en-US/videos`);
    expect(
      (
        await session.call('DELETE', `${path}/listings/en-US/videos/${first}`, {
          headers: { 'if-match': etag },
        })
      ).status,
    ).toBe(204);
    expect(await ids(session, path, 'listings/en-US/videos')).toEqual(rest);
    const fresh = (await session.get(`${path}/listings/en-US/videos`)).etag;
    expect(
      (
        await session.call('DELETE', `${path}/listings/en-US/videos/${first}`, {
          headers: { 'if-match': fresh },
        })
      ).status,
    ).toBe(404);
    expect(
      (await session.call('DELETE', `${path}/listings/en-US/videos`, { headers: { 'if-match': fresh } }))
        .status,
    ).toBe(204);
    expect(await ids(session, path, 'listings/en-US/videos')).toEqual([]);
  });
});
