// A saved plan is applied only if the world still looks as it did when it was made (Terraform's
// "Saved plan is stale"): the same edit, the same remote content, the same manifest and files.
import { AppError } from '../errors/app-error.js';
import type { Plan } from '../plan/types.js';

export function staleReasons(saved: Plan, fresh: Plan): string[] {
  const reasons: string[] = [];
  const a = saved.basis;
  const b = fresh.basis;
  if (a.appId !== b.appId) reasons.push(`the manifest now names app ${b.appId}, the plan was for ${a.appId}`);
  if (a.editId !== b.editId) {
    reasons.push(
      a.editId === null
        ? `edit ${b.editId} has been opened since the plan was made`
        : b.editId === null
          ? `edit ${a.editId} is no longer open`
          : `the open edit is now ${b.editId}, the plan was made for ${a.editId}`,
    );
  }
  if (a.manifestDigest !== b.manifestDigest) {
    const changedFiles = Object.keys({ ...a.files, ...b.files })
      .filter((path) => a.files[path] !== b.files[path])
      .sort();
    reasons.push(
      changedFiles.length > 0
        ? `local files changed: ${changedFiles.join(', ')}`
        : 'the manifest changed since the plan was made',
    );
  }
  if (reasons.length === 0) {
    const changed = Object.keys(a.remote)
      .filter((address) => a.remote[address] !== b.remote[address])
      .sort();
    if (changed.length > 0) reasons.push(`remote content changed: ${changed.join(', ')}`);
  }
  return reasons;
}

export class StalePlanError extends AppError {
  constructor(reasons: string[]) {
    super('stale_plan', `Saved plan is stale: ${reasons.join('; ')}.`, {
      hint: 'Run plan again, review the new plan, and apply that one.',
    });
  }
}
