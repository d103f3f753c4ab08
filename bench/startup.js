// Issue 8.4 — start-up. `appstore-release --help` and `validate` on the example manifest, each a new
// process, against `node -e 0` measured in the same run (DESIGN: "--help and validate start fast:
// load heavy modules only when a command needs them").
//
//   npm run build && node bench/startup.js [--quick]
//
// "Cold" here means a new node process each time, with nothing shared but the OS page cache; the
// first run of each command is reported on its own, as the closest to a cold cache this can get
// without dropping the machine's caches.
import { join } from 'node:path';
import { runMeasured } from './lib/peak-rss.js';
import { isQuick, log, median, ms, ratio, table } from './lib/report.js';
import { PROJECT_ROOT } from './lib/workspace.js';

const RUNS = isQuick() ? 5 : 15;
const cli = join(PROJECT_ROOT, 'bin/appstore-release.js');
const commands = [
  { name: '`node -e 0` (baseline)', args: ['-e', '0'] },
  { name: '`appstore-release --help`', args: [cli, '--help'] },
  {
    name: '`appstore-release validate` (the example)',
    args: [cli, 'validate', '-f', 'appstore.release.example.yaml'],
  },
];

// Round-robin, so that whatever else the machine does hits the three commands alike.
const samples = commands.map(() => ({ times: [], rss: [] }));
for (let i = 0; i < RUNS; i++) {
  for (const [index, command] of commands.entries()) {
    if (i === 0) log(`start-up: ${command.name}`);
    const run = await runMeasured(process.execPath, command.args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    if (run.code !== 0) throw new Error(`${command.name} exited with ${run.code}: ${run.stderr}`);
    samples[index].times.push(run.wallMs);
    if (run.maxRssKiB !== undefined) samples[index].rss.push(run.maxRssKiB);
  }
}
const results = commands.map((command, index) => {
  const { times, rss } = samples[index];
  return {
    name: command.name,
    first: times[0],
    median: median(times),
    fastest: Math.min(...times),
    rss: rss.length > 0 ? median(rss) : undefined,
  };
});

const baseline = results[0];
console.log('## 4. Start-up\n');
console.log(
  `${RUNS} runs of each command, each a new process (wall time from spawn to exit, as seen by the parent), ` +
    'the three commands taking turns (so background load hits them alike). Peak RSS from `/usr/bin/time -v` (n/a when it is not installed).\n',
);
console.log(
  table(
    [
      'command',
      'first run',
      'median',
      'fastest',
      'median − node -e 0',
      'median ÷ node -e 0',
      'peak RSS (median)',
    ],
    results.map((r) => [
      r.name,
      ms(r.first),
      ms(r.median),
      ms(r.fastest),
      r === baseline ? '–' : ms(r.median - baseline.median),
      r === baseline ? '–' : ratio(r.median, baseline.median),
      r.rss === undefined ? 'n/a' : `${(r.rss / 1024).toFixed(1)} MiB`,
    ]),
  ),
);
console.log('');
