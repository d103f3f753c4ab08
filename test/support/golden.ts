import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/** Compares with a golden file; `UPDATE_GOLDEN=1 npx vitest run` rewrites them (review the diff!). */
export function expectGolden(path: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`Missing golden file ${path}; create it with UPDATE_GOLDEN=1.`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
