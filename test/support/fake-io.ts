import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/io.js';

export interface CapturedIO extends CliIO {
  out: () => string;
  err: () => string;
}

/** A CliIO that records what a command prints; not a TTY unless asked. */
export function fakeIO(options: {
  env?: Record<string, string>;
  cwd: string;
  tty?: boolean;
  input?: string;
}): CapturedIO {
  let out = '';
  let err = '';
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.tty) stdin.isTTY = true;
  if (options.input !== undefined) stdin.end(options.input);
  const sink = (append: (s: string) => void) => (s: string) => {
    append(s);
    return true;
  };
  return {
    stdout: {
      write: sink((s) => {
        out += s;
      }),
      isTTY: options.tty ?? false,
    },
    stderr: {
      write: sink((s) => {
        err += s;
      }),
      isTTY: false,
    },
    stdin,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    cwd: options.cwd,
    out: () => out,
    err: () => err,
  };
}
