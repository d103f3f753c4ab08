// Which failures are retried, after how long, and when the client gives up; uploads are never
// repeated when they may have landed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EditRef } from '../../src/remote/api.js';
import { ApiError } from '../../src/remote/errors.js';
import { caught, DEMO_APP, fixtureFile, type Harness, paddedApk, startHarness, tempDir } from './helpers.js';
import { startProxyServer } from './proxy-server.js';

let h: Harness;
let edit: EditRef;

async function openEdit(harness: Harness): Promise<EditRef> {
  const created = await harness.api.createEdit(DEMO_APP);
  return { appId: DEMO_APP, editId: created.value.id };
}

const ops = (harness: Harness, operation: string) =>
  harness
    .requests()
    .filter((r) => r.operation === operation)
    .map((r) => r.status);

describe('idempotent requests', () => {
  beforeAll(async () => {
    h = await startHarness({ client: { retry: { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 } } });
    edit = await openEdit(h);
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => {
    h.emulator.setFaults('');
    h.sleeps.length = 0;
  });

  it('honours Retry-After on 429', async () => {
    h.emulator.setFaults('429 op=getDetails times=1 retry-after=3');
    const details = await h.api.getDetails(edit);
    expect(details.value.defaultLanguage).toBe('en-US');
    expect(h.sleeps).toEqual([3000]);
    expect(ops(h, 'getDetails')).toEqual([429, 200]);
    expect(h.trace).toContain('retry 2/5 in 3000ms after 429');
  });

  it('retries a GET after 500s with growing, jittered backoff', async () => {
    h.emulator.setFaults('500 op=getAvailability times=2');
    await h.api.getAvailability(edit);
    // random() = 0.5: half of 100·2^0 and of 100·2^1
    expect(h.sleeps).toEqual([50, 100]);
    expect(ops(h, 'getAvailability')).toEqual([500, 500, 200]);
  });

  it('retries a PUT after a 500 with the same If-Match', async () => {
    h.emulator.setFaults('500 op=updateDetails times=1');
    const details = await h.api.getDetails(edit);
    const written = await h.api.putDetails(
      edit,
      { ...details.value, contactEmail: 'x@acme.example' },
      details.etag ?? '',
    );
    expect(written.value.contactEmail).toBe('x@acme.example');
    expect(ops(h, 'updateDetails')).toEqual([500, 200]);
  });

  it('retries a GET whose connection was reset before an answer', async () => {
    h.emulator.setFaults('reset-before op=getApkTargeting times=1');
    const targeting = await h.api.getTargeting(edit, 'M8FYZDFK0GJG0');
    expect(targeting.value.amazonDevices.length).toBeGreaterThan(0);
    expect(h.sleeps).toHaveLength(1);
    expect(h.trace.some((line) => /^retry 2\/5 in \d+ms after ECONNRESET$/.test(line))).toBe(true);
  });

  it('gives up when the attempts are spent, with a clear final error', async () => {
    h.emulator.setFaults('500 op=getDetails');
    const error = await caught<ApiError>(() => h.api.getDetails(edit));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
    expect(error.attempts).toBe(5);
    expect(error.retriable).toBe(true);
    expect(error.message).toMatch(
      /^GET \/v1\/applications\/.+\/details → 500 Internal Server Error \(after 5 attempts over /,
    );
    expect(error.hint).toBe("Amazon's server failed: try again later");
    expect(ops(h, 'getDetails').slice(-5)).toEqual([500, 500, 500, 500, 500]);
  });

  it('gives up at once when Retry-After exceeds the time budget', async () => {
    const api = h.client({ retry: { maxElapsedMs: 10_000 } });
    h.emulator.setFaults('429 op=getEdit retry-after=60');
    const error = await caught<ApiError>(() => api.getEdit(edit));
    expect(error.status).toBe(429);
    expect(error.attempts).toBe(1);
    expect(error.retryAfterMs).toBe(60_000);
    expect(error.hint).toMatch(/rate-limiting/);
    expect(h.sleeps).toEqual([]);
  });

  it('gives up when the time budget is spent', async () => {
    const api = h.client({ retry: { maxElapsedMs: 2_500, maxAttempts: 100 } });
    h.emulator.setFaults('429 op=getEdit retry-after=1');
    const error = await caught<ApiError>(() => api.getEdit(edit));
    expect(error.status).toBe(429);
    expect(h.sleeps).toEqual([1000, 1000]);
    expect(error.attempts).toBe(3);
  });

  it('retries a refused connection, then says to check --api-url', async () => {
    const api = h.client({ apiUrl: 'http://127.0.0.1:9/api/appstore', retry: { maxAttempts: 3 } });
    const error = await caught<ApiError>(() => api.getActiveEdit(DEMO_APP));
    expect(error.status).toBe(0);
    expect(error.code).toBe('network_error');
    expect(error.networkCode).toBe('ECONNREFUSED');
    expect(error.message).toBe(
      `GET /v1/applications/${DEMO_APP}/edits → could not reach 127.0.0.1:9 (ECONNREFUSED) (after 3 attempts over ${error.message.match(/over (\S+)\)$/)?.[1]})`,
    );
    expect(error.hint).toBe('Could not reach 127.0.0.1:9: is --api-url right?');
    expect(h.sleeps).toHaveLength(2);
  });
});

describe('uploads and other unsafe POSTs', () => {
  let files: { dir: string; remove: () => Promise<void> };

  beforeAll(async () => {
    h = await startHarness({ client: { retry: { baseDelayMs: 100, random: () => 0.5 } } });
    edit = await openEdit(h);
    files = await tempDir();
  });
  afterAll(async () => {
    await h.close();
    await files.remove();
  });
  afterEach(() => {
    h.emulator.setFaults('');
    h.sleeps.length = 0;
  });

  it('does not retry an upload that failed with a 500 after its body was sent', async () => {
    h.emulator.setFaults('500 op=uploadApk times=1');
    const before = ops(h, 'uploadApk').length;
    const file = await fixtureFile('apks/tv-v200.apk');
    const error = await caught<ApiError>(() => h.api.uploadApk(edit, file));
    expect(error.status).toBe(500);
    expect(error.bodySentCompletely).toBe(true);
    expect(error.retriable).toBe(false);
    expect(error.hint).toMatch(/may have landed: list the remote APKs or assets again before retrying/);
    expect(ops(h, 'uploadApk').length - before).toBe(1);
    expect(h.sleeps).toEqual([]);
  });

  it('reports a reset after the body as "may have landed", and it did', async () => {
    h.emulator.setFaults('reset-after op=uploadApk times=1');
    const file = await fixtureFile('apks/firetv-v130.apk');
    const error = await caught<ApiError>(() => h.api.uploadApk(edit, file));
    expect(error.status).toBe(0);
    expect(error.networkCode).toBe('ECONNRESET');
    expect(error.bodySentCompletely).toBe(true);
    expect(error.message).toMatch(
      /^POST \/v1\/applications\/.+\/apks\/upload → the connection to 127\.0\.0\.1:\d+ was cut \(ECONNRESET\)$/,
    );
    expect(error.hint).toMatch(/may have landed/);
    // The emulator processed it before cutting the connection: the caller's re-list finds it.
    const apks = await h.api.listApks(edit);
    expect(apks.value.map((a) => a.versionCode)).toContain(130);
  });

  it('reports a reset before the body was sent in full as "did not land"', async () => {
    // The emulator's own reset-before fault crashes its process while a body is still arriving (see
    // the report); a server that resets as soon as it has the request head stands in for it.
    const big = await paddedApk('native-v120.apk', 32 * 1024 * 1024, files.dir);
    const proxy = await startProxyServer((req) => req.socket.resetAndDestroy());
    try {
      const api = h.client({ apiUrl: proxy.url });
      const error = await caught<ApiError>(() => api.uploadApk(edit, big));
      expect(error.status).toBe(0);
      expect(error.bodySentCompletely).toBe(false);
      expect(error.retriable).toBe(false);
      expect(error.hint).toMatch(/not sent completely, so it did not land: it is safe to retry/);
      expect(proxy.received).toHaveLength(1);
      expect(h.sleeps).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('retries an upload refused with 429, which was never processed', async () => {
    h.emulator.setFaults('429 op=uploadApk times=1 retry-after=2');
    const apk = await h.api.uploadApk(edit, await fixtureFile('apks/native-v120.apk'));
    expect(apk.versionCode).toBe(120);
    expect(h.sleeps).toEqual([2000]);
    expect((await h.api.listApks(edit)).value.filter((a) => a.versionCode === 120)).toHaveLength(1);
  });

  it('never retries a commit after a 500', async () => {
    h.emulator.setFaults('500 op=commitEdit');
    const fresh = await h.api.getEdit(edit);
    const error = await caught<ApiError>(() => h.api.commitEdit(edit, fresh.etag ?? ''));
    expect(error.status).toBe(500);
    expect(ops(h, 'commitEdit')).toEqual([500]);
    expect(error.hint).toMatch(
      /Amazon may have carried the request out before the failure: read the edit again/,
    );
  });

  it('never retries createEdit after a reset', async () => {
    const other = await startHarness({ emulator: { faults: 'reset-after op=createEdit times=1' } });
    try {
      const error = await caught<ApiError>(() => other.api.createEdit(DEMO_APP));
      expect(error.status).toBe(0);
      expect(other.requests().filter((r) => r.operation === 'createEdit')).toHaveLength(1);
      expect(error.hint).toMatch(/may have carried the request out/);
      // It landed: the edit is open.
      expect((await other.api.getActiveEdit(DEMO_APP)).value).not.toBeNull();
    } finally {
      await other.close();
    }
  });

  it('flags a replace whose retry met 412 as possibly landed earlier', async () => {
    h.emulator.setFaults('reset-after op=replaceApk times=1');
    const apk = await h.api.getApk(edit, 'M8FYZDFK0GJG0');
    const file = await fixtureFile('apks/plain-v102.apk');
    const error = await caught<ApiError>(() => h.api.replaceApk(edit, 'M8FYZDFK0GJG0', file, apk.etag ?? ''));
    // The first attempt landed (ETag moved on), so the retry with the same If-Match got 412.
    expect(error.status).toBe(412);
    expect(error.hint).toMatch(/an earlier attempt failed after sending its body, so it may have landed/);
    expect((await h.api.getApk(edit, 'M8FYZDFK0GJG0')).value.versionCode).toBe(102);
  });
});
