// Writes what `manifestFromRemote` produced into a folder. Never overwrites anything unless told to:
// the files it would replace are listed all at once, so one run shows every conflict.
import { lstat, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../errors/app-error.js';

export class PullWriteError extends AppError {}

/**
 * The output folder must be a folder, or not exist yet (it is created). Checked before anything is read
 * from the network, so a typo costs no API calls.
 */
export async function checkOutputDir(dir: string, display: string): Promise<void> {
  const kind = await kindOf(dir);
  if (kind === 'missing' || kind === 'directory') return;
  throw new PullWriteError('pull_out_not_a_folder', `The output folder ${display} is a file, not a folder.`, {
    hint: 'Pass --out with a folder (it is created if it does not exist).',
  });
}

/** The relative paths (of `paths`) that already exist in `dir`, as files or anything else. */
export async function findConflicts(dir: string, paths: Iterable<string>): Promise<string[]> {
  const conflicts: string[] = [];
  for (const path of paths) {
    if ((await kindOf(join(dir, ...path.split('/')))) !== 'missing') conflicts.push(path);
  }
  return conflicts;
}

export function conflictError(conflicts: readonly string[], display: string): PullWriteError {
  const where = display === '.' ? 'the current folder' : display;
  const list = conflicts.map((path) => `\n  - ${path}`).join('');
  return new PullWriteError(
    'pull_would_overwrite',
    `pull would overwrite ${conflicts.length === 1 ? 'a file' : `${conflicts.length} files`} in ${where}:${list}`,
    {
      hint: 'Pass --force to replace them (commit or back them up first), or --out another folder.',
    },
  );
}

/**
 * Creates the folders and writes every file. Without `force`, a file that appeared since the check is
 * still not overwritten (the `wx` flag), and with it, a folder where a file should go is an error.
 */
export async function writePulledFiles(
  dir: string,
  files: ReadonlyMap<string, string>,
  options: { force: boolean; display: string },
): Promise<void> {
  await checkOutputDir(dir, options.display);
  if (!options.force) {
    const conflicts = await findConflicts(dir, files.keys());
    if (conflicts.length > 0) throw conflictError(conflicts, options.display);
  } else {
    const folders: string[] = [];
    for (const path of files.keys()) {
      const kind = await kindOf(join(dir, ...path.split('/')));
      if (kind === 'directory' || kind === 'other') folders.push(path);
    }
    if (folders.length > 0) {
      throw new PullWriteError(
        'pull_path_not_a_file',
        `pull cannot write ${folders.join(', ')} in ${options.display}: ${folders.length === 1 ? 'it is' : 'they are'} not a regular file, even with --force.`,
        { hint: 'Move it away, or pass --out another folder.' },
      );
    }
  }
  // Text files first and the manifest last: an interrupted pull leaves no manifest naming missing files.
  const order = [...files.keys()].reverse();
  for (const path of order) {
    const target = join(dir, ...path.split('/'));
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, files.get(path)!, { flag: options.force ? 'w' : 'wx', mode: 0o644 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && !options.force) throw conflictError([path], options.display);
      const reason =
        code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a file stands where a folder of its path should be'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'ENOSPC'
              ? 'the disk is full'
              : (code ?? String(error));
      throw new PullWriteError(
        'pull_write_failed',
        `Cannot write ${path} in ${options.display}: ${reason}.`,
        {
          cause: error,
        },
      );
    }
  }
}

type Kind = 'missing' | 'file' | 'directory' | 'other';

async function kindOf(path: string): Promise<Kind> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) {
      // A link to a folder is a folder for our purposes; a dangling link is still "something there".
      const target = await stat(path).catch(() => undefined);
      if (target?.isDirectory()) return 'directory';
      return target?.isFile() ? 'file' : 'other';
    }
    if (info.isFile()) return 'file';
    return info.isDirectory() ? 'directory' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent of the path is a file, so the path itself is not there (writing it will fail).
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new PullWriteError('pull_write_failed', `Cannot look at ${path}: ${code ?? String(error)}.`, {
      cause: error,
    });
  }
}
