// `appstore-release emulator`: prints where it listens and how to point the tool at it, serves until
// stopped, can dump its final state.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { serve } from '../../src/cli/commands/emulator.js';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { validateSeed } from '../../src/emulator/index.js';
import { APP_ID } from './harness.js';

function captureIO(): {
  io: CliIO;
  out: () => string;
  err: () => string;
  printed: (text: string) => Promise<void>;
} {
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const io: CliIO = {
    stdout: {
      write(chunk: string) {
        out += chunk;
        for (const w of waiters.filter((w) => out.includes(w.text))) w.resolve();
        return true;
      },
    },
    stderr: {
      write(chunk: string) {
        err += chunk;
        return true;
      },
    },
    stdin: new PassThrough(),
    env: {},
    cwd: process.cwd(),
  };
  return {
    io,
    out: () => out,
    err: () => err,
    printed: (text) =>
      out.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve })),
  };
}

describe('emulator command', () => {
  test('serves the demo seed, prints URLs and the demo credential, stops on the signal and dumps its state', async () => {
    const { io, out, printed } = captureIO();
    const dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
    const stop = new AbortController();
    const exit = serve(
      ['--port', '0', '--etag-mode', 'edit', '--dump-on-exit', join(dir, 'state.json')],
      io,
      stop.signal,
    );
    await printed('Press Ctrl+C to stop.');
    const text = out();
    expect(text).toMatch(/^Emulator listening\.\n {2}API: {3}http:\/\/127\.0\.0\.1:\d+\/api\/appstore\n/);
    expect(text).toContain('  Seed:  fixtures/seeds/demo.json (1 app)');
    expect(text).toContain('export AMAZON_APPSTORE_CLIENT_ID=amzn1.application-oa2-client.demo');
    expect(text).toContain('export AMAZON_APPSTORE_CLIENT_SECRET=amzn1.oa2-cs.v1.demo');
    const tokenUrl = /Token: (\S+)/.exec(text)?.[1] ?? '';
    const apiUrl = /API: +(\S+)/.exec(text)?.[1] ?? '';
    const token = await fetch(tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'amzn1.application-oa2-client.demo',
        client_secret: 'amzn1.oa2-cs.v1.demo',
        scope: 'appstore::apps:readwrite',
      }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const created = await fetch(`${apiUrl}/v1/applications/${APP_ID}/edits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(created.status).toBe(200);
    stop.abort();
    expect(await exit).toBe(0);
    expect(out()).toContain('Emulator stopped.');
    const dumped = validateSeed(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')));
    expect(dumped.apps[0]?.openEdit?.status).toBe('IN_PROGRESS');
    await expect(fetch(tokenUrl, { method: 'POST' })).rejects.toThrow();
  });

  test('a seed with its own credential does not print its secret', async () => {
    const { writeFile } = await import('node:fs/promises');
    const dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
    const seed = join(dir, 'seed.json');
    await writeFile(
      seed,
      JSON.stringify({
        credentials: [{ clientId: 'amzn1.application-oa2-client.team', clientSecret: 'top-secret' }],
        apps: [],
      }),
    );
    const { io, out, printed } = captureIO();
    const stop = new AbortController();
    const exit = serve(['--port', '0', '--seed', seed], io, stop.signal);
    await printed('Press Ctrl+C');
    stop.abort();
    expect(await exit).toBe(0);
    expect(out()).toContain('AMAZON_APPSTORE_CLIENT_ID=amzn1.application-oa2-client.team');
    expect(out()).not.toContain('top-secret');
  });

  test.each([
    [['--etag-mode', 'loose'], /--etag-mode must be one of hierarchical, edit/],
    [['--faults', 'explode'], /unknown fault 'explode'/],
    [['--port', 'http'], /--port must be a number/],
    [['--seed', '/nonexistent/seed.json'], /Cannot read emulator seed/],
    [['--colour'], /Unknown option '--colour'/],
  ])('%j fails with exit 1 and a message', async (args, message) => {
    const { io, err } = captureIO();
    expect(await main(['emulator', '--port', '0', ...args], io)).toBe(1);
    expect(err()).toMatch(message);
  });

  test('a port in use is an error with a hint, not a stack trace', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js');
    const busy = await startEmulator();
    try {
      const port = new URL(busy.apiUrl).port;
      const { io, err } = captureIO();
      expect(await main(['emulator', '--port', port], io)).toBe(1);
      expect(err()).toContain(`Cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
      expect(err()).toContain('Pick another --port');
    } finally {
      await busy.close();
    }
  });

  test('--help lists the options', async () => {
    const { io, out } = captureIO();
    expect(await main(['emulator', '--help'], io)).toBe(0);
    expect(out()).toContain('--faults SPEC');
  });
});
