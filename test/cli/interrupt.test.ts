// A killed apply, as CI kills it: SIGINT to the real CLI process mid-upload. The current request
// finishes, the state file records what landed, the summary says what was not done, the exit code is
// non-zero; the next apply finishes the job and a plan then shows no changes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateFile } from '../../src/state-file/types.js';
import { openScenario, type ScenarioRun } from '../support/scenario.js';
import { PROJECT_ROOT } from '../support/workspace.js';

const BIN = join(PROJECT_ROOT, 'bin/appstore-release.js');

let run: ScenarioRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

function cli(r: ScenarioRun, args: string[], onLine?: (line: string, kill: () => void) => void) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: r.workspace.dir,
    env: { PATH: process.env.PATH ?? '', ...r.session.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line) onLine?.(line, () => child.kill('SIGINT'));
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('a killed apply', () => {
  it('finishes the current upload, records it, exits non-zero, and a second apply completes', async () => {
    expect(existsSync(join(PROJECT_ROOT, 'dist/cli/main.js')), 'run npm run build first').toBe(true);
    // Slow image uploads, so there is time to interrupt one in flight.
    run = await openScenario('new-locale', { faults: 'slow-upload bps=30000 op=uploadImage' });
    let signalled = false;
    const first = await cli(run, ['apply', '--auto-approve'], (line, kill) => {
      if (!signalled && line.includes('start  upload-image listing.fr-FR.images.large-icons')) {
        signalled = true;
        kill();
      }
    });
    expect(signalled).toBe(true);
    expect(first.code).toBe(1);
    expect(first.err).toContain('Received SIGINT: finishing the current request');
    expect(first.out).toMatch(/applied upload-image listing\.fr-FR\.images\.large-icons/);
    expect(first.out).toContain(
      'Apply interrupted. Actions: 3 applied, 0 already done, 0 failed, 3 not started.',
    );
    const state = JSON.parse(readFileSync(run.workspace.statePath, 'utf8')) as StateFile;
    expect(Object.keys(state.assets['fr-FR'] ?? {}).sort()).toEqual(['large-icons', 'small-icons']);

    const second = await cli(run, ['apply', '--auto-approve']);
    expect(second.code).toBe(0);
    expect(second.out).toContain('Apply complete! Actions: 3 applied');
    const plan = await cli(run, ['plan', '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('No changes.');
  });
});
