// The reliability soak (issue 8.5), written once and used twice: by `bench/soak.js` (200 runs, over
// dist/) and by `test/soak/soak.test.ts` (10 runs, over src/). The engine is passed in (`lib`), so
// this file imports nothing of the product and each caller tests the code it has.
//
// One run: fast-check draws a world — a remote app (live version, maybe an open edit, listings,
// images, targeting), a state file (absent, accurate or stale), a manifest, fault rules and, in some
// runs, a Console-side change to make between plan and apply. Then, up to MAX_APPLIES times: plan
// (faults off), apply (faults on). The run converged when a clean plan says `No changes.` Then the
// emulator's dump is checked: duplicates (an image list holding more copies of a file than the
// manifest lists, or more assets than it lists; an extra APK), content that differs from the manifest
// although the plan shows no changes, and whether the Console change survived the first apply.
//
// Deterministic from the seed: worlds, fault rules, fault PRNGs, retry jitter and token expiry points
// all derive from it. What is not: the arrival order of parallel GETs (plan runs with faults off for
// that reason; only the executor's re-read after it creates an edit is parallel under faults).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FIXTURES, makeWorkspace } from './workspace.js';

export const DEFAULT_SOAK_SEED = 2;
/** Applies per run: the last one with the faults off (does the tool recover once the weather clears?). */
export const MAX_APPLIES = 4;

const APP_ID = 'amzn1.devportal.mobileapp.50a4000000000000000000000000000a';
const APK_ID = 'SOAKAPK000001';
const DEFAULT_LOCALE = 'en-US';
const OTHER_LOCALES = ['de-DE', 'fr-FR', 'ja-JP', 'es-ES'];
const SCREENSHOTS = [
  'screenshot-1',
  'screenshot-2',
  'screenshot-3',
  'screenshot-4',
  'screenshot-5',
  'screenshot-de-1',
  'screenshot-de-2',
];
const FILES = {
  'icon-114': 'images/icon-114.png',
  'icon-512': 'images/icon-512.png',
  ...Object.fromEntries(SCREENSHOTS.map((name) => [name, `images/${name}.png`])),
  trailer: 'media/trailer.mp4',
  ...Object.fromEntries([100, 101, 102, 103].map((v) => [`apk-${v}`, `apks/plain-v${v}.apk`])),
};
const POOLS = {
  title: ['Acme Notes', 'Acme Notes Pro', 'Notizen', 'Notes Acme'],
  shortDescription: ['Notes that sync.', 'Sync your notes everywhere.', 'Des notes synchronisées.'],
  fullDescription: ['', 'Acme Notes keeps your notes in sync.', 'Line one.\nLine two.'],
  recentChanges: ['Bug fixes.', 'Faster sync.', 'New dark mode.'],
  featureBullets: [[], ['Offline first'], ['Offline first', 'Dark mode']],
  keywords: [['notes'], ['notes', 'sync'], ['sync', 'offline', 'journal']],
  contactEmail: ['help@acme.example', 'support@acme.example'],
  contactPhone: ['+1-206-555-0100', '+49-30-555-0100'],
  publishingDate: [
    { dateTime: '2030-01-15T09:00:00', zoneId: 'US/Pacific' },
    { dateTime: '2030-02-01T12:00:00', zoneId: 'Europe/Berlin' },
  ],
};
const TEXT_FIELDS = [
  'title',
  'shortDescription',
  'fullDescription',
  'recentChanges',
  'featureBullets',
  'keywords',
];
const CONSOLE_MARKER = 'Changed in the Developer Console';

// --- the world ---------------------------------------------------------------------------------------

const pick = (pool) => fc.constantFrom(...pool);
const option = (arb) => fc.option(arb, { nil: undefined });

const remoteListingArb = fc.record({
  ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, pick(POOLS[f])])),
  'small-icons': fc.constantFrom([], ['icon-114'], ['unknown']),
  'large-icons': fc.constantFrom([], ['icon-512'], ['unknown']),
  screenshots: fc.oneof(
    fc.constant([]),
    fc.shuffledSubarray([...SCREENSHOTS, 'unknown'], { minLength: 1, maxLength: 6 }),
  ),
  videos: fc.constantFrom([], ['trailer']),
});

