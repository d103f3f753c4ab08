// The only place that catches: every error that escapes a command ends here, as a sentence for the
// user (AppError) or as a reported bug (anything else).
import { AppError } from '../errors/app-error.js';
import { type CliIO, type Command, EXIT } from './io.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  validate: {
    summary: 'Check the manifest and its files offline',
    load: async () => (await import('./commands/validate.js')).run,
  },
  plan: {
    summary: 'Show what apply would change in the open edit',
    load: async () => (await import('./commands/plan.js')).run,
  },
  apply: {
    summary: 'Make the planned changes',
    load: async () => (await import('./commands/apply.js')).run,
  },
  show: {
    summary: 'Render a saved plan file',
    load: async () => (await import('./commands/show.js')).run,
  },
  pull: {
    summary: 'Write a manifest from the app as it is in the store',
    load: async () => (await import('./commands/pull.js')).run,
  },
  edit: {
    summary: 'Inspect, validate, commit or discard the open edit',
    load: async () => (await import('./commands/edit.js')).run,
  },
  emulator: {
    summary: 'Serve a local, stateful copy of the App Submission API',
    load: async () => (await import('./commands/emulator.js')).run,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: appstore-release <command> [options]',
    '',
    'Release-as-code for the Amazon Appstore.',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options:',
    '  --api-url URL     API base URL (env APPSTORE_API_URL)',
    '  --token-url URL   token endpoint (env APPSTORE_TOKEN_URL)',
    '  --no-color        no colour (also NO_COLOR)',
    '  --debug           trace HTTP requests, secrets redacted',
    '',
    'Credentials: AMAZON_APPSTORE_CLIENT_ID and AMAZON_APPSTORE_CLIENT_SECRET.',
    'Exit codes: 0 success, 1 error, 2 changes present (plan --detailed-exitcode).',
    "Run 'appstore-release <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export function defaultIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? EXIT.error : EXIT.ok;
  }
  if (name === '--version') {
    const { TOOL_VERSION } = await import('../version.js');
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`Error: unknown command '${name}'.\n\n${usage()}`);
    return EXIT.error;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (error) {
    return reportError(error, io, rest.includes('--debug'));
  }
}

export function reportError(error: unknown, io: CliIO, debug: boolean): number {
  if (error instanceof AppError) {
    io.stderr.write(`Error: ${error.message}\n`);
    if (error.hint !== undefined) io.stderr.write(`  ${error.hint}\n`);
    if (debug && error.cause !== undefined) io.stderr.write(`  cause: ${String(error.cause)}\n`);
    return EXIT.error;
  }
  // parseArgs throws TypeErrors with codes like ERR_PARSE_ARGS_UNKNOWN_OPTION: these are user errors.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr.write(`Error: ${(error as Error).message}\n  Run with --help to see the options.\n`);
    return EXIT.error;
  }
  const detail =
    error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
  io.stderr.write(
    `Internal error: ${detail}\n  This is a bug in appstore-release. Re-run with --debug and report it.\n`,
  );
  return EXIT.error;
}
