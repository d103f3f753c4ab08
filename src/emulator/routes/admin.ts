// Admin endpoints under /__emulator/ (never under /api): what tests and rehearsals need that the API
// cannot do — finish a review, change a resource "as the Developer Console would" (ETags bump as for
// any mutation), read or replace the whole state, reset, read the request log, swap fault rules.
// No token needed, no faults, not logged.
import type { ImageType } from '../../appstore/types.js';
import { emptyListingText, IMAGE_TYPES } from '../../appstore/types.js';
import { ApiError, badRequest } from '../api-errors.js';
import { DEVICE_CATALOGUE, findDevice } from '../devices.js';
import { checkFaultRules, type FaultInjector, type FaultRule, parseFaultSpec } from '../faults.js';
import { canonicalLocale } from '../locales.js';
import { APP_STATES, type AppRecord, type AppState, type EditRecord, isDisabledFor } from '../model.js';
import { readJsonObject, readText } from '../request-body.js';
import type { Route, RouteContext } from '../routing.js';
import { json, noContent } from '../routing.js';
import type { SeedFile } from '../seed.js';
import { parseAvailabilityBody, writeAvailability } from './availability.js';
import { writeDetails } from './details.js';
import { writeImages } from './images.js';
import { removeListing, writeListingText } from './listings.js';
import { apkNode } from './scope.js';
import { writeTargeting } from './targeting.js';
import { writeVideos } from './videos.js';

const conflict = (message: string) => ApiError.of(409, 'emulator_conflict', message);

function appOf(context: RouteContext): AppRecord {
  const app = context.store.app(context.params.appId ?? '');
  if (app === undefined) throw ApiError.of(404, 'emulator_not_found', `No app ${context.params.appId}.`);
  return app;
}

function objectAt(body: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = body[key];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badRequest('emulator_bad_request', `${key} must be an object.`);
  return value as Record<string, unknown>;
}

function stringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw badRequest('emulator_bad_request', `${what} must be an array of strings.`);
  }
  return value as string[];
}

function localeAt(spec: Record<string, unknown>): string {
  const locale = typeof spec.language === 'string' ? canonicalLocale(spec.language) : undefined;
  if (locale === undefined)
    throw badRequest('emulator_bad_request', 'language must be a locale such as en-US.');
  return locale;
}

/** The edit a Console change lands in: the open edit, which must be IN_PROGRESS. */
function consoleEdit(app: AppRecord): EditRecord {
  const edit = app.openEdit;
  if (edit === null) throw conflict('The app has no open edit; send { "createEdit": true } first.');
  if (edit.status !== 'IN_PROGRESS')
    throw conflict(`The open edit is ${edit.status}; the Console cannot change it.`);
  return edit;
}

const LISTING_TEXT_KEYS = ['title', 'shortDescription', 'fullDescription', 'recentChanges'] as const;

