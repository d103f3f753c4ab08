import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { AppError } from '../errors/app-error.js';
import { sortKeys } from '../fingerprint/fingerprint.js';
import { STATE_FORMAT_VERSION, type StateFile } from './types.js';

/** Reads the state file; undefined when there is none yet (a first apply, or a fresh clone). */
export async function readStateFile(path: string): Promise<StateFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError(
      'state_file_unreadable',
      `Cannot read the state file ${path}: ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('state_file_corrupt', `The state file ${path} is not valid JSON.`, {
      hint: 'Restore it from version control, or delete it: the next plan then replaces every image and video list once.',
    });
  }
  const state = parsed as Partial<StateFile> | null;
  if (
    state === null ||
    typeof state !== 'object' ||
    state.format_version !== STATE_FORMAT_VERSION ||
    typeof state.app_id !== 'string' ||
    typeof state.apks !== 'object' ||
    typeof state.assets !== 'object'
  ) {
    throw new AppError('state_file_corrupt', `The state file ${path} has an unknown format.`, {
      hint: `Expected format_version ${STATE_FORMAT_VERSION}. Restore it, or delete it to start over.`,
    });
  }
  return state as StateFile;
}

/**
 * Writes atomically (temp file + rename in the same folder), so a killed apply leaves either the old
 * or the new state, never half of one. Keys are sorted so the file diffs cleanly in version control.
 */
export async function writeStateFile(path: string, state: StateFile): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(sortKeys(state), null, 2)}\n`, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new AppError(
      'state_file_unwritable',
      `Cannot write the state file ${path}: ${(error as Error).message}`,
    );
  }
}
