import { readFileSync } from 'node:fs';

// Read once from package.json so plan files record the exact tool version that made them.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
export const TOOL_VERSION: string = pkg.version;
