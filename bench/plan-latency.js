// Issue 8.2 — plan latency. `plan` on the 20-locale app with 0, 20, 50 and 100 ms of injected latency
// per request, against (a) the same reads issued one at a time (the sequential-GET baseline) and
// (b) the longest chain of dependent requests × latency (the lower bound).
//
//   npm run build && node bench/plan-latency.js [--quick]
//
// The chain: token → open edit → collections (APKs, listings) → per-APK and per-locale reads
// (APK, targeting, image lists) = 4 round trips. With at most 8 requests in flight (the client's
// default) a second bound applies: 2 round trips, then the remaining reads in waves of 8.

import { startEmulator } from '../dist/emulator/index.js';
import { assetScopeOf, makePlan } from '../dist/engine/make-plan.js';
import { plan as planFrom } from '../dist/plan/planner.js';
import { DEFAULT_FETCH_CONCURRENCY, fetchRemoteState } from '../dist/remote/index.js';
import { readStateFile } from '../dist/state-file/state-file.js';
import { appManifest, LOCALES_20 } from './lib/app-model.js';
import { appFiles, appWorkspace, convergedApp, load } from './lib/converged-app.js';
import { isQuick, log, median, ms, ratio, since, table } from './lib/report.js';
import { connect, loggedRequests } from './lib/session.js';

const quick = isQuick();
const LATENCIES = quick ? [0, 20] : [0, 20, 50, 100];
const PARALLEL_RUNS = quick ? 3 : 5;
const SEQUENTIAL_RUNS = quick ? 1 : 2;
const CHAIN = 4;

/** One plan as the CLI makes it: a new client (so a token request), then makePlan. */
async function timedPlan(emulator, manifest) {
  const api = connect(emulator);
  try {
    const start = process.hrtime.bigint();
    const { plan } = await makePlan(manifest, api);
    const elapsed = since(start);
    if (plan.actions.length > 0) throw new Error('the converged app should plan no changes');
    return elapsed;
  } finally {
    api.close();
  }
}

/** The same reads and the same planner, one request at a time. */
async function timedSequentialPlan(emulator, manifest) {
  const api = connect(emulator);
  try {
    const start = process.hrtime.bigint();
    const [remote, state] = await Promise.all([
      fetchRemoteState(api, manifest.appId, { assets: assetScopeOf(manifest), concurrency: 1 }),
      readStateFile(manifest.stateFile),
    ]);
    const plan = planFrom(manifest, remote, state);
    const elapsed = since(start);
    if (plan.actions.length > 0) throw new Error('the converged app should plan no changes');
    return elapsed;
  } finally {
    api.close();
  }
}

const files = await appFiles({ apkBytes: 1024 * 1024 });
try {
  log('plan latency: converging the 20-locale app');
  const base = await convergedApp(files.dir, LOCALES_20);
  const workspace = appWorkspace(files.dir, appManifest(LOCALES_20), base.state);
  const manifest = await load(workspace);
  const rows = [];
  let requestCount = 0;
  for (const latency of LATENCIES) {
    const emulator = await startEmulator({
      seed: base.seed,
      idSeed: `latency-${latency}`,
      ...(latency > 0 ? { faults: `latency=${latency}ms` } : {}),
    });
    try {
      log(`plan latency: ${latency} ms`);
      await timedPlan(emulator, manifest); // warm-up: module code paths, not measured
      emulator.store.clearRequests();
      const parallel = [];
      for (let i = 0; i < PARALLEL_RUNS; i++) parallel.push(await timedPlan(emulator, manifest));
      requestCount = loggedRequests(emulator).count / PARALLEL_RUNS;
      const sequential = [];
      for (let i = 0; i < SEQUENTIAL_RUNS; i++)
        sequential.push(await timedSequentialPlan(emulator, manifest));
      const waves = 2 + Math.ceil((requestCount - 2) / DEFAULT_FETCH_CONCURRENCY);
      rows.push({ latency, parallel: median(parallel), sequential: median(sequential), waves });
    } finally {
      await emulator.close();
    }
  }
  workspace.cleanup();

  console.log('## 2. Plan latency\n');
  console.log(
    `\`plan\` of the converged ${LOCALES_20.length}-locale app (no changes), ${requestCount} requests ` +
      `(token, open edit, APK and its targeting, listings, details, availability, 3 image lists per locale). ` +
      `Latency is injected by the emulator before it handles each request. Median of ${PARALLEL_RUNS} runs ` +
      `(sequential: ${SEQUENTIAL_RUNS}), each with a new client, as a CLI run has. ` +
      `*Sequential*: the same reads through the same client with 1 request in flight instead of ${DEFAULT_FETCH_CONCURRENCY}. ` +
      `*Chain bound*: ${CHAIN} dependent round trips × latency. ` +
      `*${DEFAULT_FETCH_CONCURRENCY}-in-flight bound*: 2 round trips, then the other ${requestCount - 2} reads in waves of ${DEFAULT_FETCH_CONCURRENCY}.\n`,
  );
  console.log(
    table(
      [
        'latency',
        'plan',
        'sequential GETs',
        'speed-up',
        'chain bound',
        'plan ÷ chain bound',
        `${DEFAULT_FETCH_CONCURRENCY}-in-flight bound`,
        'plan ÷ that bound',
      ],
      rows.map((r) => [
        `${r.latency} ms`,
        ms(r.parallel),
        ms(r.sequential),
        ratio(r.sequential, r.parallel),
        r.latency === 0 ? '–' : ms(CHAIN * r.latency),
        r.latency === 0 ? '–' : ratio(r.parallel, CHAIN * r.latency),
        r.latency === 0 ? '–' : ms(r.waves * r.latency),
        r.latency === 0 ? '–' : ratio(r.parallel, r.waves * r.latency),
      ]),
    ),
  );
  console.log('');
} finally {
  await files.cleanup();
}
