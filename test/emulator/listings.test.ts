// Listings, details and availability (appstore-api.md §4.4–§4.6, §8): full-object PUTs, limits,
// single-word keywords, the default language, locale forms.
import { describe, expect, test } from 'vitest';
import { type ErrorBody, errorCodes, type Session, startSession } from './harness.js';

interface Listing {
  language: string;
  title: string;
  shortDescription: string;
  fullDescription: string;
  recentChanges: string;
  featureBullets: string[];
  keywords: string[];
}

async function putListing(session: Session, path: string, language: string, body: unknown) {
  const { etag } = await session.get(`${path}/listings`);
  return session.call('PUT', `${path}/listings/${language}`, { json: body, headers: { 'if-match': etag } });
}

describe('listings', () => {
  test('GET all is keyed by language; GET one is a Listing with the seven fields', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const all = await session.get<{ listings: Record<string, Listing> }>(`${path}/listings`);
    expect(Object.keys(all.body.listings)).toEqual(['en-US', 'de-DE']);
    const one = await session.get<Listing>(`${path}/listings/de-DE`);
    expect(Object.keys(one.body).sort()).toEqual(
      [
        'language',
        'title',
        'shortDescription',
        'fullDescription',
        'recentChanges',
        'featureBullets',
        'keywords',
      ].sort(),
    );
    expect(one.body).toEqual(all.body.listings['de-DE']);
    expect(one.body.language).toBe('de-DE');
  });

  test('PUT replaces the whole listing: omitted text fields are cleared', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const response = await putListing(session, path, 'en-US', {
      title: 'Acme',
      featureBullets: ['Fast'],
      keywords: ['notes'],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      language: 'en-US',
      title: 'Acme',
      shortDescription: '',
      fullDescription: '',
      recentChanges: '',
      featureBullets: ['Fast'],
      keywords: ['notes'],
    });
  });

  test('text limits 250/1200/4000/4000 are enforced in characters, all problems at once', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const base = { featureBullets: [], keywords: ['notes'] };
    const atLimit = {
      ...base,
      title: '😀'.repeat(250),
      shortDescription: 'a'.repeat(1200),
      fullDescription: 'b'.repeat(4000),
      recentChanges: 'c'.repeat(4000),
    };
    expect((await putListing(session, path, 'en-US', atLimit)).status).toBe(200);
    const over = {
      ...base,
      title: 'x'.repeat(251),
      shortDescription: 'a'.repeat(1201),
      fullDescription: 'b'.repeat(4001),
      recentChanges: 'c'.repeat(4001),
    };
    const response = await putListing(session, path, 'en-US', over);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.errors.map((e) => e.errorCode)).toEqual(Array(4).fill('error_field_length'));
    expect(body.errors[0]?.errorMessage).toContain('title');
  });

  test('a keyword with a space is SINGLE_WORD; missing arrays are required_data_absent; wrong types are refused', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const spaced = await putListing(session, path, 'en-US', {
      title: 'A',
      featureBullets: [],
      keywords: ['note taking'],
    });
    expect(spaced.status).toBe(400);
    expect(await errorCodes(spaced)).toEqual(['SINGLE_WORD']);
    const missing = await putListing(session, path, 'en-US', { title: 'A' });
    expect(await errorCodes(missing)).toEqual(['required_data_absent', 'required_data_absent']);
    const wrong = await putListing(session, path, 'en-US', {
      title: 5,
      featureBullets: 'x',
      keywords: ['a'],
    });
    expect(await errorCodes(wrong)).toEqual(['error_invalid_field', 'error_invalid_field']);
    const array = await putListing(session, path, 'en-US', []);
    expect(await errorCodes(array)).toEqual(['error_invalid_request_body']);
  });

  test('configurable limits on keywords and bullets', async () => {
    const session = await startSession({
      listingLimits: { maxKeywords: 2, maxFeatureBullets: 1, maxFeatureBulletLength: 5 },
    });
    const { path } = await session.openEdit();
    const response = await putListing(session, path, 'en-US', {
      featureBullets: ['toolong', 'b'],
      keywords: ['a', 'b', 'c'],
    });
    expect(await errorCodes(response)).toEqual([
      'error_field_length',
      'error_field_length',
      'error_field_length',
    ]);
  });

  test('PUT to a new language adds the locale (with no images); DELETE removes it', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const created = await putListing(session, path, 'fr-FR', {
      title: 'Acme Notes',
      featureBullets: [],
      keywords: ['notes'],
    });
    expect(created.status).toBe(200);
    expect(Object.keys((await session.get<{ listings: object }>(`${path}/listings`)).body.listings)).toEqual([
      'en-US',
      'de-DE',
      'fr-FR',
    ]);
    expect((await session.get(`${path}/listings/fr-FR/small-icons`)).body).toEqual({ images: [] });
    const { etag } = await session.get(`${path}/listings/fr-FR`);
    expect(
      (await session.call('DELETE', `${path}/listings/fr-FR`, { headers: { 'if-match': etag } })).status,
    ).toBe(204);
    expect((await session.call('GET', `${path}/listings/fr-FR`)).status).toBe(404);
    expect(
      (await session.call('DELETE', `${path}/listings/fr-FR`, { headers: { 'if-match': etag } })).status,
    ).toBe(404);
  });

  test('the default-language listing cannot be deleted', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const { etag } = await session.get(`${path}/listings/en-US`);
    const response = await session.call('DELETE', `${path}/listings/en-US`, {
      headers: { 'if-match': etag },
    });
    expect(response.status).toBe(400);
    expect(await errorCodes(response)).toEqual(['error_default_language_listing']);
    expect((await session.call('GET', `${path}/listings/en-US`)).status).toBe(200);
  });

  test('underscore locales are accepted in paths and map to the same listing', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const viaUnderscore = await session.get<Listing>(`${path}/listings/de_DE`);
    expect(viaUnderscore.body.title).toBe('Acme Notizen');
    const response = await session.call('PUT', `${path}/listings/de_DE`, {
      json: { ...viaUnderscore.body, title: 'Acme Notizen Pro' },
      headers: { 'if-match': viaUnderscore.etag },
    });
    expect(response.status).toBe(200);
    expect((await session.get<Listing>(`${path}/listings/de-DE`)).body.title).toBe('Acme Notizen Pro');
    expect((await session.get(`${path}/listings/de_DE/screenshots`)).body).toEqual(
      (await session.get(`${path}/listings/de-DE/screenshots`)).body,
    );
    expect((await session.call('GET', `${path}/listings/german`)).status).toBe(404);
  });

  test('localeKeyStyle underscore shows underscore keys and language fields', async () => {
    const session = await startSession({ localeKeyStyle: 'underscore' });
    const { path } = await session.openEdit();
    const all = await session.get<{ listings: Record<string, Listing> }>(`${path}/listings`);
    expect(Object.keys(all.body.listings)).toEqual(['en_US', 'de_DE']);
    expect(all.body.listings.en_US?.language).toBe('en_US');
    expect((await session.get<{ defaultLanguage: string }>(`${path}/details`)).body.defaultLanguage).toBe(
      'en_US',
    );
  });
});

