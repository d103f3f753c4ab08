// The CLI as a user runs it, in-process: flags, exit codes, what goes to stdout and stderr, plan files,
// and that no secret ever shows up in any of it.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { DEMO_CREDENTIAL } from '../../src/emulator/index.js';
import { fakeIO } from '../support/fake-io.js';
import { consoleChange, openScenario, type ScenarioRun } from '../support/scenario.js';

const ESC = '\u001b[';
let run: ScenarioRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function cli(
  r: ScenarioRun,
  args: string[],
  options: { tty?: boolean; input?: string; env?: Record<string, string> } = {},
) {
  const io = fakeIO({
    cwd: r.workspace.dir,
    env: { ...r.session.env, ...options.env },
    ...(options.tty === undefined ? {} : { tty: options.tty }),
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  const code = await main(args, io);
  const all = io.out() + io.err();
  // No secret, no token, ever.
  expect(all).not.toContain(DEMO_CREDENTIAL.clientSecret);
  expect(all).not.toMatch(/Atc\|/);
  expect(all).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  return { code, out: io.out(), err: io.err() };
}

describe('plan', () => {
  it('prints the plan and exits 2 with --detailed-exitcode when something would change, 0 when not', async () => {
    run = await openScenario('release-notes-only');
    const changed = await cli(run, ['plan', '--detailed-exitcode', '--no-color']);
    expect(changed.code).toBe(2);
    expect(changed.out).toContain('~ listing.en-US');
    expect(changed.out).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(changed.out).not.toContain(ESC);

    const applied = await cli(run, ['apply', '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('Apply complete! Actions: 1 applied');

    const clean = await cli(run, ['plan', '--detailed-exitcode']);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('No changes. The store listing matches the manifest.');
  });

  it('prints JSON and Markdown, and appends Markdown to GITHUB_STEP_SUMMARY', async () => {
    run = await openScenario('new-locale');
    const json = await cli(run, ['plan', '--json']);
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.out) as { format_version: number; summary: unknown };
    expect(plan.format_version).toBe(1);
    expect(plan.summary).toEqual({ add: 6, change: 0, destroy: 0 });

    const summaryFile = join(run.workspace.dir, 'summary.md');
    writeFileSync(summaryFile, '# CI\n');
    const md = await cli(run, ['plan', '--markdown'], { env: { GITHUB_STEP_SUMMARY: summaryFile } });
    expect(md.out).toContain('| `+` | `listing.fr-FR` |');
    expect(md.out).toContain('<details><summary>listing fr-FR (4)</summary>');
    expect(readFileSync(summaryFile, 'utf8')).toBe(`# CI\n${md.out}\n`);

    const both = await cli(run, ['plan', '--json', '--markdown']);
    expect(both.code).toBe(1);
    expect(both.err).toContain('--json and --markdown cannot be used together');
  });

  it('reports every manifest problem before any network call', async () => {
    run = await openScenario('no-changes');
    appendFileSync(run.workspace.manifestPath, 'unknownKey: 1\n');
    writeFileSync(
      run.workspace.manifestPath,
      readFileSync(run.workspace.manifestPath, 'utf8').replace(
        'keywords: [notes, sync]',
        'keywords: [notes, two words]',
      ),
    );
    const before = run.session.emulator.store.requests().length;
    const result = await cli(run, ['plan']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/appstore\.release\.yaml:\d+:\d+: error: .*unknownKey/);
    expect(result.err).toMatch(/appstore\.release\.yaml:\d+:\d+: error: .*two words/);
    expect(result.err).toContain('nothing was sent to Amazon');
    expect(run.session.emulator.store.requests().length).toBe(before);
  });

  it('names the missing credential', async () => {
    run = await openScenario('no-changes');
    const result = await cli(run, ['plan'], { env: { AMAZON_APPSTORE_CLIENT_SECRET: '' } });
    expect(result.code).toBe(1);
    expect(result.err).toContain('AMAZON_APPSTORE_CLIENT_SECRET is not set');
  });

  it('says so when the token endpoint refuses the client', async () => {
    run = await openScenario('no-changes');
    const result = await cli(run, ['plan'], {
      env: { AMAZON_APPSTORE_CLIENT_SECRET: 'amzn1.oa2-cs.v1.wrong' },
    });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/client id or secret is wrong/);
    expect(result.err).not.toContain('amzn1.oa2-cs.v1.wrong');
  });
});

describe('apply', () => {
  it('applies a saved plan, and refuses it once stale', async () => {
    run = await openScenario('release-notes-only');
    const saved = await cli(run, ['plan', '--out', 'release.plan']);
    expect(saved.code).toBe(0);
    expect(saved.out).toContain('appstore-release apply release.plan');
    const file = readFileSync(join(run.workspace.dir, 'release.plan'), 'utf8');
    expect(file).not.toContain(DEMO_CREDENTIAL.clientSecret);
    expect(JSON.parse(file)).toMatchObject({ kind: 'appstore-release-plan', format_version: 1 });

    const shown = await cli(run, ['show', 'release.plan', '--no-color']);
    expect(shown.out).toBe((await cli(run, ['plan', '--no-color'])).out);

    await consoleChange(run, { listing: { language: 'en-US', set: { title: 'Console title' } } });
    const stale = await cli(run, ['apply', 'release.plan']);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('Saved plan is stale: remote content changed: listing.en-US.');
    expect(stale.err).toContain('Run plan again');
  });

  it('applies a fresh saved plan exactly, with plain progress lines when not on a TTY', async () => {
    run = await openScenario('screenshot-added');
    await cli(run, ['plan', '--out', 'release.plan']);
    const applied = await cli(run, ['apply', 'release.plan']);
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z start {2}upload-image listing\.en-US\.images\.screenshots$/m,
    );
    expect(applied.out).not.toContain(ESC);
    expect(existsSync(run.workspace.statePath)).toBe(true);
  });

  it('refuses to ask without a terminal unless --auto-approve', async () => {
    run = await openScenario('release-notes-only');
    const refused = await cli(run, ['apply']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Pass --auto-approve');
    expect(
      run.session.emulator.store.requests().filter((q) => q.method !== 'GET' && q.operation !== 'token'),
    ).toEqual([]);
  });

  it('asks on a terminal and does nothing unless the answer is yes', async () => {
    run = await openScenario('release-notes-only');
    const no = await cli(run, ['apply', '--no-color'], { tty: true, input: 'y\n' });
    expect(no.code).toBe(0);
    expect(no.out).toContain("Only 'yes' will be accepted");
    expect(no.out).toContain('Apply cancelled. Nothing was changed.');
    const yes = await cli(run, ['apply', '--no-color'], { tty: true, input: 'yes\n' });
    expect(yes.code).toBe(0);
    expect((await cli(run, ['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('streams JSON events with --json and ends with the result', async () => {
    run = await openScenario('details-and-availability');
    const result = await cli(run, ['apply', '--auto-approve', '--json']);
    expect(result.code).toBe(0);
    const events = result.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(events.map((e) => e.type)).toEqual([
      'edit',
      'start',
      'action-start',
      'action-end',
      'action-start',
      'action-end',
      'result',
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'result', ok: true, committed: false });
  });

  it('commits only with --commit, after every action succeeded', async () => {
    run = await openScenario('release-notes-only');
    const result = await cli(run, ['apply', '--auto-approve', '--commit']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('committed: the version is now in review');
    const status = await cli(run, ['edit', 'status']);
    expect(status.out).toContain(': REVIEW');
    const replan = await cli(run, ['plan']);
    expect(replan.code).toBe(1);
    expect(replan.err).toContain('is in REVIEW');
  });

  it('commits an edit that an earlier apply left open, when nothing is left to change', async () => {
    run = await openScenario('release-notes-only');
    expect((await cli(run, ['apply', '--auto-approve'])).code).toBe(0);
    const result = await cli(run, ['apply', '--auto-approve', '--commit']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('committed: the version is now in review');
    expect((await cli(run, ['edit', 'status'])).out).toContain(': REVIEW');
  });

  it('reports Amazon validation errors on commit with advice', async () => {
    run = await openScenario('details-and-availability');
    const result = await cli(run, ['apply', '--auto-approve', '--commit']);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'Apply failed. Actions: 2 applied, 0 already done, 0 failed, 0 not started.',
    );
    expect(result.out).toContain('Commit refused: POST');
    expect(result.out).toContain('(error_release_notes_incomplete)');
    expect(result.out).toMatch(/set recentChanges for every locale/i);
    expect(result.out).toContain('is open and not committed');
  });
});

describe('edit', () => {
  it('shows the open edit and discards it only when confirmed', async () => {
    run = await openScenario('no-changes');
    const status = await cli(run, ['edit', 'status']);
    expect(status.code).toBe(0);
    expect(status.out).toContain('APKs: APK1 (versionCode 100)');
    const refused = await cli(run, ['edit', 'discard']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('pass --auto-approve');
    const discarded = await cli(run, ['edit', 'discard', '--auto-approve']);
    expect(discarded.code).toBe(0);
    expect((await cli(run, ['edit', 'status'])).out).toContain('has no open edit');
  });
});