const manifestListingArb = fc.record({
  ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, option(pick(POOLS[f]))])),
  'small-icons': option(fc.constant(['icon-114'])),
  'large-icons': option(fc.constant(['icon-512'])),
  screenshots: option(fc.shuffledSubarray(SCREENSHOTS, { minLength: 3, maxLength: 5 })),
  videos: option(fc.constantFrom([], ['trailer'])),
});

const rateArb = fc.integer({ min: 2, max: 25 }).map((n) => n / 100);
const methodsArb = option(fc.constantFrom(['GET'], ['PUT', 'POST', 'DELETE'], ['POST']));
const faultRuleArb = fc.oneof(
  fc.record({ kind: fc.constant('429'), rate: rateArb, methods: methodsArb }),
  fc.record({ kind: fc.constant('500'), rate: rateArb, methods: methodsArb }),
  fc.record({ kind: fc.constant('reset-before'), rate: rateArb, methods: methodsArb }),
  fc.record({ kind: fc.constant('reset-after'), rate: rateArb, methods: methodsArb }),
  fc.record({
    kind: fc.constant('latency'),
    rate: rateArb,
    ms: fc.integer({ min: 1, max: 5 }),
    methods: methodsArb,
  }),
  // An outage: the first N matching requests of an apply all fail (enough to exhaust the retries).
  fc.record({
    kind: fc.constantFrom('500', 'reset-before'),
    times: fc.integer({ min: 2, max: 8 }),
    methods: methodsArb,
    path: option(
      fc.constantFrom('**/small-icons', '**/large-icons', '**/screenshots', '**/videos', '**/apks/*'),
    ),
  }),
);

function worldArbitrary(devices) {
  return fc.record({
    etagMode: fc.constantFrom('hierarchical', 'edit'),
    openEdit: fc.boolean().chain((open) => (open ? fc.constant(true) : fc.boolean())), // 3 in 4 have one
    editApk: fc.constantFrom('same', 'same', 'bumped', 'none'),
    liveTargeting: fc.subarray(devices),
    remoteLocales: fc.subarray(OTHER_LOCALES),
    remote: fc.record(
      Object.fromEntries([DEFAULT_LOCALE, ...OTHER_LOCALES].map((l) => [l, remoteListingArb])),
    ),
    remoteDetails: fc.record({ contactEmail: pick(POOLS.contactEmail) }),
    remoteAvailability: option(pick(POOLS.publishingDate)),
    stateMode: fc.constantFrom('absent', 'accurate', 'accurate', 'stale'),
    manifestLocales: fc.subarray(OTHER_LOCALES),
    manifest: fc.record(
      Object.fromEntries([DEFAULT_LOCALE, ...OTHER_LOCALES].map((l) => [l, manifestListingArb])),
    ),
    apkStep: fc.integer({ min: 0, max: 3 }),
    targeting: option(
      fc.shuffledSubarray(devices).chain((shuffled) =>
        fc.integer({ min: 0, max: shuffled.length }).map((cut) => ({
          include: shuffled.slice(0, cut),
          exclude: shuffled.slice(cut),
        })),
      ),
    ),
    details: option(
      fc.record({
        contactEmail: option(pick(POOLS.contactEmail)),
        contactPhone: option(pick(POOLS.contactPhone)),
      }),
    ),
    availability: option(pick(POOLS.publishingDate)),
    pruneListings: fc.boolean(),
    faults: fc.array(faultRuleArb, { maxLength: 4 }),
    faultSeed: fc.integer({ min: 1, max: 2 ** 30 }),
    expireTokensAt: option(fc.integer({ min: 0, max: 6 })),
    // In about 1 run in 3: which of the plan's writable resources the Console changes.
    consoleChange: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 2 },
      { arbitrary: fc.nat(), weight: 1 },
    ),
  });
}

// --- turning a world into a seed, a state file and a manifest -----------------------------------------

function fileFacts() {
  return Object.fromEntries(
    Object.entries(FILES).map(([key, path]) => {
      const bytes = readFileSync(join(FIXTURES, path));
      return [
        key,
        {
          path: `fixtures/${path}`,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          size: bytes.length,
        },
      ];
    }),
  );
}

