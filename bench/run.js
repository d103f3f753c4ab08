// `npm run bench`: runs every benchmark under bench/, each in its own node process (so their memory
// does not mix), and writes bench/REPORT.md: the machine, then each benchmark's Markdown section.
// Every figure that matters sits next to a baseline measured in the same run, because absolute times
// vary between machines.
//
//   npm run bench                    full run, writes bench/REPORT.md (about 5 minutes on 2 cores)
//   node bench/run.js --quick        smaller sizes (100 MiB files, 20 soak runs), for development;
//                                    writes to the temp folder unless --out FILE is given
//   node bench/run.js --only soak    one benchmark (name without .js / .mjs), printed, not saved
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, freemem, release, tmpdir, totalmem, type } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasGnuTime } from './lib/peak-rss.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const quick = process.argv.includes('--quick');
const argument = (name) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
};
const only = argument('--only');
const out =
  argument('--out') ?? (quick ? join(tmpdir(), 'appstore-release-REPORT-quick.md') : join(here, 'REPORT.md'));

/** In report order; `args` are passed after the script (and --quick is passed to the ones that take it). */
const BENCHMARKS = [
  { file: 'request-minimality.js', takesQuick: true },
  { file: 'plan-latency.js', takesQuick: true },
  { file: 'apply-upload.js', takesQuick: true },
  { file: 'startup.js', takesQuick: true },
  { file: 'soak.js', takesQuick: true },
  { file: 'hashing.mjs', args: [quick ? '100' : '500'], title: '## 6. Hashing (from bench/hashing.mjs)' },
  {
    file: 'apk-reader.mjs',
    args: [quick ? '100' : '500'],
    title: '## 7. APK reader (from bench/apk-reader.mjs)',
  },
];

function runBenchmark(bench) {
  const args = [
    join(here, bench.file),
    ...(bench.args ?? []),
    ...(quick && bench.takesQuick ? ['--quick'] : []),
  ];
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => {
      stderr.push(chunk);
      process.stderr.write(chunk);
    });
    child.on('close', (code) => {
      resolve({
        code,
        seconds: Number(process.hrtime.bigint() - start) / 1e9,
        stdout: Buffer.concat(stdout).toString('utf8').trim(),
        stderr: Buffer.concat(stderr).toString('utf8').trim(),
      });
    });
  });
}

/** The existing scripts print an `## …` heading of their own; give them their number in the report. */
function section(bench, result) {
  let text = result.stdout;
  if (bench.title !== undefined) text = text.replace(/^## .*$/m, bench.title);
  if (result.code !== 0) {
    const tail = result.stderr.split('\n').slice(-15).join('\n');
    text = `${bench.title ?? `## ${bench.file}`}\n\n**Failed** (exit code ${result.code}):\n\n\`\`\`\n${tail}\n\`\`\`\n\n${text}`;
  }
  return `${text}\n\n<sub>${bench.file}: ${result.seconds.toFixed(1)} s</sub>\n`;
}

function machine(totalSeconds) {
  const cpu = cpus();
  const rows = [
    ['date', new Date().toISOString()],
    ['mode', quick ? 'quick (`--quick`: smaller files, fewer runs)' : 'full'],
    ['Node', process.version],
    ['CPU', `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}`],
    [
      'memory',
      `${(totalmem() / 1024 ** 3).toFixed(1)} GiB (${(freemem() / 1024 ** 3).toFixed(1)} GiB free at the end)`,
    ],
    ['OS', `${type()} ${release()} ${process.arch}`],
    ['GNU time (peak RSS)', hasGnuTime() ? '/usr/bin/time' : 'not installed: peak RSS figures are n/a'],
    ['total time', `${totalSeconds.toFixed(0)} s`],
  ];
  return `| | |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}`;
}

const NOTES = `## Notes on method

- Every benchmark runs in its own node process, started by \`bench/run.js\`, against the built code in \`dist/\`
  (\`npm run bench\` builds first) and the project's emulator on 127.0.0.1, started in that process.
- Baselines are measured in the same run, on the same machine: the theoretical minimum and a naive tool (1),
  the same reads one at a time and the dependent-chain bound (2), \`curl -T\` and \`node -e 0\` (3, 4),
  \`sha256sum\` (6), an empty node process (7). Ratios are the figures to compare between machines.
- The soak's logic lives once, in \`bench/lib/soak.js\` (plain JS, no product imports: the engine is passed
  in). \`bench/soak.js\` runs it 200 times over \`dist/\`; \`test/soak/soak.test.ts\` runs it 10 times over
  \`src/\` in \`npm test\`, with two more tests proving that its checks catch a duplicate upload and an
  overwritten Console change. A TypeScript module could not be run by the plain-node benchmarks, and a
  copy in each place would drift.
- \`npm test\` makes no timing assertions; nothing in this report is asserted except the soak's counts.
`;

/**
 * The project's lint (`biome ci .`) formats Markdown too: pad the tables as Biome does, so the
 * committed report passes it. Without Biome (or outside the project) the report stays as written.
 */
function formatWithBiome(path) {
  const biome = join(here, '../node_modules/.bin/biome');
  if (!existsSync(biome) || relative(join(here, '..'), path).startsWith('..')) return;
  spawnSync(biome, ['format', '--write', path], { cwd: join(here, '..'), stdio: 'ignore' });
}

const started = process.hrtime.bigint();
const selected =
  only === undefined ? BENCHMARKS : BENCHMARKS.filter((b) => b.file.replace(/\.m?js$/, '') === only);
if (selected.length === 0) {
  process.stderr.write(`No benchmark named ${only}; one of ${BENCHMARKS.map((b) => b.file).join(', ')}\n`);
  process.exit(1);
}
const sections = [];
let failed = 0;
for (const bench of selected) {
  process.stderr.write(`\n== ${bench.file}\n`);
  const result = await runBenchmark(bench);
  if (result.code !== 0) failed++;
  sections.push(section(bench, result));
}
const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;

const report = `# Benchmark report

What \`npm run bench\` measured on this machine: the claims of DESIGN.md ("What fast means here") and the
safety of \`apply\` under faults, each next to a baseline measured in the same run.

${machine(totalSeconds)}

${sections.join('\n')}
${NOTES}`;

if (only !== undefined) {
  process.stdout.write(`${sections.join('\n')}\n`);
} else {
  writeFileSync(out, report);
  formatWithBiome(out);
  process.stderr.write(
    `\nWrote ${out} (${totalSeconds.toFixed(0)} s${failed > 0 ? `, ${failed} benchmark(s) failed` : ''})\n`,
  );
}
process.exitCode = failed > 0 ? 1 : 0;
