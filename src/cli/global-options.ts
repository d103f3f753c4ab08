// Options every command accepts (DESIGN.md, command-line surface). Each command spreads these into its
// own `parseArgs` table.
export const GLOBAL_OPTIONS = {
  'api-url': { type: 'string' },
  'token-url': { type: 'string' },
  'no-color': { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const DEFAULT_API_URL = 'https://developer.amazon.com/api/appstore';
export const DEFAULT_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

export interface GlobalValues {
  'api-url'?: string;
  'token-url'?: string;
  'no-color'?: boolean;
  debug?: boolean;
}

export function resolveEndpoints(
  values: GlobalValues,
  env: NodeJS.ProcessEnv,
): { apiUrl: string; tokenUrl: string } {
  return {
    apiUrl: values['api-url'] ?? env.APPSTORE_API_URL ?? DEFAULT_API_URL,
    tokenUrl: values['token-url'] ?? env.APPSTORE_TOKEN_URL ?? DEFAULT_TOKEN_URL,
  };
}
