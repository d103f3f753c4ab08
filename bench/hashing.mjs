// sha256File against coreutils' sha256sum on the same 500 MB file, in the same run (so the same page
// cache and CPU). The target: within reach of sha256sum, with flat memory.
//
//   npm run build && node bench/hashing.mjs [sizeMiB]
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256File } from '../dist/hashing/index.js';

const sizeMiB = Number(process.argv[2] ?? 500);
const CHUNK = 1024 * 1024;

async function writeFileOfSize(path, bytes) {
  const chunk = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i++) chunk[i] = (i * 131 + 17) & 0xff;
  const file = await open(path, 'w');
  try {
    for (let left = bytes; left > 0; left -= CHUNK) {
      await file.write(chunk, 0, Math.min(CHUNK, left));
    }
  } finally {
    await file.close();
  }
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const dir = await mkdtemp(join(tmpdir(), 'bench-hashing-'));
try {
  const path = join(dir, 'blob.bin');
  const bytes = sizeMiB * 1024 * 1024;
  await writeFileOfSize(path, bytes);
  const rssBefore = process.memoryUsage().rss;

  const ours = await timed(() => sha256File(path));
  const rssAfter = process.memoryUsage().rss;
  let coreutils;
  try {
    coreutils = await timed(
      async () => (await promisify(execFile)('sha256sum', [path])).stdout.split(' ')[0],
    );
  } catch (error) {
    coreutils = { value: `unavailable (${error.code ?? error.message})`, ms: Number.NaN };
  }

  const throughput = (ms) => (Number.isNaN(ms) ? 'n/a' : `${(sizeMiB / (ms / 1000)).toFixed(0)} MiB/s`);
  console.log(`## sha256 of a ${sizeMiB} MiB file\n`);
  console.log('| hasher | time | throughput |');
  console.log('| --- | --- | --- |');
  console.log(
    `| sha256File (node:crypto, 1 MiB stream) | ${ours.ms.toFixed(0)} ms | ${throughput(ours.ms)} |`,
  );
  console.log(
    `| sha256sum (coreutils) | ${Number.isNaN(coreutils.ms) ? 'n/a' : `${coreutils.ms.toFixed(0)} ms`} | ${throughput(coreutils.ms)} |`,
  );
  console.log('');
  console.log(
    `digests equal: ${ours.value.sha256 === coreutils.value ? 'yes' : `no (${coreutils.value})`}; size ${ours.value.size} bytes;`,
  );
  console.log(`RSS growth while hashing: ${((rssAfter - rssBefore) / 1024 / 1024).toFixed(1)} MiB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
