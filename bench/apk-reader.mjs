// How long readApk takes on a 500 MB APK, how much of it it reads, and how much memory it needs.
// The claim under test (DESIGN.md decision 5): the reader touches only the central directory and the
// manifest, so time, bytes read and RSS do not grow with the APK's size.
//
//   npm run build && node bench/apk-reader.mjs [sizeMiB]
//
// The read runs in a child process so its peak RSS is not mixed with the cost of writing the file.
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const RUNS = 5;

async function measure(path) {
  const { readApk } = await import('../dist/apk/index.js');
  let bytesRead = 0;
  let reads = 0;
  const countingOpen = async (p) => {
    const handle = await open(p, 'r');
    return {
      read: async (buffer, offset, length, position) => {
        const result = await handle.read(buffer, offset, length, position);
        bytesRead += result.bytesRead;
        reads += 1;
        return result;
      },
      stat: () => handle.stat(),
      close: () => handle.close(),
    };
  };
  const times = [];
  let info;
  for (let i = 0; i < RUNS; i++) {
    bytesRead = 0;
    reads = 0;
    const start = process.hrtime.bigint();
    info = await readApk(path, { open: countingOpen });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const result = {
    versionCode: info.versionCode,
    fastestMs: times[0],
    medianMs: times[Math.floor(times.length / 2)],
    bytesRead,
    reads,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(JSON.stringify(result));
}

async function main() {
  const sizeMiB = Number(process.argv[2] ?? 500);
  const { writeZip } = await import('../scripts/fixtures/zip-writer.mjs');
  const dir = await mkdtemp(join(tmpdir(), 'bench-apk-reader-'));
  try {
    const path = join(dir, 'big.apk');
    const writeStart = process.hrtime.bigint();
    const size = await writeZip(path, [{ name: 'assets/big-asset.bin', size: sizeMiB * 1024 * 1024 }], {
      base: join(here, '../fixtures/apks/native-v120.apk'),
    });
    const writeMs = Number(process.hrtime.bigint() - writeStart) / 1e6;

    const baseline = JSON.parse(
      execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))']),
    );
    const r = JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', path]));
    const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
    console.log(`## readApk on a ${mib(size)} MiB APK (${RUNS} runs)\n`);
    console.log('| metric | value |');
    console.log('| --- | --- |');
    console.log(`| APK size | ${mib(size)} MiB (written in ${(writeMs / 1000).toFixed(1)} s) |`);
    console.log(`| versionCode read | ${r.versionCode} |`);
    console.log(`| wall time, fastest | ${r.fastestMs.toFixed(2)} ms |`);
    console.log(`| wall time, median | ${r.medianMs.toFixed(2)} ms |`);
    console.log(
      `| bytes read per run | ${r.bytesRead} (${r.reads} reads, ${((100 * r.bytesRead) / size).toFixed(4)} % of the file) |`,
    );
    console.log(`| peak RSS of the reading process | ${mib(r.maxRssKiB * 1024)} MiB |`);
    console.log(`| peak RSS of an empty node process | ${mib(baseline * 1024)} MiB |`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--measure') await measure(process.argv[3]);
else await main();
