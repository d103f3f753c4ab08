// `appstore-release validate`, run in-process with captured output: exit codes, the summary, the JSON
// contract, and never a stack trace.
import { Readable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/commands/validate.js';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { REPO, removeWorkspaces, workspace } from './workspace.js';

afterAll(removeWorkspaces);

function fakeIO(cwd: string, options: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}) {
  const captured = { stdout: '', stderr: '' };
  const io: CliIO = {
    stdout: { write: (chunk: string) => (captured.stdout += chunk), isTTY: options.tty ?? false },
    stderr: { write: (chunk: string) => (captured.stderr += chunk), isTTY: options.tty ?? false },
    stdin: Readable.from([]),
    env: options.env ?? {},
    cwd,
  };
  return { io, captured };
}

/** Runs the command and checks what must hold for every run: no stack trace on either stream. */
async function validate(
  argv: string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; tty?: boolean } = {},
) {
  const { io, captured } = fakeIO(cwd, options);
  const code = await run(argv, io);
  expect(captured.stdout + captured.stderr).not.toContain('    at ');
  return { code, ...captured };
}

describe('validate, human output', () => {
  test('a valid manifest: exit 0 and a short summary', async () => {
    const { code, stdout, stderr } = await validate(['-f', 'appstore.release.example.yaml'], REPO);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('appstore.release.example.yaml is valid.');
    expect(stdout).toContain('app       amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef');
    expect(stdout).toContain('fixtures/apks/plain-v101.apk: versionCode 101 (1.0.1), slot APK1');
    expect(stdout).toContain('locales   de-DE, en-US');
    expect(stdout).toContain('de-DE: small-icons 1, large-icons 1, screenshots 3');
    expect(stdout).toContain('en-US: small-icons 1, large-icons 1, screenshots 5, videos 0');
    expect(stdout).not.toContain('\u001b[');
  });

  test('without -f it reads appstore.release.yaml in the working directory', async () => {
    const ws = await workspace({ fixture: 'minimal.yaml' });
    const { code, stdout } = await validate([], ws.dir);
    expect(code).toBe(0);
    expect(stdout).toContain('appstore.release.yaml is valid.');
    expect(stdout).toContain('fixtures/apks/plain-v100.apk: versionCode 100');
  });

  test('no manifest in the working directory: a clear sentence, exit 1', async () => {
    const ws = await workspace('version: 1\n');
    const empty = ws.root; // holds only the project folder, no manifest
    const { code, stdout, stderr } = await validate([], empty);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `Error: No appstore.release.yaml in ${empty}. Pass -f FILE, or run 'appstore-release pull' to create one.\n`,
    );
  });

  test('an invalid manifest: every diagnostic, compiler style, exit 1', async () => {
    const ws = await workspace({ fixture: 'several-problems.yaml' });
    const { code, stdout, stderr } = await validate([], ws.dir);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      "appstore.release.yaml:9:5: error: Unknown key 'titel' in listings.en-US. [unknown-key]\n",
    );
    expect(stderr).toContain("  hint: Did you mean 'title'?\n");
    expect(stderr).toContain('appstore.release.yaml:3:7: error: ');
    expect(stderr.match(/: error: /g)).toHaveLength(8);
    expect(stderr).toMatch(/\n8 errors: the manifest is invalid\.\n$/);
  });

  test('warnings do not fail validation, and are shown', async () => {
    const ws = await workspace({ fixture: 'wrong-image-size.yaml' });
    const { code, stdout, stderr } = await validate([], ws.dir);
    expect(code).toBe(0);
    expect(stderr).toContain(
      'appstore.release.yaml:10:20: warning: fixtures/images/wrong-size-100x100.png is 100×100',
    );
    expect(stdout).toContain('appstore.release.yaml is valid (1 warning).');
  });

  test('a path outside the folder fails, and passes with --allow-outside', async () => {
    const ws = await workspace({ fixture: 'outside-path.yaml' });
    await ws.write('../shared-store-texts/en-US.txt', 'Shared.\n');
    expect((await validate([], ws.dir)).code).toBe(1);
    expect((await validate(['--allow-outside'], ws.dir)).code).toBe(0);
  });

  test('malformed YAML and a bad APK are diagnostics, not crashes', async () => {
    const malformed = await workspace({ fixture: 'malformed.yaml.txt' });
    const first = await validate([], malformed.dir);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/^appstore\.release\.yaml:8:5: error: Malformed YAML/);
    const apks = await workspace({ fixture: 'bad-apks.yaml' });
    const second = await validate([], apks.dir);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('[apk-is-aab]');
  });

  test('colour on a TTY, none with NO_COLOR or --no-color', async () => {
    const ws = await workspace({ fixture: 'unknown-keys.yaml' });
    expect((await validate([], ws.dir, { tty: true })).stderr).toContain('\u001b[1;31merror\u001b[0m');
    expect((await validate([], ws.dir, { tty: true, env: { NO_COLOR: '' } })).stderr).not.toContain(
      '\u001b[',
    );
    expect((await validate(['--no-color'], ws.dir, { tty: true })).stderr).not.toContain('\u001b[');
  });

  test('--help is usage text and exit 0', async () => {
    const { code, stdout } = await validate(['--help'], REPO);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: appstore-release validate/);
    expect(stdout).toContain('--allow-outside');
  });

  test('through main: an unknown option or a positional argument is an error without a stack trace', async () => {
    for (const argv of [
      ['validate', '--bogus'],
      ['validate', 'extra.yaml'],
    ]) {
      const { io, captured } = fakeIO(REPO);
      expect(await main(argv, io)).toBe(1);
      expect(captured.stderr).toMatch(/^Error: /);
      expect(captured.stderr).not.toContain('    at ');
    }
  });
});