function assetId(run, ...parts) {
  return `amzn1.dex.asset.${createHash('sha256')
    .update(`soak\n${run}\n${parts.join('\n')}`)
    .digest('hex')
    .slice(0, 32)}`;
}

const IMAGE_KEYS = ['small-icons', 'large-icons', 'screenshots'];

/** The remote app: live version and (maybe) an open edit with the same listings; server-side hashes. */
function buildSeed(world, run, files) {
  const assets = {};
  const listings = {};
  const lists = {}; // locale → type → { ids, keys }
  for (const locale of [DEFAULT_LOCALE, ...world.remoteLocales]) {
    const remote = world.remote[locale];
    const listing = Object.fromEntries(TEXT_FIELDS.map((f) => [f, remote[f]]));
    listing.images = {};
    lists[locale] = {};
    for (const type of [...IMAGE_KEYS, 'videos']) {
      const keys = remote[type];
      const ids = keys.map((key, i) => assetId(run, locale, type, i, key));
      keys.forEach((key, i) => {
        if (key !== 'unknown') {
          assets[ids[i]] = {
            kind: type === 'videos' ? 'video' : 'image',
            sha256: files[key].sha256,
            size: files[key].size,
          };
        }
      });
      if (type === 'videos') listing.videos = ids;
      else if (ids.length > 0) listing.images[type] = ids;
      lists[locale][type] = { ids, keys };
    }
    listings[locale] = listing;
  }
  const liveApk = {
    id: APK_ID,
    name: 'APK1',
    versionCode: 100,
    drm: true,
    targeting: { amazonDevices: world.liveTargeting },
  };
  const snapshot = (apks) => ({
    apks,
    listings: structuredClone(listings),
    details: { defaultLanguage: DEFAULT_LOCALE, ...world.remoteDetails },
    availability: world.remoteAvailability === undefined ? {} : { publishingDate: world.remoteAvailability },
  });
  const editApks =
    world.editApk === 'none' ? [] : [{ ...liveApk, versionCode: world.editApk === 'bumped' ? 101 : 100 }];
  const app = {
    appId: APP_ID,
    state: 'LIVE',
    live: snapshot([liveApk]),
    openEdit: world.openEdit ? { status: 'IN_PROGRESS', snapshot: snapshot(editApks) } : null,
    serverHashes: { assets },
  };
  return { seed: { apps: [app] }, lists, editApks: world.openEdit ? editApks : [liveApk] };
}

/** The state file a previous apply would have left: accurate, stale (other ids), or none. */
function buildState(world, remote, files) {
  if (world.stateMode === 'absent') return undefined;
  const assets = {};
  for (const [locale, types] of Object.entries(remote.lists)) {
    for (const [type, { ids, keys }] of Object.entries(types)) {
      if (ids.length === 0 || keys.includes('unknown')) continue;
      const recordedIds =
        world.stateMode === 'stale' ? [...ids].reverse().concat(assetId(-1, locale, type)) : ids;
      assets[locale] ??= {};
      assets[locale][type] = {
        ids: recordedIds,
        sha256: recordedIds.map((_, i) => files[keys[i] ?? keys[0]].sha256),
      };
    }
  }
  const apks = {};
  for (const apk of remote.editApks) {
    const file = files[`apk-${apk.versionCode}`];
    apks[apk.id] = { versionCode: apk.versionCode, sha256: file.sha256, file: file.path };
  }
  return { format_version: 1, app_id: APP_ID, apks, assets };
}

/** The lowest versionCode the manifest may ask for: a replace must beat live, and released codes are taken. */
function apkVersion(world) {
  const editVersion = world.openEdit ? { same: 100, bumped: 101, none: 101 }[world.editApk] : 100;
  return Math.min(103, editVersion + world.apkStep);
}

