// The Login with Amazon client credentials of a security profile, read from the environment.
import { AppError } from '../errors/app-error.js';

export const CLIENT_ID_VARIABLE = 'AMAZON_APPSTORE_CLIENT_ID';
export const CLIENT_SECRET_VARIABLE = 'AMAZON_APPSTORE_CLIENT_SECRET';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Reads both variables. Surrounding whitespace (typically the newline of `$(cat secret.txt)` or of a CI
 * secret pasted with Enter) is trimmed with a warning: the token endpoint would otherwise reject the
 * value, or accept it and hand out a token the API gateway then refuses (appstore-api.md §2.3).
 */
export function readCredentials(env: NodeJS.ProcessEnv): { credentials: Credentials; warnings: string[] } {
  const warnings: string[] = [];
  const missing: string[] = [];
  const read = (name: string): string => {
    const raw = env[name];
    const value = raw?.trim() ?? '';
    if (value === '') {
      missing.push(name);
    } else if (value !== raw) {
      warnings.push(`${name} had leading or trailing whitespace (a newline?); it was trimmed.`);
    }
    return value;
  };
  const clientId = read(CLIENT_ID_VARIABLE);
  const clientSecret = read(CLIENT_SECRET_VARIABLE);
  if (missing.length > 0) {
    const names = missing.join(' and ');
    throw new AppError(
      'missing_credentials',
      `${names} ${missing.length === 1 ? 'is' : 'are'} not set: the App Submission API needs a client id and secret.`,
      {
        hint:
          `Create a security profile (Developer Console › API Access), attach it to the App Submission API, ` +
          `and export ${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE} from its Web Settings.`,
      },
    );
  }
  return { credentials: { clientId, clientSecret }, warnings };
}
