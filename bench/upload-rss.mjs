// Peak RSS of the client while it uploads a 1 GiB APK to the emulator: uploads stream from disk, so
// memory must not grow with the file (target: < 100 MB above the baseline). The emulator runs in a
// child process so its own buffers are not counted. Both upload paths are measured: the simple one
// (PUT …/apks/{id}/replace) and large upload + attach (POST …/apks/large/upload).
//
//   npm run build && node bench/upload-rss.mjs [sizeMiB]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppstoreApi } from '../dist/remote/index.js';
import { writeZip } from '../scripts/fixtures/zip-writer.mjs';

const sizeMiB = Number(process.argv[2] ?? 1024);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APP_ID = 'amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef';
const APK_ID = 'M8FYZDFK0GJG0';
const MiB = 1024 * 1024;

/** The emulator, demo seed, in its own process; resolves with its URLs. */
function startEmulatorProcess() {
  const script = `
    import { startEmulator } from ${JSON.stringify(join(ROOT, 'dist/emulator/index.js'))};
    const emulator = await startEmulator({
      seedFile: ${JSON.stringify(join(ROOT, 'fixtures/seeds/demo.json'))},
      largeUploadReadyAfterMs: 200,
    });
    process.stdout.write(JSON.stringify({ apiUrl: emulator.apiUrl, tokenUrl: emulator.tokenUrl }) + '\\n');
    process.on('SIGTERM', () => emulator.close().then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n')) resolve({ child, ...JSON.parse(line) });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

/** Samples RSS every 10 ms while `fn` runs; returns the peak and fn's result. */
async function peakRss(fn) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const started = performance.now();
    const value = await fn();
    return { value, peak: Math.max(peak, process.memoryUsage().rss), ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

const dir = await mkdtemp(join(tmpdir(), 'bench-upload-rss-'));
const emulator = await startEmulatorProcess();
try {
  // Two real APKs (versionCodes 101 and 120) padded with a stored entry, streamed to disk.
  const replacePath = join(dir, 'replace-v101.apk');
  const largePath = join(dir, 'large-v120.apk');
  await writeZip(replacePath, [{ name: 'assets/payload.bin', size: sizeMiB * MiB }], {
    base: join(ROOT, 'fixtures/apks/plain-v101.apk'),
  });
  await writeZip(largePath, [{ name: 'assets/payload.bin', size: sizeMiB * MiB }], {
    base: join(ROOT, 'fixtures/apks/native-v120.apk'),
  });
  const replaceFile = { path: replacePath, size: (await stat(replacePath)).size };
  const largeFile = { path: largePath, size: (await stat(largePath)).size };

  const api = createAppstoreApi({
    apiUrl: emulator.apiUrl,
    tokenUrl: emulator.tokenUrl,
    credentials: { clientId: 'amzn1.application-oa2-client.demo', clientSecret: 'amzn1.oa2-cs.v1.demo' },
    attachPoll: { initialDelayMs: 250 },
  });
  // Warm up (token, connection, code paths) before taking the baseline.
  const created = await api.createEdit(APP_ID);
  const edit = { appId: APP_ID, editId: created.value.id };
  await api.listApks(edit);
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;

  const rows = [];
  const apk = await api.getApk(edit, APK_ID);
  const replaced = await peakRss(() => api.replaceApk(edit, APK_ID, replaceFile, apk.etag));
  rows.push({
    path: 'replace (PUT, simple)',
    result: replaced,
    size: replaceFile.size,
    versionCode: replaced.value.versionCode,
  });
  const large = await peakRss(() => api.uploadApk(edit, largeFile));
  rows.push({
    path: 'large upload + attach',
    result: large,
    size: largeFile.size,
    versionCode: large.value.versionCode,
  });
  api.close();

  console.log(`upload RSS, ${sizeMiB} MiB APKs, baseline RSS ${(baseline / MiB).toFixed(1)} MiB`);
  for (const row of rows) {
    const growth = (row.result.peak - baseline) / MiB;
    const rate = row.size / MiB / (row.result.ms / 1000);
    console.log(
      `  ${row.path.padEnd(24)} peak growth ${growth.toFixed(1).padStart(6)} MiB  ` +
        `${(row.result.ms / 1000).toFixed(1)} s  ${rate.toFixed(0)} MiB/s  versionCode ${row.versionCode}  ` +
        `${growth < 100 ? 'ok (< 100 MB)' : 'OVER 100 MB'}`,
    );
  }
} finally {
  emulator.child.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}
