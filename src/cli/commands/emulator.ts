import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../../errors/app-error.js';
import { GLOBAL_OPTIONS } from '../global-options.js';
import { type CliIO, EXIT } from '../io.js';

const HELP = `Usage: appstore-release emulator [options]

Serves a local, stateful copy of Amazon's App Submission API and of the Login-with-Amazon token
endpoint, for rehearsals and tests. Runs until interrupted (Ctrl+C).

Options:
      --port N                  port (default 8470; 0 = any free port)
      --host ADDRESS            address to bind (default 127.0.0.1)
      --seed FILE               initial state (default: the demo seed, fixtures/seeds/demo.json)
      --etag-mode MODE          hierarchical (default) or edit (one ETag for the whole edit)
      --faults SPEC             inject faults, e.g. "latency=50ms; 429 every=5; reset-after path=/apks/upload times=1"
      --fault-seed N            seed of the fault PRNG (default 1)
      --token-ttl SECONDS       access-token lifetime (default 3600)
      --large-upload-delay MS   how long attach answers asset_not_ready (default 1000)
      --previous-edit-unreadable  refuse reads of /edits/{previous-edit-id}/...
      --locale-keys STYLE       hyphen (default, en-US) or underscore (en_US) in listing keys
      --dump-on-exit FILE       write the final state as a seed file when stopped

Admin endpoints (no token): GET <admin>/state, POST <admin>/reset, GET <admin>/requests,
POST <admin>/apps/{appId}/edit/approve|reject, POST <admin>/apps/{appId}/console, PUT <admin>/faults.
See src/emulator/README.md.
`;

const DEFAULT_PORT = 8470;

function defaultSeedPath(): string {
  // src/cli/commands/ and dist/cli/commands/ are both three levels below the package root.
  return fileURLToPath(new URL('../../../fixtures/seeds/demo.json', import.meta.url));
}

function choice<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  option: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new AppError('CLI_BAD_OPTION', `--${option} must be one of ${allowed.join(', ')}, not '${value}'.`);
  }
  return value as T;
}

function number(value: string | undefined, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min) {
    throw new AppError('CLI_BAD_OPTION', `--${option} must be a number ≥ ${min}, not '${value}'.`);
  }
  return parsed;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await serve(argv, io, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The command, stoppable by a signal (tests pass their own instead of SIGINT). */
export async function serve(argv: string[], io: CliIO, stop: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...GLOBAL_OPTIONS,
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'etag-mode': { type: 'string' },
      faults: { type: 'string' },
      'fault-seed': { type: 'string' },
      'token-ttl': { type: 'string' },
      'large-upload-delay': { type: 'string' },
      'previous-edit-unreadable': { type: 'boolean', default: false },
      'locale-keys': { type: 'string' },
      'dump-on-exit': { type: 'string' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const { DEMO_CREDENTIAL, parseFaultSpec, startEmulator } = await import('../../emulator/index.js');
  const port = number(values.port, 'port', 0) ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port > 65535) {
    throw new AppError('CLI_BAD_OPTION', `--port must be 0–65535, not '${values.port}'.`);
  }
  const seedFile = values.seed ?? defaultSeedPath();
  const faults = values.faults === undefined ? undefined : parseFaultSpec(values.faults);
  const etagMode = choice(values['etag-mode'], ['hierarchical', 'edit'] as const, 'etag-mode');
  const localeKeyStyle = choice(values['locale-keys'], ['hyphen', 'underscore'] as const, 'locale-keys');
  const faultSeed = number(values['fault-seed'], 'fault-seed', 0);
  const tokenTtlSeconds = number(values['token-ttl'], 'token-ttl', 1);
  const largeUploadReadyAfterMs = number(values['large-upload-delay'], 'large-upload-delay', 0);

  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      port,
      host: values.host ?? '127.0.0.1',
      seedFile,
      previousEditReadable: !values['previous-edit-unreadable'],
      ...(faults === undefined ? {} : { faults }),
      ...(etagMode === undefined ? {} : { etagMode }),
      ...(localeKeyStyle === undefined ? {} : { localeKeyStyle }),
      ...(faultSeed === undefined ? {} : { faultSeed }),
      ...(tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds }),
      ...(largeUploadReadyAfterMs === undefined ? {} : { largeUploadReadyAfterMs }),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new AppError(
        'EMULATOR_LISTEN_FAILED',
        `Cannot listen on ${values.host ?? '127.0.0.1'}:${port} (${code}).`,
        {
          hint: 'Pick another --port (0 = any free port) or --host.',
        },
      );
    }
    throw error;
  }

  const dump = emulator.store.dump();
  const credential = dump.credentials[0];
  const lines = [
    'Emulator listening.',
    `  API:   ${emulator.apiUrl}`,
    `  Token: ${emulator.tokenUrl}`,
    `  Admin: ${emulator.adminUrl}`,
    `  Seed:  ${relative(io.cwd, seedFile) || seedFile} (${dump.apps.length} app${dump.apps.length === 1 ? '' : 's'})`,
    '',
    'Point appstore-release at it:',
    `  export APPSTORE_API_URL=${emulator.apiUrl}`,
    `  export APPSTORE_TOKEN_URL=${emulator.tokenUrl}`,
  ];
  if (credential !== undefined) {
    lines.push(`  export AMAZON_APPSTORE_CLIENT_ID=${credential.clientId}`);
    // Only the public demo secret is ever printed; a seed's own secrets stay in the seed.
    lines.push(
      credential.clientId === DEMO_CREDENTIAL.clientId &&
        credential.clientSecret === DEMO_CREDENTIAL.clientSecret
        ? `  export AMAZON_APPSTORE_CLIENT_SECRET=${credential.clientSecret}   # the public demo credential`
        : '  export AMAZON_APPSTORE_CLIENT_SECRET=...   # as in the seed file',
    );
  }
  lines.push('', 'Press Ctrl+C to stop.', '');
  io.stdout.write(lines.join('\n'));

  if (!stop.aborted)
    await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  const finalState = emulator.store.dump();
  await emulator.close();
  if (values['dump-on-exit'] !== undefined) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(values['dump-on-exit'], `${JSON.stringify(finalState, null, 2)}\n`);
    io.stdout.write(`State written to ${values['dump-on-exit']}.\n`);
  }
  io.stdout.write('Emulator stopped.\n');
  return EXIT.ok;
}