describe('details', () => {
  test('GET, then a full PUT changes contact data and keeps the default language', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const details = await session.get(`${path}/details`);
    expect(details.body).toEqual({
      defaultLanguage: 'en-US',
      contactEmail: 'help@acme.example',
      contactWebsite: 'https://acme.example',
    });
    const put = await session.call('PUT', `${path}/details`, {
      json: { contactEmail: 'support@acme.example', contactPhone: '+1-206-555-0100' },
      headers: { 'if-match': details.etag },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({
      defaultLanguage: 'en-US',
      contactEmail: 'support@acme.example',
      contactPhone: '+1-206-555-0100',
    });
  });

  test('changing defaultLanguage is refused; repeating it (either form) is fine', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const put = async (body: unknown) => {
      const { etag } = await session.get(`${path}/details`);
      return session.call('PUT', `${path}/details`, { json: body, headers: { 'if-match': etag } });
    };
    const changed = await put({ defaultLanguage: 'de-DE', contactEmail: 'a@b.example' });
    expect(changed.status).toBe(400);
    expect(await errorCodes(changed)).toEqual(['error_default_language_immutable']);
    expect((await put({ defaultLanguage: 'en_US' })).status).toBe(200);
    expect(await errorCodes(await put({ contactEmail: 7 }))).toEqual(['error_invalid_field']);
  });
});

describe('availability', () => {
  test('no date reads as {}; a date can be set and cleared', async () => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const empty = await session.get(`${path}/availability`);
    expect(empty.body).toEqual({});
    const date = { publishingDate: { dateTime: '2027-01-15T09:00:00', zoneId: 'US/Pacific' } };
    const set = await session.call('PUT', `${path}/availability`, {
      json: date,
      headers: { 'if-match': empty.etag },
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual(date);
    const current = await session.get(`${path}/availability`);
    expect(current.body).toEqual(date);
    const cleared = await session.call('PUT', `${path}/availability`, {
      json: { publishingDate: null },
      headers: { 'if-match': current.etag },
    });
    expect(await cleared.json()).toEqual({});
  });

  test.each([
    [{ publishingDate: { dateTime: '2027-01-15T09:00:00Z', zoneId: 'US/Pacific' } }],
    [{ publishingDate: { dateTime: '2027-01-15', zoneId: 'US/Pacific' } }],
    [{ publishingDate: { dateTime: '2027-01-15T09:00:00', zoneId: '' } }],
    [{ publishingDate: 'tomorrow' }],
  ])('an invalid date is 400: %j', async (body) => {
    const session = await startSession();
    const { path } = await session.openEdit();
    const { etag } = await session.get(`${path}/availability`);
    const response = await session.call('PUT', `${path}/availability`, {
      json: body,
      headers: { 'if-match': etag },
    });
    expect(response.status).toBe(400);
    expect(await errorCodes(response)).toEqual(['error_invalid_field']);
  });
});
