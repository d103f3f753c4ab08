// Issue 8.1 — request minimality. For a matrix of changes on a 1-locale and a 20-locale app: the
// requests and bytes `apply` sends, against (a) the theoretical minimum computed from the plan and
// (b) a naive tool that re-uploads every APK and image and PUTs every listing.
//
//   npm run build && node bench/request-minimality.js [--quick]
//
// Each row starts a fresh emulator from the same converged state (a real apply of the base manifest),
// plans the changed manifest, applies it, and plans again (which must show no changes).
import { apply } from '../dist/apply/executor.js';
import { makePlan } from '../dist/engine/make-plan.js';
import { APK_BYTES, appManifest, EXTRA_LOCALE, LOCALES_20, SCREENSHOT_BYTES } from './lib/app-model.js';
import { appFiles, appWorkspace, convergedApp, load } from './lib/converged-app.js';
import { bytes, isQuick, log, ratio, table } from './lib/report.js';
import { loggedRequests, startSession } from './lib/session.js';

const quick = isQuick();

/** The rows: a name and the manifest variation (see appManifest) for the given locales. */
function changes(locales) {
  const first = locales[0];
  const last = locales.at(-1);
  const newLocale = locales.length === 1 ? 'de-DE' : EXTRA_LOCALE;
  const allNotes = { releaseNotes: ' in 1.1' };
  const oneField = { titleOf: { [last]: `Acme Notes ${last} 1.1` } };
  const newApk = { apkVersion: 101 };
  const screenshot = { screenshotsOf: { [first]: [1, 2, 4] } };
  return [
    { name: 'nothing', locales, change: {} },
    { name: 'release notes only (every locale)', locales, change: allNotes },
    { name: 'one field in one locale', locales, change: oneField },
    { name: 'new APK', locales, change: newApk },
    { name: 'one screenshot added', locales, change: { screenshotsOf: { [first]: [1, 2, 3, 4] } } },
    { name: 'one screenshot replaced', locales, change: screenshot },
    { name: 'a new locale', locales: [...locales, newLocale], change: {} },
    {
      name: 'everything',
      locales: [...locales, newLocale],
      change: { ...allNotes, ...oneField, ...newApk, ...screenshot, contactEmail: 'support@acme.example' },
    },
  ];
}

const jsonBytes = (value) => Buffer.byteLength(JSON.stringify(value));

/**
 * The theoretical minimum for a plan: per changed resource (address) one GET, for its ETag and to
 * check it is as planned, plus one write per API call the change needs (a list replace is a
 * delete-all and one upload per file). No edit calls (the edit is open) and no commit (not asked).
 */
export function minimumFor(plan) {
  const addresses = new Set();
  let writes = 0;
  let sent = 0;
  for (const action of plan.actions) {
    if (action.kind === 'create-edit') continue;
    addresses.add(action.address);
    switch (action.kind) {
      case 'replace-apk':
      case 'upload-apk':
        writes += 1;
        sent += action.after.file.size;
        break;
      case 'upload-image':
      case 'upload-video':
        writes += 1;
        sent += action.file.size;
        break;
      case 'replace-image-list':
      case 'replace-video-list':
        writes += 1 + action.after.length;
        sent += action.after.reduce((sum, file) => sum + file.size, 0);
        break;
      case 'put-listing':
      case 'put-details':
      case 'put-availability':
      case 'update-targeting':
        writes += 1;
        sent += jsonBytes(action.body);
        break;
      default:
        writes += 1;
    }
  }
  return { gets: addresses.size, writes, requests: addresses.size + writes, bytes: sent };
}

/**
 * The naive tool, computed from the manifest: a token and the open edit, then for each APK a GET and
 * a replace with its bytes; for each listing a GET and a PUT of the whole listing; for each managed
 * image or video list a GET, a delete-all and one upload per file; details and availability (when
 * managed) a GET and a PUT. It sends the same whatever changed.
 */
export function naiveFor(manifest) {
  let requests = 2;
  let sent = 0;
  for (const apk of manifest.apks) {
    requests += 2;
    sent += apk.file.size;
  }
  for (const listing of manifest.listings) {
    requests += 2;
    sent += jsonBytes({ language: listing.locale, ...listing.text });
    const lists = [
      ...Object.values(listing.images),
      ...(listing.videos === undefined ? [] : [listing.videos]),
    ];
    for (const files of lists) {
      requests += 2 + files.length;
      sent += files.reduce((sum, file) => sum + file.size, 0);
    }
  }
  if (manifest.details !== undefined) {
    requests += 2;
    sent += jsonBytes(manifest.details);
  }
  if (manifest.availability !== undefined) {
    requests += 2;
    sent += jsonBytes(manifest.availability);
  }
  return { requests, bytes: sent };
}

