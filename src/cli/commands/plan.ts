import { appendFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makePlan } from '../../engine/make-plan.js';
import { writePlanFile } from '../../plan/plan-file.js';
import { renderPlanHuman } from '../../render/plan-human.js';
import { renderPlanJson } from '../../render/plan-json.js';
import { renderPlanMarkdown } from '../../render/plan-markdown.js';
import { TOOL_VERSION } from '../../version.js';
import { GLOBAL_OPTIONS } from '../global-options.js';
import { type CliIO, EXIT, useColor } from '../io.js';
import { connect, loadManifestFor } from '../session.js';

const HELP = `Usage: appstore-release plan [options]

Reads the app's open edit and shows what apply would change. Changes nothing remotely
(unless --open-edit, which creates the edit as a copy of the live version).

Options:
  -f, --file FILE        manifest (default: appstore.release.yaml)
      --out PLANFILE     save the plan, to apply exactly it later: appstore-release apply PLANFILE
      --json             print the plan as JSON (format_version 1, see docs/plan-format.md)
      --markdown         print the plan as Markdown, for pull-request comments
      --detailed-exitcode  exit 0 with no changes, 2 with changes, 1 on error
      --open-edit        create an edit if none is open, for an exact diff
      --allow-outside    allow manifest paths outside the manifest's folder

When GITHUB_STEP_SUMMARY is set, the Markdown plan is appended to it.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...GLOBAL_OPTIONS,
      file: { type: 'string', short: 'f' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
      'detailed-exitcode': { type: 'boolean', default: false },
      'open-edit': { type: 'boolean', default: false },
      'allow-outside': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (values.json && values.markdown) {
    io.stderr.write('Error: --json and --markdown cannot be used together; choose one.\n');
    return EXIT.error;
  }
  const color = useColor(io, values['no-color']);
  const loaded = await loadManifestFor(values.file, io, { color, allowOutside: values['allow-outside'] });
  if (!loaded.ok) return loaded.exitCode;
  const api = await connect(values, io);
  try {
    const { plan } = await makePlan(loaded.manifest, api, { openEdit: values['open-edit'] });
    if (values.json) io.stdout.write(renderPlanJson(plan));
    else if (values.markdown) io.stdout.write(renderPlanMarkdown(plan));
    else io.stdout.write(renderPlanHuman(plan, { color }));

    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) await appendFile(summaryFile, `${renderPlanMarkdown(plan)}\n`);
    if (values.out !== undefined) {
      const out = resolve(io.cwd, values.out);
      await writePlanFile(out, {
        kind: 'appstore-release-plan',
        format_version: plan.format_version,
        tool_version: TOOL_VERSION,
        manifest: relative(io.cwd, loaded.manifest.path),
        plan,
      });
      const message = `Saved the plan to ${values.out}. To perform exactly these actions, run:\n  appstore-release apply ${values.out}\n`;
      (values.json || values.markdown ? io.stderr : io.stdout).write(`\n${message}`);
    }
    if (values['detailed-exitcode'] && plan.actions.length > 0) return EXIT.changes;
    return EXIT.ok;
  } finally {
    api.close();
  }
}