function buildManifest(world, files) {
  const listings = {};
  for (const locale of [DEFAULT_LOCALE, ...world.manifestLocales]) {
    const spec = world.manifest[locale];
    const listing = {};
    for (const field of TEXT_FIELDS) if (spec[field] !== undefined) listing[field] = spec[field];
    const images = {};
    for (const type of IMAGE_KEYS) {
      if (spec[type] !== undefined) images[type] = spec[type].map((key) => files[key].path);
    }
    if (Object.keys(images).length > 0) listing.images = images;
    if (spec.videos !== undefined) listing.videos = spec.videos.map((key) => files[key].path);
    listings[locale] = listing;
  }
  const apk = { file: files[`apk-${apkVersion(world)}`].path };
  if (world.targeting !== undefined) apk.targeting = { amazonDevices: world.targeting };
  const manifest = { version: 1, app: { id: APP_ID }, apks: [apk], listings };
  if (world.details !== undefined) {
    const details = Object.fromEntries(Object.entries(world.details).filter(([, v]) => v !== undefined));
    if (Object.keys(details).length > 0) manifest.details = details;
  }
  if (world.availability !== undefined) manifest.availability = { publishingDate: world.availability };
  if (world.pruneListings) manifest.prune = { listings: true };
  return manifest;
}

function faultRules(world) {
  return world.faults.map((rule) => {
    const out = { kind: rule.kind };
    if (rule.rate !== undefined) out.rate = rule.rate;
    if (rule.times !== undefined) out.times = rule.times;
    if (rule.path !== undefined) out.path = rule.path;
    if (rule.methods !== undefined) out.methods = rule.methods;
    if (rule.kind === '429') out.retryAfter = 0;
    if (rule.kind === 'latency') out.ms = rule.ms;
    return out;
  });
}

/** mulberry32, for the client's retry jitter. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- the Console change, and reading resources back ------------------------------------------------

const editSnapshot = (dump) => dump.apps.find((a) => a.appId === APP_ID)?.openEdit?.snapshot;

/** The remote value of the resource an action writes, from a dump (what an overwrite would change). */
function resourceValue(dump, action) {
  const snapshot = editSnapshot(dump);
  if (snapshot === undefined) return null;
  const listing = (locale) => snapshot.listings?.[locale];
  switch (action.kind) {
    case 'put-listing':
    case 'delete-listing': {
      const found = listing(action.locale);
      if (found === undefined) return null;
      const { images: _images, videos: _videos, ...text } = found;
      return text;
    }
    case 'upload-image':
    case 'delete-image':
    case 'replace-image-list':
      return listing(action.locale)?.images?.[action.assetKind] ?? [];
    case 'upload-video':
    case 'delete-video':
    case 'replace-video-list':
      return listing(action.locale)?.videos ?? [];
    case 'put-details':
      return snapshot.details;
    case 'put-availability':
      return snapshot.availability ?? {};
    case 'replace-apk': {
      const apk = snapshot.apks?.find((a) => a.id === action.apkId);
      return apk === undefined ? null : { id: apk.id, name: apk.name, versionCode: apk.versionCode };
    }
    default:
      return undefined;
  }
}

/** The admin request body of a Console change to the resource `action` writes, or undefined. */
function consoleChangeFor(dump, action, run) {
  const snapshot = editSnapshot(dump);
  const hasListing = snapshot?.listings?.[action.locale] !== undefined;
  switch (action.kind) {
    case 'put-listing':
    case 'delete-listing':
      return { listing: { language: action.locale, set: { shortDescription: CONSOLE_MARKER } } };
    case 'upload-image':
    case 'delete-image':
    case 'replace-image-list':
      return hasListing
        ? { images: { language: action.locale, imageType: action.assetKind, set: [assetId(run, 'console')] } }
        : undefined;
    case 'upload-video':
    case 'delete-video':
    case 'replace-video-list':
      return hasListing
        ? { videos: { language: action.locale, set: [assetId(run, 'console-video')] } }
        : undefined;
    case 'put-details':
      return { details: { set: { contactPhone: '+1-555-0199' } } };
    case 'put-availability':
      return {
        availability: { set: { publishingDate: { dateTime: '2031-03-03T03:03:03', zoneId: 'UTC' } } },
      };
    case 'replace-apk':
      return { apk: { apkId: action.apkId, set: { name: 'CONSOLE1' } } };
    default:
      return undefined;
  }
}

async function postConsole(emulator, body) {
  const response = await fetch(`${emulator.adminUrl}/apps/${encodeURIComponent(APP_ID)}/console`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`console change refused: ${response.status} ${await response.text()}`);
}

// --- checks on the final state ---------------------------------------------------------------------

const canonical = (value) =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );

