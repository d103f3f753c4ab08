import { parseArgs } from 'node:util';
import { commitEdit } from '../../apply/executor.js';
import { AppError } from '../../errors/app-error.js';
import type { AppstoreApi, EditRef } from '../../remote/api.js';
import { GLOBAL_OPTIONS } from '../global-options.js';
import { type CliIO, EXIT, useColor } from '../io.js';
import { confirmYes } from '../prompt.js';
import { connect, loadManifestFor } from '../session.js';

const HELP = `Usage: appstore-release edit <status|validate|commit|discard> [options]

  status     the open edit: id, status, and what it contains in brief
  validate   ask Amazon to validate the open edit; lists its errors with advice
  commit     validate, then submit the open edit for review (cannot be undone)
  discard    delete the open edit and every change in it (asks; --auto-approve in CI)

Options:
  -f, --file FILE     manifest, for the app id (default: appstore.release.yaml)
      --app-id ID     the app, instead of reading it from the manifest
      --auto-approve  do not ask before discard or commit
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...GLOBAL_OPTIONS,
      file: { type: 'string', short: 'f' },
      'app-id': { type: 'string' },
      'auto-approve': { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const sub = positionals[0];
  if (values.help || sub === undefined) {
    io.stdout.write(HELP);
    return values.help ? EXIT.ok : EXIT.error;
  }
  if (!['status', 'validate', 'commit', 'discard'].includes(sub)) {
    io.stderr.write(`Error: unknown edit command '${sub}'.\n\n${HELP}`);
    return EXIT.error;
  }
  let appId = values['app-id'];
  if (appId === undefined) {
    const loaded = await loadManifestFor(values.file, io, { color: useColor(io, values['no-color']) });
    if (!loaded.ok) return loaded.exitCode;
    appId = loaded.manifest.appId;
  }
  const api = await connect(values, io);
  try {
    const active = await api.getActiveEdit(appId);
    if (active.value === null) {
      io.stdout.write(`App ${appId} has no open edit.\n`);
      return sub === 'status' ? EXIT.ok : EXIT.error;
    }
    const edit: EditRef = { appId, editId: active.value.id };
    switch (sub) {
      case 'status':
        io.stdout.write(await describeEdit(api, edit, active.value.status));
        return EXIT.ok;
      case 'validate':
        await api.validateEdit(edit, active.etag);
        io.stdout.write(`Edit ${edit.editId} is valid: Amazon reported no problems.\n`);
        return EXIT.ok;
      case 'commit':
        if (
          !(await confirm(
            io,
            values['auto-approve'],
            `Submit edit ${edit.editId} for review? This cannot be undone.`,
          ))
        )
          return EXIT.error;
        await commitEdit(api, edit, () => {});
        io.stdout.write(`Edit ${edit.editId} committed: the version is now in review.\n`);
        return EXIT.ok;
      default:
        if (active.value.status !== 'IN_PROGRESS') {
          throw new AppError(
            'edit_in_review',
            `Edit ${edit.editId} is in ${active.value.status} and cannot be discarded.`,
            {
              hint: 'Wait for the review to end.',
            },
          );
        }
        if (
          !(await confirm(io, values['auto-approve'], `Discard edit ${edit.editId} and every change in it?`))
        )
          return EXIT.error;
        await api.deleteEdit(edit, (await api.getEdit(edit)).etag ?? '');
        io.stdout.write(`Edit ${edit.editId} discarded.\n`);
        return EXIT.ok;
    }
  } finally {
    api.close();
  }
}

async function describeEdit(api: AppstoreApi, edit: EditRef, status: string): Promise<string> {
  const [apks, listings] = await Promise.all([api.listApks(edit), api.listListings(edit)]);
  const lines = [
    `Edit ${edit.editId} of app ${edit.appId}: ${status}`,
    `  APKs: ${apks.value.map((a) => `${a.name} (versionCode ${a.versionCode})`).join(', ') || 'none'}`,
    `  Listings: ${Object.keys(listings.value).sort().join(', ') || 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}

async function confirm(io: CliIO, autoApprove: boolean, question: string): Promise<boolean> {
  if (autoApprove) return true;
  if (io.stdin.isTTY !== true) {
    io.stderr.write(`Error: ${question} There is no terminal to ask on; pass --auto-approve.\n`);
    return false;
  }
  if (await confirmYes(io, question)) return true;
  io.stdout.write('Cancelled.\n');
  return false;
}
