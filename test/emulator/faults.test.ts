// Fault injection (README.md, "Faults"): the spec language, deterministic firing, and each fault
// kind observed over a real socket — including the dangerous one, a reset after the request was
// processed.

import { request } from 'node:http';
import { describe, expect, test } from 'vitest';
import { FaultInjector, type FaultRule, parseFaultSpec } from '../../src/emulator/faults.js';
import { startEmulator } from '../../src/emulator/index.js';
import { APP_ID, errorCodes, fixture, startSession } from './harness.js';

const APK = 'M8FYZDFK0GJG0';

describe('fault spec', () => {
  test('the example spec parses to typed rules', () => {
    const rules = parseFaultSpec(
      'latency=50ms; 429 every=5 retry-after=1; 500 path=/apks/*/replace times=1; reset-after path=/apks/upload times=1; reset-before rate=0.05; slow-upload bps=1000000',
    );
    expect(rules).toEqual<FaultRule[]>([
      { kind: 'latency', ms: 50 },
      { kind: '429', every: 5, retryAfter: 1 },
      { kind: '500', path: '/apks/*/replace', times: 1 },
      { kind: 'reset-after', path: '/apks/upload', times: 1 },
      { kind: 'reset-before', rate: 0.05 },
      { kind: 'slow-upload', bps: 1_000_000 },
    ]);
    expect(parseFaultSpec('slow-upload=2m method=post,put op=uploadApk\nlatency ms=1.5s')).toEqual([
      { kind: 'slow-upload', bps: 2_000_000, methods: ['POST', 'PUT'], operation: 'uploadApk' },
      { kind: 'latency', ms: 1500 },
    ]);
    expect(parseFaultSpec('  ')).toEqual([]);
  });

  test.each([
    ['explode', /unknown fault 'explode'/],
    ['429 every=0', /every=0 must be a whole number/],
    ['429 every=2 rate=0.5', /not both/],
    ['500 colour=red', /unknown option 'colour'/],
    ['latency', /needs a duration/],
    ['latency=fast', /not a duration/],
    ['reset-before rate=2', /rate=2 must be in/],
    ['slow-upload', /needs bps=/],
    ['500 retry-after=1', /only applies to 429/],
    ['429=3', /takes no value/],
    ['500 path', /not key=value/],
  ])('%s is refused with a message naming the rule', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
    expect(() => parseFaultSpec(spec)).toThrow(/fault rule 1/);
  });

  test('path globs: a leading /api or /auth anchors, anything else matches the end of the path', () => {
    const injector = new FaultInjector(
      parseFaultSpec('500 path=/apks/*/replace; 429 path=/auth/o2/token; reset-before path=**/listings/**'),
    );
    const terminal = (path: string) => injector.decide('PUT', path, null).terminal?.kind;
    expect(terminal('/api/appstore/v1/applications/a/edits/e/apks/X/replace')).toBe('500');
    expect(terminal('/api/appstore/v1/applications/a/edits/e/apks/X/targeting')).toBeUndefined();
    expect(terminal('/auth/o2/token')).toBe('429');
    expect(terminal('/api/appstore/v1/applications/a/edits/e/listings/en-US/screenshots')).toBe(
      'reset-before',
    );
  });

  test('rate= is deterministic for a seed and differs between seeds', () => {
    const pattern = (seed: number) => {
      const injector = new FaultInjector(parseFaultSpec('429 rate=0.5'), seed);
      return Array.from({ length: 40 }, () => injector.decide('GET', '/x', null).terminal !== undefined);
    };
    expect(pattern(7)).toEqual(pattern(7));
    expect(pattern(7)).not.toEqual(pattern(8));
    expect(pattern(7).filter(Boolean).length).toBeGreaterThan(5);
    expect(pattern(7).filter(Boolean).length).toBeLessThan(35);
  });
});

