// Streams a large APK (1 GB by default) to the emulator's large-upload endpoint and reports throughput
// and how much the process's RSS grew meanwhile. The emulator must hash and spool uploads without
// holding them: growth above 100 MB fails the run (exit 1).
//
//   npm run build && node bench/emulator-upload.mjs [--size 1g] [--mode apk|header]
//
// --mode apk (default): a real zip — a fixture APK's entries behind one stored 1 GB entry — so the
//   emulator spools to disk and parses it with the project's APK reader, as for a real upload.
// --mode header: arbitrary bytes plus the emulator-only X-Emulator-Version-Code header (no parsing,
//   nothing written to disk): the pure network + hashing path.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { crc32 } from 'node:zlib';
import { startEmulator } from '../dist/emulator/index.js';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '1g' }, mode: { type: 'string', default: 'apk' } },
});
const units = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const match = /^(\d+)([kmg])?$/i.exec(values.size);
if (!match) throw new Error(`--size: use e.g. 1g, 300m (got ${values.size})`);
const SIZE = Number(match[1]) * (units[match[2]?.toLowerCase()] ?? 1);
const LIMIT = 100 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const root = new URL('../', import.meta.url);
const APP_ID = 'amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef';

// One pseudo-random megabyte, repeated: incompressible enough, and its CRC can be precomputed.
const block = Buffer.alloc(CHUNK);
for (let i = 0, x = 2463534242; i < CHUNK; i += 1) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  block[i] = x & 0xff;
}

function* blob(size) {
  for (let sent = 0; sent < size; sent += CHUNK)
    yield sent + CHUNK <= size ? block : block.subarray(0, size - sent);
}

/** A zip with a stored entry of `size` bytes first, then every entry of `apk` (offsets shifted). */
function bigApk(apk, size) {
  const eocd = apk.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = apk.readUInt16LE(eocd + 10);
  const cdSize = apk.readUInt32LE(eocd + 12);
  const cdOffset = apk.readUInt32LE(eocd + 16);
  let crc = 0;
  for (const chunk of blob(size)) crc = crc32(chunk, crc);
  const name = Buffer.from('assets/blob.bin');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x21, 12); // 1980-01-01
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(size, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const shift = 30 + name.length + size;
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(size, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const directory = Buffer.from(apk.subarray(cdOffset, cdOffset + cdSize));
  for (let at = 0, n = 0; n < entries; n += 1) {
    directory.writeUInt32LE(directory.readUInt32LE(at + 42) + shift, at + 42);
    at +=
      46 +
      directory.readUInt16LE(at + 28) +
      directory.readUInt16LE(at + 30) +
      directory.readUInt16LE(at + 32);
  }
  const end = Buffer.from(apk.subarray(eocd, eocd + 22));
  end.writeUInt16LE(entries + 1, 8);
  end.writeUInt16LE(entries + 1, 10);
  end.writeUInt32LE(cdSize + 46 + name.length, 12);
  end.writeUInt32LE(cdOffset + shift, 16);
  const head = Buffer.concat([local, name]);
  const tail = Buffer.concat([apk.subarray(0, cdOffset), central, name, directory, end]);
  return {
    length: head.length + size + tail.length,
    stream: () =>
      Readable.from(
        (function* () {
          yield head;
          yield* blob(size);
          yield tail;
        })(),
      ),
  };
}

const seed = JSON.parse(readFileSync(new URL('fixtures/seeds/demo.json', root), 'utf8'));
const emulator = await startEmulator({ seed, largeUploadReadyAfterMs: 0 });
try {
  const tokenResponse = await fetch(emulator.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'amzn1.application-oa2-client.demo',
      client_secret: 'amzn1.oa2-cs.v1.demo',
      scope: 'appstore::apps:readwrite',
    }),
  });
  const { access_token: token } = await tokenResponse.json();
  const auth = { authorization: `Bearer ${token}` };
  const app = `${emulator.apiUrl}/v1/applications/${APP_ID}`;
  const edit = await (await fetch(`${app}/edits`, { method: 'POST', headers: auth })).json();

  const body =
    values.mode === 'header'
      ? {
          length: SIZE,
          stream: () => Readable.from(blob(SIZE)),
          headers: { 'x-emulator-version-code': '900' },
        }
      : { ...bigApk(readFileSync(new URL('fixtures/apks/plain-v103.apk', root)), SIZE), headers: {} };

  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  const started = performance.now();
  const uploaded = await new Promise((resolve, reject) => {
    const req = request(
      `${app}/edits/${edit.id}/apks/large/upload`,
      {
        method: 'POST',
        headers: {
          ...auth,
          ...body.headers,
          'content-type': 'application/vnd.android.package-archive',
          'content-length': String(body.length),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    body.stream().pipe(req);
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const attached = await (
    await fetch(`${app}/edits/${edit.id}/apks/attach`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(uploaded),
    })
  ).json();
  const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const growth = peak - baseline;
  console.log(`mode:        ${values.mode}`);
  console.log(`uploaded:    ${mb(body.length)} in ${seconds.toFixed(2)} s (${mb(body.length / seconds)}/s)`);
  console.log(`attached:    versionCode ${attached.versionCode} (${attached.name})`);
  console.log(
    `RSS:         ${mb(baseline)} before, ${mb(peak)} peak, growth ${mb(growth)} (limit ${mb(LIMIT)})`,
  );
  if (growth > LIMIT) {
    console.error('FAIL: RSS grew more than the limit.');
    process.exitCode = 1;
  }
} finally {
  await emulator.close();
}
