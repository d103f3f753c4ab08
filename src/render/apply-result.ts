import type { ApplyResult } from '../apply/events.js';

export function renderApplyResultHuman(result: ApplyResult): string {
  const count = (outcome: string) => result.outcomes.filter((o) => o.outcome === outcome).length;
  const lines: string[] = [''];
  const failed = result.outcomes.filter((o) => o.outcome === 'failed');
  for (const f of failed) {
    lines.push(`Failed: ${f.address} (${f.kind}): ${f.message ?? ''}`);
    if (f.hint) lines.push(`  ${f.hint}`);
  }
  if (result.unplanned.length > 0) {
    lines.push(
      `Not performed, because the plan did not show them: ${result.unplanned.join(', ')}. Run plan again to review them.`,
    );
  }
  if (result.commitError !== undefined) {
    lines.push(`Commit refused: ${result.commitError.message}`);
    if (result.commitError.hint) lines.push(`  ${result.commitError.hint}`);
  }
  if (result.interrupted)
    lines.push('Interrupted: the actions not started are listed as not started; run apply again to finish.');
  const head = result.ok ? 'Apply complete!' : result.interrupted ? 'Apply interrupted.' : 'Apply failed.';
  lines.push(
    `${head} Actions: ${count('applied')} applied, ${count('skipped')} already done, ${count('failed')} failed, ${count('not-started')} not started.`,
  );
  if (result.editId !== null) {
    lines.push(
      result.committed
        ? `Edit ${result.editId} committed: the version is now in review.`
        : `Edit ${result.editId} is open and not committed. Submit it with 'appstore-release edit commit' (or apply --commit).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The result as JSON; part of the same public contract as the plan (format_version 1). */
export function renderApplyResultJson(result: ApplyResult): string {
  return `${JSON.stringify({ type: 'result', format_version: 1, ...result })}\n`;
}
