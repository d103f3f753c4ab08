// `appstore-release pull` end to end, in-process, against the emulator: the exact output for the demo
// seed in both layouts (golden), re-pulls, and every bad case with its exit code and sentence.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SeedFile } from '../../src/emulator/index.js';
import { type EmulatorSession, startSession } from '../support/emulator-session.js';
import { expectGolden } from '../support/golden.js';
import { PROJECT_ROOT } from '../support/workspace.js';
import { listFiles, runCli } from './pull-cli.js';

const DEMO_SEED = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'fixtures', 'seeds', 'demo.json'), 'utf8'),
) as SeedFile;
const APP = DEMO_SEED.apps[0]!.appId;
const REVIEW_SEED = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test', 'scenarios', 'edit-in-review', 'seed.json'), 'utf8'),
) as SeedFile;

const open: { session?: EmulatorSession; dir?: string } = {};
afterEach(async () => {
  await open.session?.close();
  if (open.dir !== undefined) rmSync(open.dir, { recursive: true, force: true });
  open.session = undefined;
  open.dir = undefined;
});

async function setUp(seed: SeedFile = DEMO_SEED): Promise<{ session: EmulatorSession; dir: string }> {
  const session = await startSession({ seed, idSeed: 'pull' });
  open.session = session;
  const dir = mkdtempSync(join(tmpdir(), 'appstore-release-pull-cli-'));
  open.dir = dir;
  return { session, dir };
}

/** Everything a user sees and gets: exit code, both streams, and every file written, in one text. */
function transcript(
  argv: string[],
  run: { code: number; stdout: string; stderr: string },
  out: string,
): string {
  const parts = [`$ appstore-release ${argv.join(' ')}`, `exit ${run.code}`, '--- stdout', run.stdout];
  parts.push('--- stderr', run.stderr);
  for (const file of listFiles(out)) parts.push(`=== ${file}`, readFileSync(join(out, file), 'utf8'));
  return parts.join('\n');
}

function expectNoSecret(session: EmulatorSession, texts: string[]): void {
  const secret = session.env.AMAZON_APPSTORE_CLIENT_SECRET!;
  for (const text of texts) expect(text).not.toContain(secret);
}

