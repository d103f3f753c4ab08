// --debug: one line per request, response and retry decision, and never a secret or a token.
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src/remote/errors.js';
import { caught, DEMO_APP, demoSeed, fixtureFile, startHarness } from './helpers.js';

describe('debug trace', () => {
  it('traces a whole session without the client secret or any token', async () => {
    const secret = 'Sup3r-Secret-Value-42';
    const seed = await demoSeed();
    seed.credentials = [{ clientId: 'amzn1.application-oa2-client.trace', clientSecret: secret }];
    const h = await startHarness({
      emulator: { seed },
      client: { credentials: { clientId: 'amzn1.application-oa2-client.trace', clientSecret: secret } },
    });
    // Observe the tokens the emulator hands out (its behaviour is unchanged).
    const issued: string[] = [];
    const issue = h.emulator.store.issueToken.bind(h.emulator.store);
    h.emulator.store.issueToken = (clientId: string) => {
      const token = issue(clientId);
      issued.push(token.accessToken);
      return token;
    };
    try {
      const created = await h.api.createEdit(DEMO_APP);
      const edit = { appId: DEMO_APP, editId: created.value.id };
      h.advance(3400 * 1000); // inside the refresh margin: a refresh before expiry
      const listing = await h.api.getListing(edit, 'en-US');
      h.emulator.store.expireTokens(); // a 401 and a refresh after it
      h.emulator.setFaults('429 op=updateListing times=1 retry-after=1');
      await h.api.putListing(edit, 'en-US', { ...listing.value, recentChanges: 'New.' }, listing.etag ?? '');
      const stale = await caught<ApiError>(() =>
        h.api.putListing(edit, 'en-US', { ...listing.value, recentChanges: 'Newer.' }, listing.etag ?? ''),
      );
      expect(stale.status).toBe(412);
      const apk = await h.api.getApk(edit, 'M8FYZDFK0GJG0');
      await h.api.replaceApk(edit, 'M8FYZDFK0GJG0', await fixtureFile('apks/plain-v101.apk'), apk.etag ?? '');

      expect(issued).toHaveLength(3);
      const trace = h.trace.join('\n');
      expect(trace).not.toContain(secret);
      for (const token of issued) {
        expect(trace).not.toContain(token);
        expect(trace).not.toContain(token.slice(4)); // without the Atc| prefix
      }
      expect(trace).not.toMatch(/Bearer (?!\[redacted\])/);
      // The error a user sees carries no secret either.
      expect(`${stale.message} ${stale.hint}`).not.toContain(secret);

      const path = `/v1/applications/${DEMO_APP}/edits/${edit.editId}/listings/en-US`;
      expect(h.trace).toContain(`→ PUT ${path} If-Match=${listing.etag}`);
      expect(h.trace).toContain('retry 2/5 in 1000ms after 429');
      expect(h.trace).toContain(`401 PUT ${path}: token refused, refreshing it and retrying once`);
      expect(h.trace).toContain('token: refreshing before expiry');
      expect(
        h.trace.some(
          (line) => line.startsWith(`← 412 PUT ${path} `) && line.endsWith('(precondition_failed)'),
        ),
      ).toBe(true);
      expect(
        h.trace.some((line) => /^← 200 GET .*\/apks\/M8FYZDFK0GJG0 \d+ms etag="[^"]+"$/.test(line)),
      ).toBe(true);
      expect(
        h.trace.some((line) =>
          /^→ PUT .*\/replace If-Match=.* \(\d+ bytes, application\/vnd\.android\.package-archive\)$/.test(
            line,
          ),
        ),
      ).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('is silent without a sink', async () => {
    const h = await startHarness();
    try {
      const quiet = h.client({ debug: undefined });
      const before = h.trace.length;
      await quiet.getActiveEdit(DEMO_APP);
      expect(h.trace.length).toBe(before);
    } finally {
      await h.close();
    }
  });
});