/** One Console-side change; see README.md ("Admin endpoints") for the body shapes. */
async function consoleChange(context: RouteContext) {
  const app = appOf(context);
  const body = await readJsonObject(context.body);
  const keys = Object.keys(body);
  if (keys.length !== 1) throw badRequest('emulator_bad_request', 'Send exactly one change per request.');
  const kind = keys[0];
  if (kind === 'createEdit') {
    const edit = context.store.createEdit(app);
    return json({ edit: { id: edit.id, status: edit.status } });
  }
  const edit = consoleEdit(app);
  const spec = objectAt(body, kind ?? '');
  switch (kind) {
    case 'listing': {
      const locale = localeAt(spec);
      if (spec.delete === true) {
        if (!edit.snapshot.listings.has(locale))
          throw ApiError.of(404, 'emulator_not_found', `No listing ${locale}.`);
        removeListing(edit, locale);
        break;
      }
      const set = objectAt(spec, 'set');
      const text = structuredClone(edit.snapshot.listings.get(locale)?.text ?? emptyListingText());
      for (const key of LISTING_TEXT_KEYS) {
        if (set[key] === undefined) continue;
        if (typeof set[key] !== 'string')
          throw badRequest('emulator_bad_request', `${key} must be a string.`);
        text[key] = set[key];
      }
      if (set.featureBullets !== undefined)
        text.featureBullets = stringArray(set.featureBullets, 'featureBullets');
      if (set.keywords !== undefined) text.keywords = stringArray(set.keywords, 'keywords');
      writeListingText(edit, locale, text);
      break;
    }
    case 'details': {
      const set = objectAt(spec, 'set');
      const details = { ...edit.snapshot.details };
      for (const key of ['contactEmail', 'contactWebsite', 'contactPhone'] as const) {
        if (set[key] === null) delete details[key];
        else if (typeof set[key] === 'string') details[key] = set[key];
        else if (set[key] !== undefined)
          throw badRequest('emulator_bad_request', `${key} must be a string or null.`);
      }
      writeDetails(edit, details);
      break;
    }
    case 'availability':
      writeAvailability(edit, parseAvailabilityBody(objectAt(spec, 'set')));
      break;
    case 'apk': {
      const apk = edit.snapshot.apks.find((a) => a.id === spec.apkId);
      if (apk === undefined)
        throw ApiError.of(404, 'emulator_not_found', `No APK ${String(spec.apkId)} in the open edit.`);
      const set = objectAt(spec, 'set');
      if (set.drm !== undefined) {
        if (typeof set.drm !== 'boolean' && set.drm !== null)
          throw badRequest('emulator_bad_request', 'drm must be true, false or null.');
        apk.drm = set.drm;
      }
      if (set.name !== undefined) {
        if (typeof set.name !== 'string' || set.name === '')
          throw badRequest('emulator_bad_request', 'name must be a string.');
        apk.name = set.name;
      }
      edit.etags.bump(apkNode(apk.id));
      break;
    }
    case 'targeting': {
      const apk = edit.snapshot.apks.find((a) => a.id === spec.apkId);
      if (apk === undefined)
        throw ApiError.of(404, 'emulator_not_found', `No APK ${String(spec.apkId)} in the open edit.`);
      const targeted = new Set(apk.targeted);
      for (const [deviceId, status] of Object.entries(objectAt(spec, 'set'))) {
        if (findDevice(deviceId) === undefined)
          throw badRequest('emulator_bad_request', `Unknown device ${deviceId}.`);
        if (status === 'TARGETING' && !isDisabledFor(apk, deviceId)) targeted.add(deviceId);
        else if (status === 'NOT_TARGETING') targeted.delete(deviceId);
        else
          throw badRequest(
            'emulator_bad_request',
            `${deviceId}: status must be TARGETING (not disabled) or NOT_TARGETING.`,
          );
      }
      writeTargeting(
        edit,
        apk,
        DEVICE_CATALOGUE.filter((d) => targeted.has(d.id)).map((d) => d.id),
      );
      break;
    }
    case 'images': {
      const locale = localeAt(spec);
      const listing = edit.snapshot.listings.get(locale);
      if (listing === undefined) throw ApiError.of(404, 'emulator_not_found', `No listing ${locale}.`);
      if (
        typeof spec.imageType !== 'string' ||
        !(IMAGE_TYPES as readonly string[]).includes(spec.imageType)
      ) {
        throw badRequest('emulator_bad_request', `imageType must be one of ${IMAGE_TYPES.join(', ')}.`);
      }
      const ids = stringArray(spec.set, 'set');
      for (const id of ids) registerConsoleAsset(app, id, 'image');
      writeImages(edit, locale, listing, spec.imageType as ImageType, [...ids]);
      break;
    }
    case 'videos': {
      const locale = localeAt(spec);
      const listing = edit.snapshot.listings.get(locale);
      if (listing === undefined) throw ApiError.of(404, 'emulator_not_found', `No listing ${locale}.`);
      const ids = stringArray(spec.set, 'set');
      for (const id of ids) registerConsoleAsset(app, id, 'video');
      writeVideos(edit, locale, listing, [...ids]);
      break;
    }
    default:
      throw badRequest(
        'emulator_bad_request',
        `Unknown change '${kind}'; use listing, details, availability, apk, targeting, images, videos or createEdit.`,
      );
  }
  return json({ edit: { id: edit.id, status: edit.status } });
}

function registerConsoleAsset(app: AppRecord, id: string, kind: 'image' | 'video'): void {
  if (!app.assets.has(id)) app.assets.set(id, { kind, sha256: '0'.repeat(64), size: 0 });
}

