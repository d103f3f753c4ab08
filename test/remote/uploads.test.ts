// Uploads stream from disk with progress; large APKs go through large upload + attach, polling while
// Amazon processes the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import type { EditRef } from '../../src/remote/api.js';
import type { UploadProgress } from '../../src/remote/http.js';
import {
  caught,
  DEMO_APP,
  fixtureFile,
  type Harness,
  paddedApk,
  paddedImage,
  startHarness,
  tempDir,
} from './helpers.js';
import { startProxyServer } from './proxy-server.js';

let files: { dir: string; remove: () => Promise<void> };
beforeAll(async () => {
  files = await tempDir();
});
afterAll(async () => {
  await files.remove();
});

async function harnessWithEdit(
  options: Parameters<typeof startHarness>[0] = {},
): Promise<[Harness, EditRef]> {
  const h = await startHarness(options);
  const created = await h.api.createEdit(DEMO_APP);
  return [h, { appId: DEMO_APP, editId: created.value.id }];
}

describe('streamed uploads', () => {
  it('reports progress that only grows and ends at the file size', async () => {
    const [h, edit] = await harnessWithEdit();
    try {
      const image = await paddedImage('screenshot-1.png', 3 * 1024 * 1024, files.dir);
      const list = await h.api.getImages(edit, 'en-US', 'screenshots');
      const events: UploadProgress[] = [];
      const asset = await h.api.uploadImage(edit, 'en-US', 'screenshots', image, list.etag ?? '', (p) =>
        events.push(p),
      );
      expect(asset.id).toMatch(/^amzn1\.dex\.asset\./);
      expect(events.length).toBeGreaterThan(3);
      expect(events.every((e) => e.total === image.size)).toBe(true);
      for (let i = 1; i < events.length; i++) {
        expect(events[i]?.sent).toBeGreaterThan(events[i - 1]?.sent ?? 0);
      }
      expect(events.at(-1)?.sent).toBe(image.size);
    } finally {
      await h.close();
    }
  });

  it('refuses to upload a file whose size changed since it was measured', async () => {
    const [h, edit] = await harnessWithEdit();
    try {
      const apk = await paddedApk('tv-v200.apk', 1000, files.dir);
      const error = await caught<AppError>(() =>
        h.api.uploadApk(edit, { path: apk.path, size: apk.size + 1 }),
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('upload_file_changed');
      expect(h.requests().filter((r) => r.operation === 'uploadApk')).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('large APKs', () => {
  it('go through large upload + attach at the threshold, polling asset_not_ready with backoff', async () => {
    const [h, edit] = await harnessWithEdit({
      emulator: { largeUploadReadyAfterMs: 10_000 },
      client: { largeUploadThresholdBytes: 1024, attachPoll: { initialDelayMs: 2000, maxDelayMs: 4000 } },
    });
    try {
      const apk = await paddedApk('native-v120.apk', 64 * 1024, files.dir);
      const events: UploadProgress[] = [];
      const added = await h.api.uploadApk(edit, apk, (p) => events.push(p));
      expect(added.versionCode).toBe(120);
      expect(events.at(-1)).toEqual({ sent: apk.size, total: apk.size });
      const log = h.requests().filter((r) => r.operation?.includes('Apk'));
      expect(log.map((r) => `${r.operation} ${r.status}`)).toEqual([
        'uploadLargeApk 200',
        'attachApk 400',
        'attachApk 400',
        'attachApk 400',
        'attachApk 200',
      ]);
      // Doubling from 2 s, capped at 4 s: 2 + 4 + 4 = 10 s is when the emulator has the file ready.
      expect(h.sleeps).toEqual([2000, 4000, 4000]);
      expect(h.trace.filter((line) => line.startsWith('attach: asset_not_ready'))).toHaveLength(3);
    } finally {
      await h.close();
    }
  });

  it('stay below the threshold on the simple upload path', async () => {
    const [h, edit] = await harnessWithEdit({ client: { largeUploadThresholdBytes: 1024 * 1024 } });
    try {
      await h.api.uploadApk(edit, await paddedApk('native-v120.apk', 64 * 1024, files.dir));
      expect(
        h
          .requests()
          .filter((r) => r.operation?.includes('Apk'))
          .map((r) => r.operation),
      ).toEqual(['uploadApk']);
    } finally {
      await h.close();
    }
  });

  it('give up with the file id when Amazon keeps processing past the polling budget', async () => {
    const [h, edit] = await harnessWithEdit({
      emulator: { largeUploadReadyAfterMs: 3_600_000 },
      client: {
        largeUploadThresholdBytes: 1024,
        attachPoll: { initialDelayMs: 1000, maxDelayMs: 8000, maxElapsedMs: 20_000 },
      },
    });
    try {
      const apk = await paddedApk('native-v120.apk', 4096, files.dir);
      const error = await caught<AppError>(() => h.api.uploadApk(edit, apk));
      expect(error.code).toBe('large_upload_not_ready');
      expect(error.message).toMatch(
        /^Amazon was still processing the large upload amzn1\.devportal\.[a-z]+\.\w+ after 15s; it was not attached\.$/,
      );
      expect(h.sleeps).toEqual([1000, 2000, 4000, 8000]);
    } finally {
      await h.close();
    }
  });
});

describe('video upload path', () => {
  it('falls back from /videos/upload to /videos on a 404, and remembers it', async () => {
    // The emulator serves both paths (appstore-api.md §10); this server has only the documented one.
    const proxy = await startProxyServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const ok = req.method === 'POST' && /\/listings\/en-US\/videos$/.test(req.url ?? '');
        res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
        res.end(ok ? '{"video":{"id":"amzn1.dex.asset.0123"}}' : '{"Message":"Not Found"}');
      });
    });
    const h = await startHarness();
    try {
      const api = h.client({ apiUrl: proxy.url });
      const edit = { appId: DEMO_APP, editId: 'amzn1.devportal.apprelease.0' };
      const video = await fixtureFile('media/trailer.mp4');
      expect(await api.uploadVideo(edit, 'en-US', video, '"e1"')).toEqual({ id: 'amzn1.dex.asset.0123' });
      expect(await api.uploadVideo(edit, 'en-US', video, '"e2"')).toEqual({ id: 'amzn1.dex.asset.0123' });
      expect(proxy.received.map((r) => r.url.replace(/^.*\/listings\//, ''))).toEqual([
        'en-US/videos/upload',
        'en-US/videos',
        'en-US/videos',
      ]);
    } finally {
      await h.close();
      await proxy.close();
    }
  });
});