describe('faults over the wire', () => {
  test('429 every Nth request, with Retry-After; nothing is processed', async () => {
    const session = await startSession({ faults: '429 every=3 retry-after=2 path=/edits' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await session.call('GET', '/edits');
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBe('2');
        expect(await response.json()).toEqual({ Message: 'Too Many Requests' });
      }
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
    const throttled = session.emulator.store.requests().filter((r) => r.fault === '429');
    expect(throttled.map((r) => r.processed)).toEqual([false, false]);
  });

  test('500 with an empty object body on replace, once; the replace did not happen', async () => {
    const session = await startSession({ faults: '500 path=/apks/*/replace times=1' });
    const { path } = await session.openEdit();
    const { etag } = await session.get(`${path}/apks/${APK}`);
    const failed = await session.call('PUT', `${path}/apks/${APK}/replace`, {
      body: fixture('fixtures/apks/plain-v101.apk'),
      headers: { 'if-match': etag },
    });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({});
    expect((await session.get<{ versionCode: number }>(`${path}/apks/${APK}`)).body.versionCode).toBe(100);
    const retried = await session.call('PUT', `${path}/apks/${APK}/replace`, {
      body: fixture('fixtures/apks/plain-v101.apk'),
      headers: { 'if-match': etag },
    });
    expect(retried.status).toBe(200);
  });

  test('reset-before: the connection dies and nothing changed', async () => {
    const session = await startSession({ faults: 'reset-before op=uploadApk times=1' });
    const { path } = await session.openEdit();
    await expect(
      session.call('POST', `${path}/apks/upload`, { body: fixture('fixtures/apks/plain-v101.apk') }),
    ).rejects.toThrow();
    expect((await session.get(`${path}/apks`)).body).toHaveLength(1);
    const entry = session.emulator.store.requests().find((r) => r.operation === 'uploadApk');
    expect(entry).toMatchObject({ status: null, fault: 'reset-before', processed: false });
  });

  test('reset-after: the upload landed but the client never hears so', async () => {
    const session = await startSession({ faults: 'reset-after path=/apks/upload times=1' });
    const { path } = await session.openEdit();
    await expect(
      session.call('POST', `${path}/apks/upload`, { body: fixture('fixtures/apks/plain-v101.apk') }),
    ).rejects.toThrow();
    const apks = await session.get<{ versionCode: number }[]>(`${path}/apks`);
    expect(apks.body.map((a) => a.versionCode)).toEqual([100, 101]);
    const entry = session.emulator.store.requests().find((r) => r.operation === 'uploadApk');
    expect(entry).toMatchObject({ status: null, fault: 'reset-after', processed: true });
    expect(entry?.bytesIn).toBe(fixture('fixtures/apks/plain-v101.apk').length);
  });

  test('a reset is a TCP reset (ECONNRESET), not a clean close', async () => {
    const session = await startSession({ faults: 'reset-after op=getActiveEdit' });
    const code = await new Promise<string | undefined>((resolve) => {
      const req = request(
        `${session.app}/edits`,
        { headers: { authorization: `Bearer ${session.token}` } },
        (res) => {
          resolve(`unexpected response ${res.statusCode}`);
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
      req.end();
    });
    expect(code).toBe('ECONNRESET');
  });

  test('latency delays the matching requests only', async () => {
    const session = await startSession({ faults: 'latency=120ms method=GET path=/details' });
    const { path } = await session.openEdit();
    await session.get(`${path}/details`);
    await session.get(`${path}/availability`);
    const log = session.emulator.store.requests();
    // What was injected, not how long it took: wall-clock assertions belong in bench/, not in tests.
    expect(log.find((r) => r.operation === 'getDetails')?.injectedLatencyMs).toBe(120);
    expect(log.find((r) => r.operation === 'getAvailability')?.injectedLatencyMs).toBe(0);
  });

  test('slow-upload throttles the body of the matching uploads', async () => {
    const session = await startSession({ faults: 'slow-upload bps=400k op=uploadLargeApk' });
    const { path } = await session.openEdit();
    const bytes = Buffer.alloc(40_000, 1);
    const response = await session.call('POST', `${path}/apks/large/upload`, {
      body: bytes,
      headers: { 'x-emulator-version-code': '500' },
    });
    expect(response.status).toBe(200);
    const entry = session.emulator.store.requests().find((r) => r.operation === 'uploadLargeApk');
    expect(entry?.bytesIn).toBe(40_000);
    expect(entry?.throttleBytesPerSecond).toBe(400_000);
  });

  test('refuses a rule for an operation that does not exist, naming the real ones', async () => {
    await expect(startEmulator({ faults: '500 op=getTargeting' })).rejects.toThrow(
      /fault rule 1: no operation 'getTargeting'; known: .*getApkTargeting/,
    );
    const session = await startSession();
    expect(() => session.emulator.setFaults('429 op=uploadImages')).toThrow(/no operation 'uploadImages'/);
  });

  test('the token endpoint can fail too; admin endpoints never do', async () => {
    const session = await startSession();
    session.emulator.setFaults('500 path=/auth/o2/token times=1; reset-before path=/**');
    const failed = await fetch(session.emulator.tokenUrl, {
      method: 'POST',
      body: 'grant_type=client_credentials',
    });
    expect(failed.status).toBe(500);
    expect((await session.admin('GET', '/state')).status).toBe(200);
    await expect(session.call('GET', '/edits')).rejects.toThrow();
  });

  test('fault rules can be replaced at runtime, as a spec or as JSON rules', async () => {
    const session = await startSession();
    const set = await session.admin('PUT', '/faults', { spec: '429 every=1 path=/edits' });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ rules: [{ kind: '429', every: 1, path: '/edits' }] });
    expect((await session.call('GET', '/edits')).status).toBe(429);
    await session.admin('PUT', '/faults', { rules: [] });
    expect((await session.call('GET', '/edits')).status).toBe(200);
    const text = await fetch(`${session.emulator.adminUrl}/faults`, { method: 'PUT', body: '500 times=1' });
    expect(text.status).toBe(200);
    expect((await session.call('GET', '/edits')).status).toBe(500);
    const bad = await session.admin('PUT', '/faults', { spec: 'explode' });
    expect(bad.status).toBe(400);
    expect(await errorCodes(bad)).toEqual(['emulator_bad_fault_spec']);
    session.emulator.setFaults('429 every=1');
    expect((await session.call('GET', '/edits')).status).toBe(429);
    expect((await (await session.admin('GET', '/faults')).json()) as unknown).toEqual({
      rules: [{ kind: '429', every: 1 }],
    });
  });

  test('a reset restarts fault counters, so a run replays the same faults', async () => {
    const session = await startSession({ faults: '429 every=2 path=/edits' });
    const run = async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await session.call('GET', '/edits')).status);
      return statuses;
    };
    expect(await run()).toEqual([200, 429, 200, 429]);
    await session.call('GET', '/edits');
    await session.admin('POST', '/reset');
    expect(await run()).toEqual([200, 429, 200, 429]);
    expect(session.emulator.store.app(APP_ID)?.openEdit).toBeNull();
  });
});
