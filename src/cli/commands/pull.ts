// `appstore-release pull`: adopt the tool in one command. Reads the app as it is in the store and
// writes a manifest (plus its state file and, with --layout files, its text files) such that the first
// plan shows no changes for everything the API lets us read.
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { RemoteState } from '../../remote/remote-state.js';
import { GLOBAL_OPTIONS } from '../global-options.js';
import { type CliIO, EXIT } from '../io.js';
import { connect } from '../session.js';

const HELP = `Usage: appstore-release pull [options]

Writes appstore.release.yaml (and appstore.release.state.json) from the app as it is in the store,
so that the first plan shows no changes. Reads the open edit; with none open, the live version
(through the previous edit). Changes nothing remotely, unless --open-edit.

APKs, images and videos cannot be downloaded through the API: each APK gets a placeholder path to
point at your build, and image and video lists are left unmanaged (their ids go to the state file).

Options:
      --app-id ID        the app, amzn1.devportal.mobileapp.… (copy it from the Developer Console);
                         default: app.id of the manifest already in the output folder
      --out DIR          folder to write into, created if needed (default: the current folder)
      --layout LAYOUT    inline (default): all text in the manifest
                         files: descriptions and release notes in store/{locale}/*.txt
      --force            overwrite files that already exist
      --open-edit        with no open edit, create one (a copy of the live version) and read it
  -h, --help             show this help

Exit codes: 0 written, 1 error (nothing is written when a file would be overwritten).
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...GLOBAL_OPTIONS,
      'app-id': { type: 'string' },
      out: { type: 'string' },
      layout: { type: 'string', default: 'inline' },
      force: { type: 'boolean', default: false },
      'open-edit': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const pull = await import('../../pull/index.js');
  const layout = pull.PULL_LAYOUTS.find((l) => l === values.layout);
  if (layout === undefined) {
    io.stderr.write(`Error: --layout must be inline or files, not '${values.layout}'.\n`);
    return EXIT.error;
  }
  const outDir = resolve(io.cwd, values.out ?? '.');
  const display = displayPath(io.cwd, outDir);
  await pull.checkOutputDir(outDir, display);
  const appId = values['app-id'] ?? (await appIdOfExistingManifest(join(outDir, pull.MANIFEST_FILE)));
  if (appId === undefined) {
    io.stderr.write(
      'Error: which app? Pass --app-id amzn1.devportal.mobileapp.… (copy it from the Developer Console: the API has no call that lists apps).\n',
    );
    return EXIT.error;
  }
  if (!pull.APP_ID_PATTERN.test(appId)) {
    io.stderr.write(
      `Error: '${appId}' is not an app id: they look like amzn1.devportal.mobileapp. followed by 32 hex digits.\n  Copy it from the Developer Console.\n`,
    );
    return EXIT.error;
  }

  const api = await connect(values, io);
  let remote: RemoteState;
  try {
    remote = await readApp(api, appId, values['open-edit']);
  } finally {
    api.close();
  }
  const output = pull.manifestFromRemote(remote, { layout });
  await pull.writePulledFiles(outDir, output.files, { force: values.force, display });
  io.stdout.write(report(remote, output, display, io.cwd, outDir, pull.MANIFEST_FILE));
  return EXIT.ok;
}

async function readApp(
  api: Awaited<ReturnType<typeof connect>>,
  appId: string,
  openEdit: boolean,
): Promise<RemoteState> {
  const [{ fetchRemoteState, ApiError }, { PullError }] = await Promise.all([
    import('../../remote/index.js'),
    import('../../pull/index.js'),
  ]);
  try {
    return await fetchRemoteState(api, appId, { assets: 'all', openEdit });
  } catch (error) {
    // The first request names the app; a 404 there means the id is wrong (or not this profile's).
    if (
      error instanceof ApiError &&
      error.status === 404 &&
      error.path === `/v1/applications/${appId}/edits`
    ) {
      throw new PullError('app_not_found', `App ${appId} was not found.`, {
        hint: 'Check the app id (copy it from the Developer Console) and that this security profile has access to the app.',
        cause: error,
      });
    }
    throw error;
  }
}

/** `app.id` of a manifest already in the output folder, so a re-pull needs no --app-id. */
async function appIdOfExistingManifest(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const { parse } = await import('yaml');
  try {
    const value = parse(text) as { app?: { id?: unknown } } | null;
    const id = value?.app?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function report(
  remote: RemoteState,
  output: { files: Map<string, string>; notes: string[] },
  display: string,
  cwd: string,
  outDir: string,
  manifestFile: string,
): string {
  const from =
    remote.source === 'open-edit'
      ? `its open edit ${remote.edit?.value.id} (${remote.edit?.value.status})`
      : `its live version (no edit is open; read through the previous edit ${remote.readFrom})`;
  const lines = [`Read app ${remote.appId} from ${from}.`, ''];
  const where = display === '.' ? 'the current folder' : `${display}/`;
  lines.push(`Wrote ${output.files.size} files to ${where}:`);
  for (const path of output.files.keys()) lines.push(`  ${path}`);
  if (output.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of output.notes) lines.push(...wrap(note, 100, '  - ', '    '));
  }
  const manifest = displayPath(cwd, join(outDir, manifestFile));
  const flag = manifest === manifestFile ? '' : ` -f ${manifest}`;
  const apks = remote.apks !== undefined && remote.apks.length > 0;
  lines.push(
    '',
    apks ? 'Next: point each apks[].file at your build, then run:' : 'Next, run:',
    `  appstore-release validate${flag}`,
    `  appstore-release plan${flag}       (expect "No changes.")`,
    '',
  );
  return lines.join('\n');
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') ? path : rel.split(sep).join('/');
}

/** Wraps at word boundaries; a word longer than the width stays whole. */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
