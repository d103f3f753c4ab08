// Token endpoint (appstore-api.md §2) and the gateway's answer to bad tokens on the API.
import { describe, expect, test } from 'vitest';
import { requestToken, startSession } from './harness.js';

const CLIENT_ID = 'amzn1.application-oa2-client.demo';
const SECRET = 'amzn1.oa2-cs.v1.demo';
const SCOPE = 'appstore::apps:readwrite';

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  };
}

const good = { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET, scope: SCOPE };

describe('token endpoint', () => {
  test('a form body gets a bearer token for one hour', async () => {
    const { emulator } = await startSession();
    const response = await fetch(emulator.tokenUrl, form(good));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: SCOPE });
    expect(body.access_token).toMatch(/^Atc\|/);
  });

  test('a JSON body with the same keys is accepted', async () => {
    const { emulator } = await startSession();
    const response = await fetch(emulator.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(good),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { access_token: string }).access_token).toMatch(/^Atc\|/);
  });

  test.each([
    ['a wrong secret', { ...good, client_secret: 'nope' }, 401, 'invalid_client'],
    [
      'an unknown client id',
      { ...good, client_id: 'amzn1.application-oa2-client.other' },
      401,
      'invalid_client',
    ],
    ['a wrong scope', { ...good, scope: 'profile' }, 400, 'invalid_scope'],
    [
      'a missing field',
      { grant_type: 'client_credentials', client_id: CLIENT_ID, scope: SCOPE },
      400,
      'invalid_request',
    ],
    ['another grant type', { ...good, grant_type: 'password' }, 400, 'unsupported_grant_type'],
  ])('%s is refused OAuth-style', async (_name, fields, status, error) => {
    const { emulator } = await startSession();
    const response = await fetch(emulator.tokenUrl, form(fields));
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_description.length).toBeGreaterThan(0);
  });

  test('a body that is neither form nor JSON object is invalid_request', async () => {
    const { emulator } = await startSession();
    const response = await fetch(emulator.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  test('a profile not attached to the App Submission API gets invalid_scope', async () => {
    const other = {
      clientId: 'amzn1.application-oa2-client.unattached',
      clientSecret: 'amzn1.oa2-cs.v1.unattached',
    };
    const { emulator } = await startSession({
      seed: {
        credentials: [
          { clientId: CLIENT_ID, clientSecret: SECRET },
          { ...other, attached: false },
        ],
        apps: [],
      },
    });
    const response = await fetch(
      emulator.tokenUrl,
      form({ ...good, client_id: other.clientId, client_secret: other.clientSecret }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_scope');
  });
});

describe('tokens on the API', () => {
  const NOT_AUTHORIZED = { Message: 'Request is not authorized.' };

  test('no token, a garbled token and an unknown token get 401 with the gateway body', async () => {
    const session = await startSession();
    const url = `${session.app}/edits`;
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${session.token}x` },
      { authorization: 'Bearer Atc|not-issued' },
      { authorization: `Basic ${session.token}` },
    ];
    for (const headers of attempts) {
      const response = await fetch(url, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(NOT_AUTHORIZED);
    }
  });

  test('a lowercase bearer scheme is accepted', async () => {
    const session = await startSession();
    const response = await fetch(`${session.app}/edits`, {
      headers: { authorization: `bearer ${session.token}` },
    });
    expect(response.status).toBe(200);
  });

  test('an expired token gets 401; a new token works', async () => {
    let now = 1_000_000;
    const session = await startSession({ tokenTtlSeconds: 1, clock: () => now });
    expect((await session.call('GET', '/edits')).status).toBe(200);
    now += 1000;
    const expired = await session.call('GET', '/edits');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual(NOT_AUTHORIZED);
    const fresh = await requestToken(session.emulator.tokenUrl);
    const response = await fetch(`${session.app}/edits`, { headers: { authorization: `Bearer ${fresh}` } });
    expect(response.status).toBe(200);
  });

  test('the admin hook expires every token', async () => {
    const session = await startSession();
    expect((await session.admin('POST', '/tokens/expire')).status).toBe(204);
    expect((await session.call('GET', '/edits')).status).toBe(401);
  });

  test('the token is logged without its value', async () => {
    const session = await startSession();
    await session.call('GET', '/edits');
    const log = JSON.stringify(session.emulator.store.requests());
    expect(log).not.toContain(session.token);
    expect(session.emulator.store.requests().map((r) => r.operation)).toEqual(['token', 'getActiveEdit']);
  });
});
