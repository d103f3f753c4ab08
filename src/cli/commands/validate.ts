// `appstore-release validate`: the manifest and every file it names, checked offline. No network.
import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { Diagnostic } from '../../manifest/diagnostics.js';
import type { ManifestSummary } from '../../manifest/summary.js';
import { GLOBAL_OPTIONS } from '../global-options.js';
import { type CliIO, EXIT, useColor } from '../io.js';

const DEFAULT_FILE = 'appstore.release.yaml';

const HELP = `Usage: appstore-release validate [options]

Checks the manifest offline: its shape, the Appstore's limits, and every file it names (APKs,
text files, images, videos). Reports every problem at once. Makes no network request.

Options:
  -f, --file FILE      manifest (default: appstore.release.yaml in the current folder)
      --json           print the result as JSON (format_version 1)
      --allow-outside  allow paths that leave the manifest's folder
      --no-color       no colour (also NO_COLOR)
  -h, --help           show this help

Exit codes: 0 valid (warnings allowed), 1 invalid.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...GLOBAL_OPTIONS,
      file: { type: 'string', short: 'f' },
      json: { type: 'boolean', default: false },
      'allow-outside': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const color = useColor(io, values['no-color']);
  // Loaded only now, so --help does not pay for yaml, ajv and the schema.
  const [{ loadManifest, summarizeManifest }, render] = await Promise.all([
    import('../../manifest/index.js'),
    import('../../render/diagnostics.js'),
  ]);

  const path = resolve(io.cwd, values.file ?? DEFAULT_FILE);
  if (values.file === undefined && !existsSync(path)) {
    const missing: Diagnostic = {
      severity: 'error',
      code: 'manifest-not-found',
      message: `No ${DEFAULT_FILE} in ${io.cwd}. Pass -f FILE, or run 'appstore-release pull' to create one.`,
      file: DEFAULT_FILE,
    };
    if (values.json) io.stdout.write(render.diagnosticsToJson([missing]));
    else io.stderr.write(`Error: ${missing.message}\n`);
    return EXIT.error;
  }

  const result = await loadManifest(path, { allowOutsidePaths: values['allow-outside'], cwd: io.cwd });
  if (!result.ok) {
    if (values.json) {
      io.stdout.write(render.diagnosticsToJson(result.diagnostics));
    } else {
      io.stderr.write(render.renderDiagnostics(result.diagnostics, { color }));
      io.stderr.write(`\n${render.countDiagnostics(result.diagnostics)}: the manifest is invalid.\n`);
    }
    return EXIT.error;
  }

  const summary = summarizeManifest(result.manifest);
  if (values.json) {
    io.stdout.write(render.diagnosticsToJson(result.warnings, summary));
    return EXIT.ok;
  }
  if (result.warnings.length > 0) {
    io.stderr.write(render.renderDiagnostics(result.warnings, { color }));
    io.stderr.write('\n');
  }
  const file = displayName(io.cwd, path);
  const warned = result.warnings.length > 0 ? ` (${render.countDiagnostics(result.warnings)})` : '';
  io.stdout.write(`${file} is valid${warned}.\n${renderSummary(summary)}`);
  return EXIT.ok;
}

function displayName(cwd: string, path: string): string {
  return relative(cwd, path).split(sep).join('/') || path;
}

function renderSummary(summary: ManifestSummary): string {
  const lines: string[] = [`  app       ${summary.app_id}`];
  if (summary.apks.length === 0) lines.push('  apks      (unmanaged)');
  summary.apks.forEach((apk, i) => {
    const version = `versionCode ${apk.version_code}${apk.version_name === null ? '' : ` (${apk.version_name})`}`;
    const slot = apk.slot === null ? '' : `, slot ${apk.slot}`;
    lines.push(`  ${i === 0 ? 'apks      ' : '          '}${apk.file}: ${version}${slot}`);
  });
  lines.push(`  locales   ${summary.locales.length === 0 ? '(none)' : summary.locales.join(', ')}`);
  summary.assets.forEach((asset, i) => {
    const counts = Object.entries(asset.images).map(([type, n]) => `${type} ${n}`);
    if (asset.videos !== null) counts.push(`videos ${asset.videos}`);
    const text = counts.length === 0 ? '(none managed)' : counts.join(', ');
    lines.push(`  ${i === 0 ? 'assets    ' : '          '}${asset.locale}: ${text}`);
  });
  const managed = [
    ...(summary.details ? ['details'] : []),
    ...(summary.availability ? ['availability'] : []),
  ];
  if (managed.length > 0) lines.push(`  also      ${managed.join(', ')}`);
  lines.push(`  digest    ${summary.digest}`);
  return `${lines.join('\n')}\n`;
}
