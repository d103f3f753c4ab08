// The pieces of the client that need no server: credentials, retry arithmetic, error wording,
// redaction and the concurrency gate.
import { describe, expect, it } from 'vitest';
import { createLimit } from '../../src/concurrency/limit.js';
import { AppError } from '../../src/errors/app-error.js';
import { readCredentials } from '../../src/remote/credentials.js';
import { ApiError, displayPath, parseErrorBody } from '../../src/remote/errors.js';
import { assetListsToRead } from '../../src/remote/fetch-state.js';
import { Redactor, redact } from '../../src/remote/redact.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter } from '../../src/remote/retry.js';

describe('readCredentials', () => {
  it('names the missing variable', () => {
    const call = () => readCredentials({ AMAZON_APPSTORE_CLIENT_ID: 'amzn1.application-oa2-client.x' });
    expect(call).toThrow(AppError);
    expect(call).toThrow(/^AMAZON_APPSTORE_CLIENT_SECRET is not set/);
    try {
      call();
    } catch (error) {
      expect((error as AppError).code).toBe('missing_credentials');
    }
  });

  it('names both when both are missing or blank', () => {
    expect(() => readCredentials({ AMAZON_APPSTORE_CLIENT_ID: '  \n' })).toThrow(
      /AMAZON_APPSTORE_CLIENT_ID and AMAZON_APPSTORE_CLIENT_SECRET are not set/,
    );
  });

  it('trims a trailing newline with a warning that does not repeat the value', () => {
    const { credentials, warnings } = readCredentials({
      AMAZON_APPSTORE_CLIENT_ID: 'id-1',
      AMAZON_APPSTORE_CLIENT_SECRET: 'amzn1.oa2-cs.v1.s3cret\n',
    });
    expect(credentials).toEqual({ clientId: 'id-1', clientSecret: 'amzn1.oa2-cs.v1.s3cret' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/AMAZON_APPSTORE_CLIENT_SECRET/);
    expect(warnings[0]).not.toMatch(/s3cret/);
  });

  it('gives no warning for clean values', () => {
    expect(
      readCredentials({ AMAZON_APPSTORE_CLIENT_ID: 'a', AMAZON_APPSTORE_CLIENT_SECRET: 'b' }).warnings,
    ).toEqual([]);
  });
});

describe('retry arithmetic', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000, now: () => 0 };

  it('uses full jitter under a doubling, capped ceiling', () => {
    const top = { ...policy, random: () => 0.999999 };
    expect(backoffDelay(top, 0)).toBe(99);
    expect(backoffDelay(top, 3)).toBe(799);
    expect(backoffDelay(top, 10)).toBe(999);
    expect(backoffDelay({ ...policy, random: () => 0 }, 5)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('stops at the attempt budget and at the time budget', () => {
    expect(decideRetry({ ...policy, maxAttempts: 3 }, 3, 0, undefined).retry).toBe(false);
    expect(decideRetry({ ...policy, maxAttempts: 3 }, 2, 0, undefined).retry).toBe(true);
    // A Retry-After longer than the time left ends the retries instead of sleeping past the budget.
    expect(decideRetry({ ...policy, maxElapsedMs: 5000 }, 1, 0, 6000)).toEqual({
      retry: false,
      delayMs: 6000,
    });
    expect(decideRetry({ ...policy, maxElapsedMs: 5000 }, 1, 0, 4000)).toEqual({
      retry: true,
      delayMs: 4000,
    });
  });
});

describe('error bodies', () => {
  it('reads Amazon errors, gateway messages, empty and non-JSON bodies without throwing', () => {
    expect(
      parseErrorBody(
        '{"httpCode":412,"message":"Precondition Failed","errors":[{"errorCode":"x","errorMessage":"y"}]}',
      ),
    ).toEqual({ errors: [{ errorCode: 'x', errorMessage: 'y' }], gatewayMessage: 'Precondition Failed' });
    expect(parseErrorBody('{"Message":"Request is not authorized."}')).toEqual({
      errors: [],
      gatewayMessage: 'Request is not authorized.',
    });
    expect(parseErrorBody('')).toEqual({ errors: [] });
    expect(parseErrorBody('{}')).toEqual({ errors: [] });
    expect(parseErrorBody('<html><body>Bad gateway</body></html>').bodyExcerpt).toMatch(
      /non-JSON body of 37 characters/,
    );
    expect(parseErrorBody('upstream connect error').bodyExcerpt).toBe('upstream connect error');
    expect(parseErrorBody('[1,2]').bodyExcerpt).toBe('[1,2]');
    expect(parseErrorBody('{"errors":[null,{"errorCode":5}]}').errors).toEqual([
      { errorCode: 'unknown', errorMessage: '' },
    ]);
  });

  it('strips the query but keeps the ids of a path', () => {
    expect(displayPath('/v1/applications/A/edits/E?x=1#f')).toBe('/v1/applications/A/edits/E');
  });

  it('phrases a known errorCode with its advice, ahead of the status advice', () => {
    const error = new ApiError({
      method: 'POST',
      path: '/v1/applications/A/edits/E/commit',
      status: 403,
      errors: [{ errorCode: 'error_release_notes_incomplete', errorMessage: 'Release notes are missing.' }],
      retriable: false,
    });
    expect(error.message).toBe(
      'POST /v1/applications/A/edits/E/commit → 403 Forbidden (error_release_notes_incomplete): Release notes are missing.',
    );
    expect(error.hint).toBe('Set recentChanges for every locale');
    expect(error.code).toBe('api_error');
  });

  it('gives network errors status 0 and asks about --api-url when nothing answered', () => {
    const error = new ApiError({
      method: 'GET',
      path: '/v1/applications/A/edits',
      status: 0,
      networkCode: 'ECONNREFUSED',
      host: '127.0.0.1:9',
      retriable: true,
      attempts: 3,
      elapsedMs: 1500,
    });
    expect(error.message).toBe(
      'GET /v1/applications/A/edits → could not reach 127.0.0.1:9 (ECONNREFUSED) (after 3 attempts over 1.5s)',
    );
    expect(error.hint).toBe('Could not reach 127.0.0.1:9: is --api-url right?');
    expect(error.code).toBe('network_error');
  });
});

describe('redaction', () => {
  it('scrubs bearer values, LWA tokens and secrets by shape', () => {
    const text =
      'authorization: Bearer Atc|MQEWY-abc client_secret=amzn1.oa2-cs.v1.deadbeef {"access_token":"Atc|zz"}';
    const out = redact(text);
    expect(out).not.toMatch(/MQEWY|deadbeef|Atc\|zz/);
    expect(out).toContain('[redacted]');
  });

  it('scrubs the exact values a session registered, whatever their shape', () => {
    const redactor = new Redactor();
    redactor.add('plain-secret-value');
    expect(redactor.redact('x plain-secret-value y plain-secret-value')).toBe('x [redacted] y [redacted]');
  });
});

describe('createLimit', () => {
  it('never runs more than its bound at once and runs every task', async () => {
    const limit = createLimit(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });

  it('releases the slot of a failed task', async () => {
    const limit = createLimit(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});

describe('assetListsToRead', () => {
  it('reads every kind for every remote locale with scope all', () => {
    const map = assetListsToRead(['en-US'], 'all');
    expect(map.get('en-US')).toContain('screenshots');
    expect(map.get('en-US')).toContain('videos');
  });

  it('keeps only scoped locales that exist remotely, keyed as the API keys them', () => {
    const map = assetListsToRead(
      ['en_US', 'de-DE'],
      [
        { locale: 'en-US', kind: 'small-icons' },
        { locale: 'fr-FR', kind: 'small-icons' },
        { locale: 'en-US', kind: 'small-icons' },
      ],
    );
    expect([...map.entries()]).toEqual([['en_US', ['small-icons']]]);
  });
});
