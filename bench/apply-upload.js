// Issue 8.3 — uploads. A 1 GiB APK-like file (a real fixture APK plus a big stored entry, so the
// emulator parses it for real) through `appstore-release apply --auto-approve` to the emulator:
// throughput against `curl -T` of the same file to the same endpoint in the same run, and the CLI
// process's peak RSS (`/usr/bin/time -v`) against an empty node process.
//
//   npm run build && node bench/apply-upload.js [--quick]      (--quick: 100 MiB)
//
// At or above 300 MB the client uses large upload + attach; the emulator is told the upload is ready
// at once, so attach does not wait. The emulator runs in this process; the CLI and curl are children.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../dist/emulator/index.js';
import { writeZip } from '../scripts/fixtures/zip-writer.mjs';
import { APP_ID } from './lib/app-model.js';
import { hasGnuTime, runMeasured } from './lib/peak-rss.js';
import { bytes, isQuick, log, ms, since, table } from './lib/report.js';
import { cliEnv } from './lib/session.js';
import { FIXTURES, PROJECT_ROOT } from './lib/workspace.js';

const quick = isQuick();
const SIZE_MIB = Number(process.env.BENCH_UPLOAD_MIB ?? (quick ? 100 : 1024));
const ROUNDS = quick ? 1 : 3;
const APK_CONTENT_TYPE = 'application/vnd.android.package-archive';
const CURL = process.env.BENCH_CURL ?? 'curl';

/** A first release: the app has an open edit and no APK, so the manifest's APK is a new upload. */
const seed = {
  apps: [
    {
      appId: APP_ID,
      state: 'NOT_PUBLISHED',
      live: null,
      openEdit: {
        status: 'IN_PROGRESS',
        snapshot: { apks: [], listings: {}, details: { defaultLanguage: 'en-US' } },
      },
    },
  ],
};

async function fetchToken(emulator) {
  const env = cliEnv(emulator);
  const response = await fetch(emulator.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: env.AMAZON_APPSTORE_CLIENT_ID,
      client_secret: env.AMAZON_APPSTORE_CLIENT_SECRET,
      scope: 'appstore::apps:readwrite',
    }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return (await response.json()).access_token;
}

/** The request the emulator logged for `operation` in the last run (server-side duration and bytes). */
function logged(emulator, operations) {
  return emulator.store.requests().find((entry) => operations.includes(entry.operation));
}

/** No curl on this machine: the baseline reads n/a rather than failing the benchmark. */
const hasCurl = spawnSync(CURL, ['--version']).error === undefined;

async function curlUpload(emulator, dir, apkPath, size) {
  if (!hasCurl) return { wallMs: Number.NaN, uploadMs: Number.NaN, bytesIn: Number.NaN, rss: undefined };
  const editId = emulator.store.app(APP_ID).openEdit.id;
  const endpoint = size >= 300 * 1024 * 1024 ? 'apks/large/upload' : 'apks/upload';
  const url = `${emulator.apiUrl}/v1/applications/${APP_ID}/edits/${editId}/${endpoint}`;
  // The token goes through a header file, so it never appears in a process list or a log.
  const headers = join(dir, 'curl-headers.txt');
  await writeFile(headers, `Authorization: Bearer ${await fetchToken(emulator)}\n`, { mode: 0o600 });
  emulator.store.clearRequests();
  const run = await runMeasured(
    CURL,
    [
      '--silent',
      '--show-error',
      '--fail',
      '--output',
      '/dev/null',
      '-X',
      'POST',
      '-H',
      `@${headers}`,
      '-H',
      `Content-Type: ${APK_CONTENT_TYPE}`,
      '-H',
      'Expect:',
      '-T',
      apkPath,
      url,
    ],
    {},
  );
  await rm(headers, { force: true });
  if (run.code !== 0) throw new Error(`curl failed (${run.code}): ${run.stderr}`);
  const entry = logged(emulator, ['uploadApk', 'uploadLargeApk']);
  return {
    wallMs: run.wallMs,
    uploadMs: entry?.durationMs ?? Number.NaN,
    bytesIn: entry?.bytesIn ?? 0,
    rss: run.maxRssKiB,
  };
}

