// Runs `appstore-release pull` in-process, as a user would from a shell, and fills the APK placeholders
// the way a user does: with their build of each remote versionCode (here, the fixture APK of it).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { readApk } from '../../src/apk/index.js';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { defaultApkPlaceholder } from '../../src/pull/index.js';
import type { RemoteState } from '../../src/remote/index.js';
import { PROJECT_ROOT } from '../support/workspace.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin: new PassThrough(),
    // Only what the test passes: no credential of the machine running the tests leaks in.
    env: { ...options.env },
    cwd: options.cwd,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

let fixtureApks: Promise<Map<number, string>> | undefined;

/** versionCode → fixture APK path, read with our own APK reader (files it cannot read are skipped). */
export function fixtureApksByVersionCode(): Promise<Map<number, string>> {
  fixtureApks ??= (async () => {
    const dir = join(PROJECT_ROOT, 'fixtures', 'apks');
    const byCode = new Map<number, string>();
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.apk'))
      .sort()) {
      const info = await readApk(join(dir, name)).catch(() => undefined);
      if (info !== undefined && !byCode.has(info.versionCode)) byCode.set(info.versionCode, join(dir, name));
    }
    return byCode;
  })();
  return fixtureApks;
}

/**
 * Replaces each `file: REPLACE-WITH-PATH-TO/<slot>.apk` by a copy of the fixture APK with the remote
 * versionCode of that slot, in `builds/` beside the manifest. Returns the placeholders it replaced.
 */
export async function fillApkPlaceholders(dir: string, remote: RemoteState): Promise<string[]> {
  const manifestPath = join(dir, 'appstore.release.yaml');
  let text = readFileSync(manifestPath, 'utf8');
  const byCode = await fixtureApksByVersionCode();
  const replaced: string[] = [];
  mkdirSync(join(dir, 'builds'), { recursive: true });
  for (const { apk } of remote.apks ?? []) {
    const placeholder = defaultApkPlaceholder(apk.value, apk.value.name);
    const fixture = byCode.get(apk.value.versionCode);
    if (fixture === undefined) throw new Error(`no fixture APK has versionCode ${apk.value.versionCode}`);
    if (text.split(`file: ${placeholder} `).length !== 2)
      throw new Error(`${placeholder} is not in the manifest once`);
    const build = `builds/${apk.value.versionCode}.apk`;
    copyFileSync(fixture, join(dir, build));
    text = text.replace(`file: ${placeholder} `, `file: ${build} `);
    replaced.push(placeholder);
  }
  writeFileSync(manifestPath, text);
  return replaced;
}

/** Every file under `dir`, relative, `/`-separated, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      return entry.isDirectory() ? listFiles(dir, rel) : [rel];
    })
    .sort();
}
