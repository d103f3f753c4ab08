import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readPlanFile } from '../../plan/plan-file.js';
import { renderPlanHuman } from '../../render/plan-human.js';
import { renderPlanJson } from '../../render/plan-json.js';
import { renderPlanMarkdown } from '../../render/plan-markdown.js';
import { GLOBAL_OPTIONS } from '../global-options.js';
import { type CliIO, EXIT, useColor } from '../io.js';

const HELP = `Usage: appstore-release show PLANFILE [--json | --markdown]

Renders a plan saved with 'appstore-release plan --out PLANFILE'. Reads nothing remote.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...GLOBAL_OPTIONS,
      json: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    io.stderr.write(`Error: show takes exactly one plan file.\n\n${HELP}`);
    return EXIT.error;
  }
  const file = await readPlanFile(resolve(io.cwd, positionals[0]!));
  if (values.json) io.stdout.write(renderPlanJson(file.plan));
  else if (values.markdown) io.stdout.write(renderPlanMarkdown(file.plan));
  else io.stdout.write(renderPlanHuman(file.plan, { color: useColor(io, values['no-color']) }));
  return EXIT.ok;
}
