// Issue 8.5 — reliability soak: 200 apply runs of random manifests (fast-check) against the emulator
// with random faults, each followed by a clean plan. The logic is in lib/soak.js (shared with the
// 10-run test in test/soak/); this script feeds it the built engine and prints the report section.
//
//   npm run build && node bench/soak.js [--quick] [--runs N] [--seed S] [--run I] [--verbose]
//
// `--run I` replays run I of seed S alone (with --verbose: its world and outcome as JSON).
import { apply } from '../dist/apply/executor.js';
import { DEMO_CREDENTIAL, DEVICE_CATALOGUE, startEmulator } from '../dist/emulator/index.js';
import { makePlan } from '../dist/engine/make-plan.js';
import { loadManifest } from '../dist/manifest/index.js';
import { createAppstoreApi } from '../dist/remote/index.js';
import { renderPlanHuman } from '../dist/render/plan-human.js';
import { isQuick, log, ms, since, table } from './lib/report.js';
import { DEFAULT_SOAK_SEED, MAX_APPLIES, runSoak } from './lib/soak.js';

const argument = (name) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
};
const runs = Number(argument('--runs') ?? (isQuick() ? 20 : 200));
const seed = Number(argument('--seed') ?? process.env.SOAK_SEED ?? DEFAULT_SOAK_SEED);
const only = argument('--run') === undefined ? undefined : Number(argument('--run'));
const verbose = process.argv.includes('--verbose');

log(`soak: seed ${seed}, ${runs} runs${only === undefined ? '' : `, replaying run ${only} only`}`);
const start = process.hrtime.bigint();
const report = await runSoak({
  lib: {
    apply,
    DEMO_CREDENTIAL,
    DEVICE_CATALOGUE,
    startEmulator,
    makePlan,
    loadManifest,
    createAppstoreApi,
    renderPlanHuman,
  },
  runs: only === undefined ? runs : Math.max(runs, only + 1),
  seed,
  only,
  onRun: (outcome, world) => {
    const bad =
      !outcome.converged || outcome.duplicates.length + outcome.mismatches.length + outcome.errors.length > 0;
    if (verbose) log(JSON.stringify({ world, outcome }, null, 2));
    else if (bad || outcome.run % 20 === 0) log(`soak: run ${outcome.run}${bad ? ' — PROBLEM' : ''}`);
  },
});
const elapsed = since(start);

const count = (record) => Object.entries(record).sort((a, b) => b[1] - a[1]);
console.log('## 5. Reliability soak\n');
console.log(
  `Seed **${report.seed}**, ${report.runs} runs, ${ms(elapsed)} (${report.requests} requests to the emulator). ` +
    `Replay: \`node bench/soak.js --seed ${report.seed} --runs ${runs}\`; one run: \`--run I --verbose\`.\n`,
);
console.log(
  table(
    ['check', 'result', 'must be'],
    [
      ['converged to `No changes.`', `${report.converged} of ${report.runs}`, `${report.runs}`],
      ['duplicates found', report.duplicates, '0'],
      ['runs that overwrote an unplanned change', report.overwrites, '0'],
      ['`No changes.` but the remote differs from the manifest', report.mismatches, '0'],
      ['unexpected errors (crashes, invalid generated input)', report.errors, '0'],
      [
        '"changed since plan" on a resource nobody else changed (our own write had landed unseen)',
        `${report.spuriousConflicts} (runs ${report.spuriousRuns.slice(0, 8).join(', ') || '–'}${report.spuriousRuns.length > 8 ? ', …' : ''})`,
        '0 ideally (costs a re-apply)',
      ],
    ],
  ),
);
console.log('');
console.log(
  `Console changes injected between plan and apply: ${report.console.injected} — refused with "changed since plan" ` +
    `(or a stale-plan error): ${report.console.refused}, apply stopped before reaching the resource: ${report.console.notReached}, ` +
    `overwritten: ${report.console.overwritten}.\n`,
);
console.log(
  `Applies needed per run (at most ${MAX_APPLIES}, each after a fresh plan; faults on in all but the last, ` +
    `which ${report.needsCleanApply} converged runs needed): ` +
    `${count(report.applies)
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([n, c]) => `${n}: ${c} runs`)
      .join(', ')}. ` +
    `Faults that fired: ${
      count(report.faultsFired)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ') || 'none'
    }; ` +
    `on writes: ${
      count(report.writeFaults)
        .map(([key, n]) => `${key} ${n}`)
        .join(', ') || 'none'
    }.\n`,
);
const failures = count(report.failures);
if (failures.length > 0) {
  console.log(
    'Why applies failed (an apply that fails is re-planned and re-applied; these are the messages):\n',
  );
  console.log(
    table(
      ['failure', 'times'],
      failures.slice(0, 15).map(([message, n]) => [message, n]),
    ),
  );
  console.log('');
}
if (report.problems.length > 0) {
  console.log('Problems (replay with `--run I --verbose`):\n');
  console.log(
    table(
      ['run', 'problem', 'detail'],
      report.problems.slice(0, 30).map((p) => [p.run, p.kind, p.detail]),
    ),
  );
  console.log('');
}
