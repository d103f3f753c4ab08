// Peak RSS of a child process through GNU time (`/usr/bin/time -v`), when it is installed. Callers
// report "n/a" when it is not, rather than fail.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Overridable (BENCH_GNU_TIME=/nonexistent) to see how the benchmarks read without it. */
export const GNU_TIME = process.env.BENCH_GNU_TIME ?? '/usr/bin/time';

export function hasGnuTime() {
  return existsSync(GNU_TIME);
}

/**
 * Runs `command args` (under GNU time when available); resolves with the exit code, wall time in ms,
 * peak RSS in KiB (undefined without GNU time), stdout and stderr (GNU time's report removed).
 */
export function runMeasured(command, args, options = {}) {
  const timed = hasGnuTime();
  const [file, argv] = timed ? [GNU_TIME, ['-v', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      let stderr = Buffer.concat(err).toString('utf8');
      let maxRssKiB;
      if (timed) {
        const at = stderr.lastIndexOf('\tCommand being timed:');
        const report = at >= 0 ? stderr.slice(at) : '';
        stderr = at >= 0 ? stderr.slice(0, at) : stderr;
        const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
        if (match) maxRssKiB = Number(match[1]);
      }
      resolve({ code, wallMs, maxRssKiB, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}
