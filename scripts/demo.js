#!/usr/bin/env node
// The README's demo: the built-in emulator, seeded with a live version of the example app, then the
// real CLI (as child processes, as a user would run it): plan, apply, plan again. No credentials:
// the emulator's demo security profile is used. Everything happens in a temporary folder.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../dist/emulator/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seed = JSON.parse(readFileSync(join(root, 'fixtures/seeds/demo.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'appstore-release-demo-'));
copyFileSync(join(root, 'appstore.release.example.yaml'), join(work, 'appstore.release.yaml'));
symlinkSync(join(root, 'fixtures'), join(work, 'fixtures'));
symlinkSync(join(root, 'schemas'), join(work, 'schemas'));

const emulator = await startEmulator({ seed });
const { clientId, clientSecret } = seed.credentials[0];
const env = {
  ...process.env,
  APPSTORE_API_URL: emulator.apiUrl,
  APPSTORE_TOKEN_URL: emulator.tokenUrl,
  AMAZON_APPSTORE_CLIENT_ID: clientId,
  AMAZON_APPSTORE_CLIENT_SECRET: clientSecret,
};
const cli = join(root, 'bin/appstore-release.js');

// Asynchronous on purpose: the emulator lives in this process and must keep serving while the CLI runs.
function step(title, args) {
  process.stdout.write(`\n\u001b[1m$ appstore-release ${args.join(' ')}\u001b[0m   # ${title}\n\n`);
  const child = spawn(process.execPath, [cli, ...args], { cwd: work, env, stdio: 'inherit' });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

let failed = false;
try {
  process.stdout.write(
    `Emulator at ${emulator.apiUrl} (seed: fixtures/seeds/demo.json); working in ${work}\n`,
  );
  failed ||= (await step('check the manifest offline', ['validate'])) !== 0;
  failed ||= (await step('what would change?', ['plan', '--out', 'release.plan'])) !== 0;
  failed ||= (await step('apply exactly the saved plan', ['apply', 'release.plan'])) !== 0;
  failed ||= (await step('nothing is left to change', ['plan', '--detailed-exitcode'])) !== 0;
} finally {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