async function cliApply(emulator, workspace) {
  emulator.store.reset(); // the same edit as before: no APK yet
  await rm(join(workspace, 'appstore.release.state.json'), { force: true });
  const run = await runMeasured(
    process.execPath,
    [join(PROJECT_ROOT, 'bin/appstore-release.js'), 'apply', '--auto-approve', '--no-color'],
    { cwd: workspace, env: { ...process.env, ...cliEnv(emulator), NO_COLOR: '1' } },
  );
  if (run.code !== 0) throw new Error(`apply failed (${run.code}): ${run.stderr}\n${run.stdout}`);
  const apks = emulator.store.app(APP_ID).openEdit.snapshot.apks;
  if (apks.length !== 1 || apks[0].size !== apkSize) throw new Error('apply did not attach the APK');
  const entry = logged(emulator, ['uploadApk', 'uploadLargeApk']);
  const operations = [...new Set(emulator.store.requests().map((e) => e.operation))];
  return {
    wallMs: run.wallMs,
    uploadMs: entry?.durationMs ?? Number.NaN,
    bytesIn: entry?.bytesIn ?? 0,
    rss: run.maxRssKiB,
    operations,
  };
}

const dir = await mkdtemp(join(tmpdir(), 'appstore-release-bench-upload-'));
let apkSize = 0;
try {
  const apkPath = join(dir, 'big.apk');
  log(`upload: writing a ${SIZE_MIB} MiB APK`);
  const writeStart = process.hrtime.bigint();
  apkSize = await writeZip(apkPath, [{ name: 'assets/payload.bin', size: SIZE_MIB * 1024 * 1024 }], {
    base: join(FIXTURES, 'apks/plain-v101.apk'),
    zip64: SIZE_MIB >= 4000,
  });
  log(`upload: written in ${ms(since(writeStart))}`);
  await writeFile(
    join(dir, 'appstore.release.yaml'),
    `${JSON.stringify({ version: 1, app: { id: APP_ID }, apks: [{ file: 'big.apk' }] }, null, 2)}\n`,
  );
  const emulator = await startEmulator({ seed, largeUploadReadyAfterMs: 0, idSeed: 'bench-upload' });
  const curls = [];
  const clis = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      log(`upload: curl, round ${round + 1}`);
      curls.push(await curlUpload(emulator, dir, apkPath, apkSize));
      log(`upload: appstore-release apply, round ${round + 1}`);
      clis.push(await cliApply(emulator, dir));
    }
  } finally {
    await emulator.close();
  }
  const nodeBaseline = await runMeasured(process.execPath, ['-e', '0']);
  const best = (runs, key) => runs.reduce((a, b) => (b[key] < a[key] ? b : a));
  const curl = best(curls, 'uploadMs');
  const cli = best(clis, 'uploadMs');
  const mibps = (ms) =>
    Number.isFinite(ms) ? `${(apkSize / 1024 / 1024 / (ms / 1000)).toFixed(0)} MiB/s` : 'n/a';
  const rss = (kib) => (kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`);
  const maxRss = (runs) => {
    const values = runs.map((r) => r.rss).filter((v) => v !== undefined);
    return values.length === 0 ? undefined : Math.max(...values);
  };

  console.log('## 3. Uploads\n');
  console.log(
    `A ${bytes(apkSize)} APK (\`plain-v101.apk\` plus a stored ${SIZE_MIB} MiB entry), new to the edit, so \`apply\` uploads it ` +
      `(requests it made: ${cli.operations.filter((o) => o !== null).join(', ')}). Best of ${ROUNDS} round(s), curl and the CLI taking turns. ` +
      '*Upload* is the upload request as the emulator timed it (first byte read to answer sent, parsing included); ' +
      "*wall* is the whole process (for the CLI: start-up, reading and hashing the manifest's files, plan, upload, attach, state file). " +
      'The emulator receives both uploads the same way (hashes the body, writes it to a temp file, parses the APK).\n',
  );
  console.log(
    table(
      ['client', 'upload', 'upload throughput', 'wall', 'bytes the emulator read', 'peak RSS'],
      [
        [
          '`curl -T` (baseline)',
          ms(curl.uploadMs),
          mibps(curl.uploadMs),
          ms(curl.wallMs),
          bytes(curl.bytesIn),
          rss(maxRss(curls)),
        ],
        [
          '`appstore-release apply --auto-approve`',
          ms(cli.uploadMs),
          mibps(cli.uploadMs),
          ms(cli.wallMs),
          bytes(cli.bytesIn),
          rss(maxRss(clis)),
        ],
        ['`node -e 0` (RSS baseline)', '–', '–', ms(nodeBaseline.wallMs), '–', rss(nodeBaseline.maxRssKiB)],
      ],
    ),
  );
  console.log('');
  console.log(
    `CLI upload throughput ÷ curl's: ${Number.isFinite(cli.uploadMs) && Number.isFinite(curl.uploadMs) ? `×${(curl.uploadMs / cli.uploadMs).toFixed(2)}` : 'n/a'}. ` +
      `Peak RSS of the CLI: ${rss(maxRss(clis))} for a ${bytes(apkSize)} file (${hasGnuTime() ? 'GNU time' : 'GNU time is not installed: n/a'}).\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
  spawnSync('sync');
}