/** Duplicates (always) and content that differs from the manifest (what a clean plan should rule out). */
function inspect(dump, manifest, converged) {
  const snapshot = editSnapshot(dump);
  const duplicates = [];
  const mismatches = [];
  if (snapshot === undefined) return { duplicates, mismatches: ['no open edit after apply'] };
  const hashes = dump.apps.find((a) => a.appId === APP_ID)?.serverHashes?.assets ?? {};
  for (const listing of manifest.listings) {
    const remote = snapshot.listings?.[listing.locale];
    if (remote === undefined) {
      mismatches.push(`listing ${listing.locale} is missing`);
      continue;
    }
    for (const [field, value] of Object.entries(listing.text)) {
      if (canonical(remote[field]) !== canonical(value))
        mismatches.push(`${listing.locale}.${field} differs`);
    }
    const lists = Object.entries(listing.images);
    if (listing.videos !== undefined) lists.push(['videos', listing.videos]);
    for (const [type, files] of lists) {
      const ids = (type === 'videos' ? remote.videos : remote.images?.[type]) ?? [];
      const got = ids.map((id) => hashes[id]?.sha256 ?? `unknown:${id}`);
      const want = files.map((f) => f.sha256);
      const count = (list, sha) => list.filter((x) => x === sha).length;
      // A file of the manifest uploaded more often than listed is a duplicate whatever else happened;
      // more assets than listed only once the run converged (before, old assets may still be there).
      const twice = want.filter((sha, i) => want.indexOf(sha) === i && count(got, sha) > count(want, sha));
      if (twice.length > 0)
        duplicates.push(`${listing.locale}.${type}: ${twice.length} file(s) uploaded more often than listed`);
      else if (converged && got.length > want.length) {
        duplicates.push(`${listing.locale}.${type}: ${got.length} assets for ${want.length} files`);
      }
      if (got.join() !== want.join()) mismatches.push(`${listing.locale}.${type} differs`);
    }
  }
  const apks = snapshot.apks ?? [];
  if (converged && apks.length > manifest.apks.length)
    duplicates.push(`${apks.length} APKs for ${manifest.apks.length}`);
  const wanted = manifest.apks.map((a) => a.info.versionCode).sort();
  if (
    apks
      .map((a) => a.versionCode)
      .sort()
      .join() !== wanted.join()
  )
    mismatches.push('APK versionCodes differ');
  for (const [field, value] of Object.entries(manifest.details ?? {})) {
    if (snapshot.details?.[field] !== value) mismatches.push(`details.${field} differs`);
  }
  if (
    manifest.availability !== undefined &&
    canonical(snapshot.availability) !== canonical(manifest.availability)
  ) {
    mismatches.push('availability differs');
  }
  return { duplicates, mismatches };
}

// --- one run ---------------------------------------------------------------------------------------

