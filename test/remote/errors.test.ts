// What a user reads when the API says no: method, path, status, Amazon's codes and messages, advice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EditRef } from '../../src/remote/api.js';
import { ApiError } from '../../src/remote/errors.js';
import { caught, DEMO_APP, type Harness, startHarness } from './helpers.js';
import { startProxyServer } from './proxy-server.js';

let h: Harness;
let edit: EditRef;

beforeAll(async () => {
  h = await startHarness({ client: { retry: { maxAttempts: 2 } } });
  const created = await h.api.createEdit(DEMO_APP);
  edit = { appId: DEMO_APP, editId: created.value.id };
});
afterAll(async () => {
  await h.close();
});

describe('Amazon error bodies', () => {
  it('412 on a stale ETag: path with ids, status, code, message and advice', async () => {
    const listing = await h.api.getListing(edit, 'en-US');
    await h.api.putListing(edit, 'en-US', { ...listing.value, recentChanges: 'One.' }, listing.etag ?? '');
    const error = await caught<ApiError>(() =>
      h.api.putListing(edit, 'en-US', { ...listing.value, recentChanges: 'Two.' }, listing.etag ?? ''),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(412);
    expect(error.hasCode('precondition_failed')).toBe(true);
    expect(error.message).toBe(
      `PUT /v1/applications/${DEMO_APP}/edits/${edit.editId}/listings/en-US → 412 Precondition Failed ` +
        '(precondition_failed): The If-Match value does not match the current ETag of the resource. GET it again and retry.',
    );
    expect(error.hint).toBe('The resource changed since it was read (stale ETag): read it again and retry');
    expect(error.retriable).toBe(false);
  });

  it('400 required_data_absent when If-Match is empty', async () => {
    const error = await caught<ApiError>(() => h.api.commitEdit(edit, ''));
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([
      { errorCode: 'required_data_absent', errorMessage: 'If-Match header is required' },
    ]);
    expect(error.message).toBe(
      `POST /v1/applications/${DEMO_APP}/edits/${edit.editId}/commit → 400 Bad Request (required_data_absent): If-Match header is required`,
    );
    expect(error.hint).toMatch(/^A required input is missing: usually the If-Match header/);
  });

  it('404 for an unknown app says to check the app id', async () => {
    const error = await caught<ApiError>(() => h.api.getActiveEdit('amzn1.devportal.mobileapp.nope'));
    expect(error.status).toBe(404);
    expect(error.hint).toMatch(/check the app id/);
  });

  it('a gateway 403 ({"Message"}) is read as the gateway\'s sentence, after one token refresh', async () => {
    const before = h.requests().filter((r) => r.operation === 'token').length;
    // An empty edit id (`/edits//apks`): the gateway cannot route it (appstore-api.md §2.3).
    const error = await caught<ApiError>(() => h.api.listApks({ appId: DEMO_APP, editId: '' }));
    expect(error.status).toBe(403);
    expect(error.errors).toEqual([]);
    expect(error.gatewayMessage).toMatch(/^Unable to fetch the request scope for uri = /);
    expect(error.message).toMatch(
      /edits\/\/apks → 403 Forbidden: Unable to fetch the request scope for uri = /,
    );
    expect(h.requests().filter((r) => r.operation === 'token').length - before).toBe(1);
  });

  it('a 500 with an empty object body still names the request', async () => {
    h.emulator.setFaults('500 op=getDetails');
    try {
      const error = await caught<ApiError>(() => h.api.getDetails(edit));
      expect(error.message).toMatch(
        /^GET \/v1\/applications\/.+\/details → 500 Internal Server Error \(after 2 attempts over /,
      );
    } finally {
      h.emulator.setFaults('');
    }
  });
});

describe('bodies that are not the API', () => {
  it('an HTML error page, an empty body and plain text never crash the parser', async () => {
    const answers = [
      {
        status: 502,
        type: 'text/html',
        body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>',
      },
      { status: 404, type: 'text/plain', body: '' },
      { status: 400, type: 'text/plain', body: 'upstream said no\n' },
    ];
    let next = 0;
    const proxy = await startProxyServer((_req, res) => {
      const answer = answers[next++ % answers.length];
      res.writeHead(answer?.status ?? 500, { 'content-type': answer?.type ?? 'text/plain' });
      res.end(answer?.body);
    });
    try {
      const api = h.client({ apiUrl: proxy.url, retry: { maxAttempts: 1 } });
      const html = await caught<ApiError>(() => api.getEdit(edit));
      expect(html.status).toBe(502);
      expect(html.message).toMatch(/→ 502 Bad Gateway: \(a non-JSON body of 65 characters\)$/);
      expect(html.hint).toBe("Amazon's server failed: try again later");
      const empty = await caught<ApiError>(() => api.getEdit(edit));
      expect(empty.message).toMatch(/edits\/[^ ]+ → 404 Not Found$/);
      const text = await caught<ApiError>(() => api.getEdit(edit));
      expect(text.message).toMatch(/→ 400 Bad Request: upstream said no$/);
    } finally {
      await proxy.close();
    }
  });

  it('a 200 that is not JSON says the answer is not the API', async () => {
    const proxy = await startProxyServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>Welcome to nginx!</html>');
    });
    try {
      const api = h.client({ apiUrl: proxy.url });
      const error = await caught<ApiError>(() => api.getActiveEdit(DEMO_APP));
      expect(error.status).toBe(200);
      expect(error.message).toMatch(
        /edits → 200 OK, but the body is not JSON \(\(a non-JSON body of 30 characters\)\)$/,
      );
      expect(error.hint).toBe('The API answered in an unexpected shape: is --api-url right?');
    } finally {
      await proxy.close();
    }
  });

  it('a JSON answer of the wrong shape is an error, not a crash later', async () => {
    const proxy = await startProxyServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"apks":[]}');
    });
    try {
      const api = h.client({ apiUrl: proxy.url });
      const error = await caught<ApiError>(() => api.listApks(edit));
      expect(error.message).toMatch(
        /apks → 200 OK, but the body is not as expected \(expected an array of APKs\)$/,
      );
    } finally {
      await proxy.close();
    }
  });
});