async function measureRow(base, filesDir, row) {
  const session = await startSession({ seed: base.seed, idSeed: `row-${row.name}` });
  const workspace = appWorkspace(filesDir, appManifest(row.locales, row.change), base.state);
  try {
    const manifest = await load(workspace);
    const { emulator, api } = session;
    emulator.store.clearRequests();
    const { plan } = await makePlan(manifest, api);
    const planned = loggedRequests(emulator);
    emulator.store.clearRequests();
    const result = await apply({ api, manifest, plan });
    const applied = loggedRequests(emulator);
    if (!result.ok) throw new Error(`${row.name}: apply failed: ${JSON.stringify(result.outcomes)}`);
    const again = await makePlan(manifest, api);
    return {
      name: row.name,
      actions: plan.actions.length,
      plan: planned,
      apply: applied,
      minimum: minimumFor(plan),
      naive: naiveFor(manifest),
      converged: again.plan.actions.length === 0,
    };
  } finally {
    workspace.cleanup();
    await session.close();
  }
}

async function measureApp(filesDir, locales) {
  log(`request minimality: converging the ${locales.length}-locale app`);
  const base = await convergedApp(filesDir, locales);
  const rows = [];
  for (const row of changes(locales)) {
    log(`request minimality: ${locales.length} locale(s), ${row.name}`);
    rows.push(await measureRow(base, filesDir, row));
  }
  return rows;
}

function sectionFor(locales, rows) {
  const title = `### ${locales.length === 1 ? '1-locale' : `${locales.length}-locale`} app`;
  const againstMinimum = table(
    [
      'change',
      'actions',
      'apply requests (GET + write)',
      'minimum (GET + write)',
      'ratio',
      'apply bytes',
      'minimum',
      'ratio',
      'then No changes.',
    ],
    rows.map((r) => [
      r.name,
      r.actions,
      `${r.apply.count} (${r.apply.gets} + ${r.apply.count - r.apply.gets})`,
      `${r.minimum.requests} (${r.minimum.gets} + ${r.minimum.writes})`,
      ratio(r.apply.count, r.minimum.requests),
      bytes(r.apply.bytes),
      bytes(r.minimum.bytes),
      ratio(r.apply.bytes, r.minimum.bytes),
      r.converged ? 'yes' : '**no**',
    ]),
  );
  const againstNaive = table(
    [
      'change',
      'plan + apply requests',
      'naive',
      'naive ÷ ours',
      'plan + apply bytes',
      'naive',
      'naive ÷ ours',
    ],
    rows.map((r) => {
      const ours = { requests: r.plan.count + r.apply.count, bytes: r.plan.bytes + r.apply.bytes };
      return [
        r.name,
        ours.requests,
        r.naive.requests,
        ratio(r.naive.requests, ours.requests),
        bytes(ours.bytes),
        bytes(r.naive.bytes),
        ratio(r.naive.bytes, ours.bytes),
      ];
    }),
  );
  return `${title}\n\nAgainst the minimum (apply alone):\n\n${againstMinimum}\n\nAgainst the naive tool (what \`apply --auto-approve\` sends in all, plan reads and token included):\n\n${againstNaive}\n`;
}

const files = await appFiles({ apkBytes: quick ? APK_BYTES / 8 : APK_BYTES });
try {
  const apps = quick ? [['en-US'], LOCALES_20.slice(0, 5)] : [['en-US'], LOCALES_20];
  const sections = [];
  for (const locales of apps) sections.push(sectionFor(locales, await measureApp(files.dir, locales)));
  const apkSize = quick ? APK_BYTES / 8 : APK_BYTES;
  console.log(`## 1. Request minimality\n`);
  console.log(
    `Each row: a fresh emulator holding the converged app, \`plan\` of the changed manifest, \`apply\`, then \`plan\` again. ` +
      `Requests and bytes are what the emulator received (request bodies; token requests included, headers not). ` +
      `Files: APK ${bytes(apkSize)}, screenshots ${bytes(SCREENSHOT_BYTES)} each (3 per locale), icons 226 B and 64 KiB.\n`,
  );
  console.log(
    '*Minimum*: per changed resource one GET (its ETag, and the check that it is as planned) plus one write per API call the change needs ' +
      '(a list replace is a delete-all and one upload per file, as the API has no reorder call); the edit is open and no commit is asked, so no edit or commit calls. ' +
      '*Naive*: a token and the open edit, then for each APK a GET and a replace with its bytes, for each listing a GET and a PUT, ' +
      'for each image list a GET, a delete-all and one upload per file, for details a GET and a PUT — computed from the manifest and the file sizes, the same for every row. ' +
      'Where apply sends more than the minimum, the GET + write split shows where: the executor re-reads its target before every write (DESIGN decision 8), each upload into the same list included.\n',
  );
  console.log(sections.join('\n'));
} finally {
  await files.cleanup();
}