async function runOne(lib, world, run, seed, files) {
  const remote = buildSeed(world, run, files);
  const state = buildState(world, remote, files);
  const emulator = await lib.startEmulator({
    seed: remote.seed,
    idSeed: `soak-${seed}-${run}`,
    etagMode: world.etagMode,
    largeUploadReadyAfterMs: 0,
  });
  const workspace = makeWorkspace({
    manifest: buildManifest(world, files),
    ...(state === undefined ? {} : { state }),
    prefix: 'appstore-release-soak-',
  });
  const api = lib.createAppstoreApi({
    apiUrl: emulator.apiUrl,
    tokenUrl: emulator.tokenUrl,
    credentials: { ...lib.DEMO_CREDENTIAL },
    retry: {
      baseDelayMs: 1,
      maxDelayMs: 5,
      maxAttempts: 6,
      maxElapsedMs: 10_000,
      random: seededRandom(world.faultSeed),
    },
    attachPoll: { initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 2_000 },
  });
  const outcome = {
    run,
    applies: 0,
    converged: false,
    duplicates: [],
    mismatches: [],
    failures: [],
    spurious: [],
    errors: [],
    console: undefined,
    faultsFired: {},
    writeFaults: {},
  };
  try {
    const loaded = await lib.loadManifest(workspace.manifestPath, { cwd: workspace.dir });
    if (!loaded.ok) {
      outcome.errors.push(`manifest invalid: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
      return outcome;
    }
    const manifest = loaded.manifest;
    const rules = faultRules(world);
    const duplicates = new Set();
    for (let attempt = 1; attempt <= MAX_APPLIES; attempt++) {
      emulator.setFaults([]);
      const { plan } = await lib.makePlan(manifest, api);
      if (plan.actions.length === 0) break;
      const watch =
        attempt === 1 && world.consoleChange !== undefined
          ? await injectConsoleChange(emulator, plan, world, run)
          : undefined;
      const seenBefore = emulator.store.requests().length;
      emulator.setFaults(attempt < MAX_APPLIES ? rules : [], world.faultSeed + attempt);
      outcome.applies++;
      let result;
      try {
        result = await lib.apply({
          api,
          manifest,
          plan,
          onEvent: (event) => {
            if (event.type === 'action-start' && event.index === world.expireTokensAt)
              emulator.store.expireTokens();
          },
        });
      } catch (error) {
        const code = error?.code;
        if (typeof code !== 'string') outcome.errors.push(`apply threw ${error?.stack ?? error}`);
        outcome.failures.push(`${code ?? 'crash'}: ${firstLine(error?.message)}`);
      } finally {
        emulator.setFaults([]);
      }
      for (const o of result?.outcomes ?? []) {
        if (o.outcome !== 'failed') continue;
        outcome.failures.push(`${o.kind}: ${firstLine(o.message)}`);
        // "changed since plan" on a resource nobody else touched: our own write landed unseen.
        if (/changed since plan/.test(o.message ?? '') && o.address !== watch?.action?.address) {
          outcome.spurious.push(o.address);
        }
      }
      if (watch !== undefined) outcome.console = judgeConsoleChange(emulator, watch, result, seenBefore);
      // Checked after every apply: a duplicate that a later apply cleans up was still a duplicate upload.
      for (const d of inspect(emulator.store.dump(), manifest, false).duplicates) duplicates.add(d);
    }
    emulator.setFaults([]);
    const { plan: final } = await lib.makePlan(manifest, api);
    const text = lib.renderPlanHuman(final, { color: false });
    outcome.converged = final.actions.length === 0 && text.includes('No changes.');
    const found = inspect(emulator.store.dump(), manifest, outcome.converged);
    for (const d of found.duplicates) duplicates.add(d);
    if (outcome.converged) outcome.mismatches = found.mismatches;
    outcome.duplicates = [...duplicates];
  } catch (error) {
    outcome.errors.push(`run failed: ${error?.code ?? ''} ${error?.stack ?? error}`);
  } finally {
    for (const entry of emulator.store.requests()) {
      if (entry.status === 401) outcome.faultsFired['401'] = (outcome.faultsFired['401'] ?? 0) + 1;
      if (entry.fault === null) continue;
      outcome.faultsFired[entry.fault] = (outcome.faultsFired[entry.fault] ?? 0) + 1;
      if (entry.method !== 'GET') {
        const key = `${entry.fault} on ${entry.operation}`;
        outcome.writeFaults[key] = (outcome.writeFaults[key] ?? 0) + 1;
      }
    }
    outcome.requests = emulator.store.requests().length;
    api.close();
    await emulator.close();
    workspace.cleanup();
  }
  return outcome;
}

function firstLine(text) {
  return String(text ?? '')
    .split('\n')[0]
    .replace(/amzn1\.[a-z.]+\.[0-9a-f]{32}/g, '…')
    .replace(/127\.0\.0\.1:\d+/g, 'the emulator')
    .replace(/\d+ms/g, 'N ms');
}

/** Makes the Console change on a resource the plan writes; returns what to check after apply. */
async function injectConsoleChange(emulator, plan, world, run) {
  if (plan.edit === null) {
    // Without an open edit, the Console's change is opening one (with the live content).
    await postConsole(emulator, { createEdit: true });
    return { kind: 'edit-opened' };
  }
  const dump = emulator.store.dump();
  const candidates = plan.actions.filter((a) => consoleChangeFor(dump, a, run) !== undefined);
  if (candidates.length === 0) return undefined;
  const action = candidates[world.consoleChange % candidates.length];
  await postConsole(emulator, consoleChangeFor(dump, action, run));
  return { kind: 'resource', action, value: canonical(resourceValue(emulator.store.dump(), action)) };
}

/** Was the Console change refused (or never reached), or overwritten? */
function judgeConsoleChange(emulator, watch, result, seenBefore) {
  if (watch.kind === 'edit-opened') {
    const writes = emulator.store
      .requests()
      .slice(seenBefore)
      .filter((e) => e.method !== 'GET' && e.operation !== 'token' && e.processed);
    if (writes.length > 0)
      return {
        address: 'edit',
        verdict: 'overwritten',
        detail: `${writes.length} writes after the edit was opened`,
      };
    return { address: 'edit', verdict: result === undefined ? 'refused' : 'not-reached' };
  }
  const { action } = watch;
  const now = canonical(resourceValue(emulator.store.dump(), action));
  if (now !== watch.value)
    return { address: action.address, verdict: 'overwritten', detail: `${watch.value} → ${now}` };
  const refused = result?.outcomes.some(
    (o) =>
      o.address === action.address && o.outcome === 'failed' && /changed since plan/.test(o.message ?? ''),
  );
  return { address: action.address, verdict: refused ? 'refused' : 'not-reached' };
}

// --- many runs -------------------------------------------------------------------------------------

/**
 * Runs the soak. `lib`: the engine to test (see soak.d.ts). `only`: run just this index (to replay a
 * run from a report). `onRun` sees each run's outcome as it ends.
 */
export async function runSoak({ lib, runs, seed = DEFAULT_SOAK_SEED, only, onRun }) {
  const devices = lib.DEVICE_CATALOGUE.filter((d) => d.amazon)
    .slice(0, 3)
    .map((d) => d.id);
  const worlds = fc.sample(worldArbitrary(devices), { seed, numRuns: runs });
  const files = fileFacts();
  const report = {
    seed,
    runs: 0,
    converged: 0,
    duplicates: 0,
    overwrites: 0,
    mismatches: 0,
    errors: 0,
    spuriousConflicts: 0,
    spuriousRuns: [],
    needsCleanApply: 0,
    console: { injected: 0, refused: 0, notReached: 0, overwritten: 0 },
    applies: {},
    failures: {},
    faultsFired: {},
    writeFaults: {},
    requests: 0,
    problems: [],
  };
  for (const [run, world] of worlds.entries()) {
    if (only !== undefined && run !== only) continue;
    const outcome = await runOne(lib, world, run, seed, files);
    report.runs++;
    if (outcome.converged) report.converged++;
    else
      report.problems.push({
        run,
        kind: 'not converged',
        detail: outcome.failures.slice(-3).join(' | ') || 'plan still shows changes',
      });
    report.duplicates += outcome.duplicates.length;
    for (const d of outcome.duplicates) report.problems.push({ run, kind: 'duplicate', detail: d });
    report.mismatches += outcome.mismatches.length;
    for (const m of outcome.mismatches)
      report.problems.push({ run, kind: 'No changes. but content differs', detail: m });
    report.errors += outcome.errors.length;
    for (const e of outcome.errors) report.problems.push({ run, kind: 'error', detail: e });
    if (outcome.console !== undefined) {
      report.console.injected++;
      const verdict = outcome.console.verdict;
      if (verdict === 'overwritten') {
        report.overwrites++;
        report.console.overwritten++;
        report.problems.push({
          run,
          kind: 'overwrote an unplanned change',
          detail: `${outcome.console.address}: ${outcome.console.detail}`,
        });
      } else if (verdict === 'refused') report.console.refused++;
      else report.console.notReached++;
    }
    report.spuriousConflicts += outcome.spurious.length;
    if (outcome.spurious.length > 0) report.spuriousRuns.push(run);
    if (outcome.applies === MAX_APPLIES && outcome.converged) report.needsCleanApply++;
    report.applies[outcome.applies] = (report.applies[outcome.applies] ?? 0) + 1;
    for (const f of outcome.failures) report.failures[f] = (report.failures[f] ?? 0) + 1;
    for (const [kind, n] of Object.entries(outcome.faultsFired))
      report.faultsFired[kind] = (report.faultsFired[kind] ?? 0) + n;
    for (const [key, n] of Object.entries(outcome.writeFaults))
      report.writeFaults[key] = (report.writeFaults[key] ?? 0) + n;
    report.requests += outcome.requests ?? 0;
    onRun?.(outcome, world);
  }
  return report;
}
