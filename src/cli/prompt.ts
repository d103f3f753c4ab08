import { createInterface } from 'node:readline';
import type { CliIO } from './io.js';

/** Writes the question to stdout and resolves with the next line of stdin ('' at end of input). */
export async function askLine(io: CliIO, question: string): Promise<string> {
  io.stdout.write(question);
  const lines = createInterface({ input: io.stdin, terminal: false });
  try {
    return await new Promise<string>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(''));
    });
  } finally {
    lines.close();
  }
}

/** Terraform's rule: only the exact word 'yes' approves. */
export async function confirmYes(io: CliIO, question: string): Promise<boolean> {
  const answer = await askLine(
    io,
    `${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `,
  );
  return answer.trim() === 'yes';
}