async function setAppState(context: RouteContext) {
  const app = appOf(context);
  const { state } = await readJsonObject(context.body);
  if (typeof state !== 'string' || !(APP_STATES as readonly string[]).includes(state)) {
    throw badRequest('emulator_bad_request', `state must be one of ${APP_STATES.join(', ')}.`);
  }
  app.state = state as AppState;
  return json({ appId: app.appId, state: app.state });
}

async function approve(context: RouteContext) {
  const edit = context.store.approve(appOf(context));
  return json({ liveEditId: edit.id });
}

async function reject(context: RouteContext) {
  const text = await readText(context.body, 64 * 1024);
  let reopen = false;
  if (text.trim() !== '') {
    try {
      reopen = (JSON.parse(text) as { reopen?: unknown }).reopen === true;
    } catch {
      throw badRequest('emulator_bad_request', 'The body must be JSON like { "reopen": true }.');
    }
  }
  const app = appOf(context);
  context.store.reject(app, reopen);
  return json({ edit: app.openEdit === null ? null : { id: app.openEdit.id, status: app.openEdit.status } });
}

async function putFaults(context: RouteContext, faults: FaultInjector) {
  const text = await readText(context.body, 64 * 1024);
  let rules: FaultRule[];
  let seed: number | undefined;
  if ((context.req.headers['content-type'] ?? '').includes('json')) {
    let body: { spec?: unknown; rules?: unknown; seed?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw badRequest(
        'emulator_bad_request',
        'The body must be JSON: { "spec": "..." } or { "rules": [...] }.',
      );
    }
    try {
      if (typeof body.spec === 'string') rules = parseFaultSpec(body.spec);
      else if (Array.isArray(body.rules)) rules = checkFaultRules(body.rules as FaultRule[]);
      else throw badRequest('emulator_bad_request', 'Send { "spec": "..." } or { "rules": [...] }.');
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw badRequest('emulator_bad_fault_spec', (error as Error).message);
    }
    if (typeof body.seed === 'number') seed = body.seed;
  } else {
    try {
      rules = parseFaultSpec(text);
    } catch (error) {
      throw badRequest('emulator_bad_fault_spec', (error as Error).message);
    }
  }
  faults.replace(rules, seed);
  return json({ rules: faults.rules() });
}

async function putState(context: RouteContext) {
  const body = await readJsonObject(context.body);
  try {
    context.store.load(body as unknown as SeedFile);
  } catch (error) {
    throw badRequest('emulator_bad_seed', (error as Error).message);
  }
  return json(context.store.dump());
}

export function adminRoutes({ faults }: { faults: FaultInjector }): Route[] {
  return [
    { method: 'GET', pattern: '/state', operation: 'admin:state', handler: (c) => json(c.store.dump()) },
    { method: 'PUT', pattern: '/state', operation: 'admin:load', handler: putState },
    {
      method: 'POST',
      pattern: '/reset',
      operation: 'admin:reset',
      handler: (c) => {
        c.store.reset();
        faults.reset();
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: '/requests',
      operation: 'admin:requests',
      handler: (c) => json({ requests: c.store.requests() }),
    },
    {
      method: 'DELETE',
      pattern: '/requests',
      operation: 'admin:clear-requests',
      handler: (c) => {
        c.store.clearRequests();
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: '/faults',
      operation: 'admin:faults',
      handler: () => json({ rules: faults.rules() }),
    },
    {
      method: 'PUT',
      pattern: '/faults',
      operation: 'admin:set-faults',
      handler: (c) => putFaults(c, faults),
    },
    {
      method: 'POST',
      pattern: '/tokens/expire',
      operation: 'admin:expire-tokens',
      handler: (c) => {
        c.store.expireTokens();
        return noContent();
      },
    },
    {
      method: 'GET',
      pattern: '/devices',
      operation: 'admin:devices',
      handler: () => json({ devices: DEVICE_CATALOGUE }),
    },
    { method: 'POST', pattern: '/apps/:appId/edit/approve', operation: 'admin:approve', handler: approve },
    { method: 'POST', pattern: '/apps/:appId/edit/reject', operation: 'admin:reject', handler: reject },
    { method: 'POST', pattern: '/apps/:appId/console', operation: 'admin:console', handler: consoleChange },
    { method: 'POST', pattern: '/apps/:appId/state', operation: 'admin:app-state', handler: setAppState },
  ];
}
