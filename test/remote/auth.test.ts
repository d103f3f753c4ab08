// Tokens: fetched once, shared, refreshed before expiry and after the API refuses them; token-endpoint
// errors turned into sentences.
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/remote/auth.js';
import { ApiError } from '../../src/remote/errors.js';
import { caught, DEMO_APP, demoSeed, type Harness, startHarness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const tokenRequests = (harness: Harness) => harness.requests().filter((r) => r.operation === 'token');

describe('token endpoint errors', () => {
  it('says the client id or secret is wrong for invalid_client, without repeating the secret', async () => {
    h = await startHarness();
    const api = h.client({
      credentials: { clientId: 'amzn1.application-oa2-client.demo', clientSecret: 'wrong-secret-value' },
    });
    const error = await caught<AuthError>(() => api.getActiveEdit(DEMO_APP));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe('auth_invalid_client');
    expect(error.oauthError).toBe('invalid_client');
    expect(error.message).toMatch(/client id or secret is wrong/);
    expect(error.hint).toMatch(/AMAZON_APPSTORE_CLIENT_SECRET/);
    expect(`${error.message} ${error.hint}`).not.toContain('wrong-secret-value');
    // A refused credential is not retried: one token request, no API request.
    expect(tokenRequests(h)).toHaveLength(1);
    expect(h.requests()).toHaveLength(1);
  });

  it('says to attach the security profile for invalid_scope', async () => {
    const seed = await demoSeed();
    seed.credentials = [
      {
        clientId: 'amzn1.application-oa2-client.loose',
        clientSecret: 'amzn1.oa2-cs.v1.loose',
        attached: false,
      },
    ];
    h = await startHarness({ emulator: { seed } });
    const api = h.client({
      credentials: { clientId: 'amzn1.application-oa2-client.loose', clientSecret: 'amzn1.oa2-cs.v1.loose' },
    });
    const error = await caught<AuthError>(() => api.getActiveEdit(DEMO_APP));
    expect(error.oauthError).toBe('invalid_scope');
    expect(error.hint).toBe(
      'Attach the security profile to the App Submission API in the Developer Console (API Access).',
    );
  });

  it('says when the token endpoint cannot be reached', async () => {
    h = await startHarness();
    const api = h.client({ tokenUrl: 'http://127.0.0.1:9/auth/o2/token', retry: { maxAttempts: 2 } });
    const error = await caught<AuthError>(() => api.getActiveEdit(DEMO_APP));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/could not reach 127\.0\.0\.1:9 \(ECONNREFUSED\)/);
    expect(error.hint).toMatch(/--token-url/);
    expect(h.sleeps).toHaveLength(1);
  });
});

describe('token lifetime', () => {
  it('fetches one token for many requests, parallel ones included', async () => {
    h = await startHarness();
    const harness = h;
    await Promise.all(Array.from({ length: 8 }, () => harness.api.getActiveEdit(DEMO_APP)));
    await h.api.getPreviousEdit(DEMO_APP);
    expect(tokenRequests(h)).toHaveLength(1);
    expect(h.requests().filter((r) => r.operation !== 'token')).toHaveLength(9);
  });

  it('refreshes the token before it expires, without a 401', async () => {
    h = await startHarness({ client: { refreshMarginSeconds: 300 } });
    await h.api.getActiveEdit(DEMO_APP);
    h.advance(3299 * 1000);
    await h.api.getActiveEdit(DEMO_APP);
    expect(tokenRequests(h)).toHaveLength(1);
    h.advance(2 * 1000); // 3301 s: inside the 300 s margin of the 3600 s token
    await h.api.getActiveEdit(DEMO_APP);
    expect(tokenRequests(h)).toHaveLength(2);
    expect(h.requests().some((r) => r.status === 401)).toBe(false);
  });

  it('uses a token shorter-lived than the margin for half its life', async () => {
    h = await startHarness({ emulator: { tokenTtlSeconds: 60 }, client: { refreshMarginSeconds: 300 } });
    await h.api.getActiveEdit(DEMO_APP);
    h.advance(29 * 1000);
    await h.api.getActiveEdit(DEMO_APP);
    expect(tokenRequests(h)).toHaveLength(1);
    h.advance(2 * 1000);
    await h.api.getActiveEdit(DEMO_APP);
    expect(tokenRequests(h)).toHaveLength(2);
  });

  it('after a 401 mid-run, refreshes once and the request succeeds', async () => {
    h = await startHarness();
    await h.api.getActiveEdit(DEMO_APP);
    h.emulator.store.expireTokens(); // as if Amazon revoked the token
    const previous = await h.api.getPreviousEdit(DEMO_APP);
    expect(previous.value).not.toBeNull();
    expect(h.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
      'token 200',
      'getActiveEdit 200',
      'getPreviousEdit 401',
      'token 200',
      'getPreviousEdit 200',
    ]);
    // The refresh is not a retry: no backoff was slept.
    expect(h.sleeps).toEqual([]);
  });

  it('refreshes only once when parallel requests all meet the same 401', async () => {
    h = await startHarness();
    const harness = h;
    await h.api.getActiveEdit(DEMO_APP);
    h.emulator.store.expireTokens();
    await Promise.all(Array.from({ length: 4 }, () => harness.api.getPreviousEdit(DEMO_APP)));
    expect(tokenRequests(h)).toHaveLength(2);
  });

  it('refreshes once per request: a second 401 becomes an error with advice', async () => {
    // Tokens that expire the moment they are issued: the API refuses every one of them.
    h = await startHarness({ emulator: { tokenTtlSeconds: 0 } });
    const harness = h;
    const error = await caught<ApiError>(() => harness.api.getPreviousEdit(DEMO_APP));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
    expect(error.gatewayMessage).toBe('Request is not authorized.');
    expect(error.message).toBe(
      `GET /v1/applications/${DEMO_APP}/edits/previous → 401 Unauthorized: Request is not authorized.`,
    );
    expect(error.hint).toMatch(/refused even after a refresh/);
    expect(h.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
      'token 200',
      'getPreviousEdit 401',
      'token 200',
      'getPreviousEdit 401',
    ]);
  });
});
