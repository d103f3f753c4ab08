import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { apply } from '../../apply/executor.js';
import { makePlan } from '../../engine/make-plan.js';
import { StalePlanError, staleReasons } from '../../engine/staleness.js';
import type { Manifest } from '../../manifest/types.js';
import { readPlanFile } from '../../plan/plan-file.js';
import type { Plan } from '../../plan/types.js';
import type { AppstoreApi } from '../../remote/api.js';
import { renderApplyResultHuman, renderApplyResultJson } from '../../render/apply-result.js';
import { renderPlanHuman } from '../../render/plan-human.js';
import { jsonLinesReporter, listrReporter, type ProgressReporter, plainReporter } from '../apply-progress.js';
import { GLOBAL_OPTIONS } from '../global-options.js';
import { type CliIO, EXIT, useColor } from '../io.js';
import { confirmYes } from '../prompt.js';
import { connect, loadManifestFor } from '../session.js';

const HELP = `Usage: appstore-release apply [PLANFILE] [options]

Makes the changes of a plan. Without PLANFILE it plans first, shows the plan and asks for
confirmation ('yes'); with PLANFILE it applies exactly that saved plan, and refuses it when the
remote content, the manifest or its files changed since ("Saved plan is stale").

Options:
  -f, --file FILE     manifest (default: the one the plan file names, else appstore.release.yaml)
      --auto-approve  do not ask (required without a terminal, e.g. in CI)
      --commit        after every action succeeded: validate the edit and submit it for review
      --json          one JSON event per line, then a result object (needs PLANFILE or --auto-approve)
      --allow-outside allow manifest paths outside the manifest's folder

Exit codes: 0 when every action succeeded, 1 otherwise (including an interrupted apply).
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...GLOBAL_OPTIONS,
      file: { type: 'string', short: 'f' },
      'auto-approve': { type: 'boolean', default: false },
      commit: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'allow-outside': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 1) {
    io.stderr.write(`Error: apply takes at most one plan file, got ${positionals.length}.\n`);
    return EXIT.error;
  }
  const planFile = positionals[0];
  const interactive = planFile === undefined && !values['auto-approve'];
  if (interactive && values.json) {
    io.stderr.write('Error: --json needs a plan file or --auto-approve (it cannot ask for confirmation).\n');
    return EXIT.error;
  }
  if (interactive && io.stdin.isTTY !== true) {
    io.stderr.write(
      'Error: apply asks for confirmation, and there is no terminal to ask on.\n  Pass --auto-approve, or apply a reviewed plan file: appstore-release plan --out release.plan && appstore-release apply release.plan\n',
    );
    return EXIT.error;
  }
  const color = useColor(io, values['no-color']);
  const saved = planFile === undefined ? undefined : await readPlanFile(resolve(io.cwd, planFile));
  const loaded = await loadManifestFor(values.file ?? saved?.manifest, io, {
    color,
    allowOutside: values['allow-outside'],
  });
  if (!loaded.ok) return loaded.exitCode;
  const manifest = loaded.manifest;
  const api = await connect(values, io);
  try {
    const plan = saved
      ? await checkSavedPlan(saved.plan, manifest, api)
      : await planAndAsk(manifest, api, io, values, color);
    if (plan === undefined) return EXIT.ok;
    if (plan.actions.length === 0 && !(values.commit && plan.edit !== null)) {
      if (saved || values.json)
        (values.json ? io.stderr : io.stdout).write('No changes. Nothing to apply.\n');
      return EXIT.ok;
    }
    return await execute(plan, manifest, api, io, { json: values.json, commit: values.commit });
  } finally {
    api.close();
  }
}

async function checkSavedPlan(saved: Plan, manifest: Manifest, api: AppstoreApi): Promise<Plan> {
  const fresh = await makePlan(manifest, api);
  const reasons = staleReasons(saved, fresh.plan);
  if (reasons.length > 0) throw new StalePlanError(reasons);
  return saved;
}

async function planAndAsk(
  manifest: Manifest,
  api: AppstoreApi,
  io: CliIO,
  values: { 'auto-approve': boolean; json: boolean },
  color: boolean,
): Promise<Plan | undefined> {
  const { plan } = await makePlan(manifest, api);
  if (!values.json) io.stdout.write(renderPlanHuman(plan, { color }));
  if (plan.actions.length === 0 || values['auto-approve']) return plan;
  if (!(await confirmYes(io, '\nDo you want to perform these actions?'))) {
    io.stdout.write('\nApply cancelled. Nothing was changed.\n');
    return undefined;
  }
  return plan;
}

async function execute(
  plan: Plan,
  manifest: Manifest,
  api: AppstoreApi,
  io: CliIO,
  options: { json: boolean; commit: boolean },
): Promise<number> {
  const reporter: ProgressReporter = options.json
    ? jsonLinesReporter(io)
    : // listr2 draws on the process's own terminal, so only when that is where our output goes.
      io.stdout === process.stdout && process.stdout.isTTY
      ? await listrReporter()
      : plainReporter(io);
  // First Ctrl-C: let the current request finish, record state, stop. The second one is Node's default.
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    io.stderr.write(
      `\nReceived ${signal}: finishing the current request, then stopping. Press Ctrl-C again to abort now.\n`,
    );
    controller.abort();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: Awaited<ReturnType<typeof apply>>;
  try {
    result = await apply({
      api,
      manifest,
      plan,
      commit: options.commit,
      signal: controller.signal,
      onEvent: reporter.onEvent,
    });
  } finally {
    await reporter.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  io.stdout.write(options.json ? renderApplyResultJson(result) : renderApplyResultHuman(result));
  return result.ok ? EXIT.ok : EXIT.error;
}