describe('validate --json', () => {
  test('a valid manifest: format_version, valid, diagnostics, summary in that order', async () => {
    const { code, stdout, stderr } = await validate(['--json', '-f', 'appstore.release.example.yaml'], REPO);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc)).toEqual(['format_version', 'valid', 'diagnostics', 'summary']);
    expect(doc).toMatchObject({ format_version: 1, valid: true, diagnostics: [] });
    expect(doc.summary).toMatchObject({
      app_id: 'amzn1.devportal.mobileapp.0123456789abcdef0123456789abcdef',
      apks: [
        { file: 'fixtures/apks/plain-v101.apk', version_code: 101, version_name: '1.0.1', slot: 'APK1' },
      ],
      locales: ['de-DE', 'en-US'],
      assets: [
        { locale: 'de-DE', images: { 'small-icons': 1, 'large-icons': 1, screenshots: 3 }, videos: null },
        { locale: 'en-US', images: { 'small-icons': 1, 'large-icons': 1, screenshots: 5 }, videos: 0 },
      ],
      details: true,
      availability: true,
    });
    expect(doc.summary.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  test('an invalid manifest: every diagnostic with its keys in the documented order, exit 1', async () => {
    const ws = await workspace({ fixture: 'several-problems.yaml' });
    const { code, stdout, stderr } = await validate(['--json'], ws.dir);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc)).toEqual(['format_version', 'valid', 'diagnostics']);
    expect(doc.valid).toBe(false);
    expect(doc.diagnostics).toHaveLength(8);
    const titel = doc.diagnostics.find((d: { code: string }) => d.code === 'unknown-key');
    expect(Object.keys(titel)).toEqual([
      'severity',
      'code',
      'message',
      'hint',
      'file',
      'line',
      'column',
      'path',
    ]);
    expect(titel).toEqual({
      severity: 'error',
      code: 'unknown-key',
      message: "Unknown key 'titel' in listings.en-US.",
      hint: "Did you mean 'title'?",
      file: 'appstore.release.yaml',
      line: 9,
      column: 5,
      path: '/listings/en-US/titel',
    });
  });

  test('no manifest: still a JSON document', async () => {
    const ws = await workspace('version: 1\n');
    const { code, stdout } = await validate(['--json'], ws.root);
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.valid).toBe(false);
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'error', code: 'manifest-not-found' });
  });
});