describe('appstore-release pull', () => {
  it.each(['inline', 'files'])(
    'writes the demo app (%s layout) exactly as the golden file shows',
    async (layout) => {
      const { session, dir } = await setUp();
      const argv = ['pull', '--app-id', APP, '--out', 'pulled', '--layout', layout];
      const run = await runCli(argv, { cwd: dir, env: session.env });
      expect(run.code).toBe(0);
      const text = transcript(argv, run, join(dir, 'pulled'));
      expectNoSecret(session, [text]);
      expectGolden(join(import.meta.dirname, 'golden', `demo-${layout}.txt`), text);
      // pull only reads.
      const writes = session.emulator.store
        .requests()
        .filter((r) => r.method !== 'GET' && r.operation !== 'token');
      expect(writes).toEqual([]);
    },
  );

  it('refuses to overwrite without --force; a forced re-pull reuses the app id and gives the same bytes', async () => {
    const { session, dir } = await setUp();
    const first = await runCli(['pull', '--app-id', APP, '--layout', 'files'], {
      cwd: dir,
      env: session.env,
    });
    expect(first.code).toBe(0);
    const files = listFiles(dir);
    const before = files.map((f) => readFileSync(join(dir, f), 'utf8'));

    const again = await runCli(['pull', '--app-id', APP, '--layout', 'files'], {
      cwd: dir,
      env: session.env,
    });
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      [
        'Error: pull would overwrite 8 files in the current folder:',
        '  - appstore.release.yaml',
        '  - appstore.release.state.json',
        ...files.filter((f) => f.startsWith('store/')).map((f) => `  - ${f}`),
        '  Pass --force to replace them (commit or back them up first), or --out another folder.',
        '',
      ].join('\n'),
    );

    const forced = await runCli(['pull', '--force', '--layout', 'files'], { cwd: dir, env: session.env });
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(listFiles(dir)).toEqual(files);
    expect(files.map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(before);
  });

  it('works on an edit in REVIEW, read-only, and says so', async () => {
    const { session, dir } = await setUp(REVIEW_SEED);
    const run = await runCli(['pull', '--app-id', REVIEW_SEED.apps[0]!.appId], {
      cwd: dir,
      env: session.env,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/from its open edit amzn1\.devportal\.apprelease\.\w+ \(REVIEW\)/);
    expect(run.stdout.replace(/\n {4}/g, ' ')).toContain(
      'is in REVIEW (Amazon is reviewing a version): it was only read.',
    );
    const writes = session.emulator.store
      .requests()
      .filter((r) => r.method !== 'GET' && r.operation !== 'token');
    expect(writes).toEqual([]);
  });

  it('says which app id is unknown, and writes nothing', async () => {
    const { session, dir } = await setUp();
    const unknown = 'amzn1.devportal.mobileapp.ffffffffffffffffffffffffffffffff';
    const run = await runCli(['pull', '--app-id', unknown], { cwd: dir, env: session.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `Error: App ${unknown} was not found.\n  Check the app id (copy it from the Developer Console) and that this security profile has access to the app.\n`,
    );
    expect(listFiles(dir)).toEqual([]);
  });

  it('asks for credentials before any request, and writes nothing', async () => {
    const { session, dir } = await setUp();
    const env = {
      APPSTORE_API_URL: session.env.APPSTORE_API_URL!,
      APPSTORE_TOKEN_URL: session.env.APPSTORE_TOKEN_URL!,
    };
    const run = await runCli(['pull', '--app-id', APP], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'Error: AMAZON_APPSTORE_CLIENT_ID and AMAZON_APPSTORE_CLIENT_SECRET are not set: the App Submission API needs a client id and secret.',
    );
    expect(session.emulator.store.requests()).toEqual([]);
    expect(listFiles(dir)).toEqual([]);
  });

  it('refuses an output folder that is a file before any request', async () => {
    const { session, dir } = await setUp();
    writeFileSync(join(dir, 'release'), 'a file\n');
    const run = await runCli(['pull', '--app-id', APP, '--out', 'release'], { cwd: dir, env: session.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'Error: The output folder release is a file, not a folder.\n  Pass --out with a folder (it is created if it does not exist).\n',
    );
    expect(session.emulator.store.requests()).toEqual([]);
  });

  it.each([
    [[], 'Error: which app? Pass --app-id amzn1.devportal.mobileapp.…'],
    [['--app-id', 'com.acme.notes'], "Error: 'com.acme.notes' is not an app id"],
    [['--app-id', APP, '--layout', 'folders'], "Error: --layout must be inline or files, not 'folders'."],
    [['--app-id', APP, '--bogus'], "Error: Unknown option '--bogus'"],
  ])('rejects %j before any request', async (args, message) => {
    const { session, dir } = await setUp();
    const run = await runCli(['pull', ...args], { cwd: dir, env: session.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(session.emulator.store.requests()).toEqual([]);
    expect(listFiles(dir)).toEqual([]);
  });

  it('reads the app id of a manifest already in the output folder, if it has one', async () => {
    const { session, dir } = await setUp();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'appstore.release.yaml'), 'version: 1\napp: {}\n');
    const run = await runCli(['pull', '--out', 'out', '--force'], { cwd: dir, env: session.env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error: which app?');
  });

  it('keeps the secret out of the --debug trace', async () => {
    const { session, dir } = await setUp();
    const run = await runCli(['pull', '--app-id', APP, '--debug'], { cwd: dir, env: session.env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('[debug]');
    expectNoSecret(session, [run.stdout, run.stderr]);
  });

  it('has help, and is listed among the commands', async () => {
    const help = await runCli(['pull', '--help'], { cwd: tmpdir(), env: {} });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: appstore-release pull [options]');
    const usage = await runCli(['--help'], { cwd: tmpdir(), env: {} });
    expect(usage.stdout).toMatch(/\n {2}pull +Write a manifest from the app as it is in the store\n/);
  });
});
