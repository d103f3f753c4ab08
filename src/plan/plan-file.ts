// A saved plan: the Plan (with its basis) plus the tool version that made it. No secrets can be in it:
// the Plan holds manifest values, remote values and hashes, never credentials or tokens.
import { readFile, writeFile } from 'node:fs/promises';
import { AppError } from '../errors/app-error.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

export const PLAN_FILE_KIND = 'appstore-release-plan';

export interface PlanFile {
  kind: typeof PLAN_FILE_KIND;
  format_version: typeof PLAN_FORMAT_VERSION;
  tool_version: string;
  /** The manifest the plan was made from, relative to the working directory at plan time. */
  manifest: string;
  plan: Plan;
}

export function serializePlanFile(file: PlanFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

export async function writePlanFile(path: string, file: PlanFile): Promise<void> {
  await writeFile(path, serializePlanFile(file), 'utf8');
}

export async function readPlanFile(path: string): Promise<PlanFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      'plan_file_unreadable',
      code === 'ENOENT'
        ? `No plan file at ${path}.`
        : `Cannot read the plan file ${path}: ${(error as Error).message}`,
      { hint: "Create one with 'appstore-release plan --out FILE'." },
    );
  }
  let parsed: Partial<PlanFile>;
  try {
    parsed = JSON.parse(text) as Partial<PlanFile>;
  } catch {
    throw new AppError('plan_file_invalid', `${path} is not a plan file (not JSON).`, {
      hint: "Create one with 'appstore-release plan --out FILE'.",
    });
  }
  if (parsed?.kind !== PLAN_FILE_KIND || typeof parsed.plan !== 'object' || parsed.plan === null) {
    throw new AppError('plan_file_invalid', `${path} is not an appstore-release plan file.`, {
      hint: "Create one with 'appstore-release plan --out FILE'.",
    });
  }
  if (parsed.format_version !== PLAN_FORMAT_VERSION) {
    throw new AppError(
      'plan_file_version',
      `${path} has plan format ${String(parsed.format_version)}; this appstore-release reads format ${PLAN_FORMAT_VERSION}.`,
      { hint: 'Make the plan again with this version of the tool.' },
    );
  }
  return parsed as PlanFile;
}
