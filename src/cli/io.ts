// Everything a command may touch of the outside world, passed in so tests can run commands in-process.
export interface CliIO {
  stdout: { write(chunk: string): unknown; isTTY?: boolean };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type Command = (argv: string[], io: CliIO) => Promise<number>;

export const EXIT = { ok: 0, error: 1, changes: 2 } as const;

/** Colour only on a TTY, and never with NO_COLOR (any value) or --no-color. */
export function useColor(io: CliIO, noColorFlag: boolean): boolean {
  return !noColorFlag && io.env.NO_COLOR === undefined && io.stdout.isTTY === true;
}
