// Login with Amazon's token endpoint, client-credentials grant only (appstore-api.md §2.2). Errors are
// OAuth 2.0 shaped (RFC 6749 §5.2), not Appstore-API shaped.

import { readText } from '../request-body.js';
import type { Route, RouteContext } from '../routing.js';
import { json } from '../routing.js';

export const TOKEN_PATH = '/auth/o2/token';
export const APPSTORE_SCOPE = 'appstore::apps:readwrite';

const oauthError = (status: number, error: string, description: string) =>
  json({ error, error_description: description }, status, { 'Cache-Control': 'no-store' });

/** Form-encoded per the docs; JSON bodies with the same keys are accepted too (several clients send them). */
async function readParams(context: RouteContext): Promise<Map<string, string> | undefined> {
  const text = await readText(context.body, 64 * 1024);
  const type = context.req.headers['content-type'] ?? '';
  if (/json/i.test(type) || text.trimStart().startsWith('{')) {
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      return new Map(
        Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => typeof v === 'string')
          .map(([k, v]) => [k, v as string]),
      );
    } catch {
      return undefined;
    }
  }
  return new Map(new URLSearchParams(text));
}

async function token(context: RouteContext) {
  const params = await readParams(context);
  if (params === undefined)
    return oauthError(400, 'invalid_request', 'The request body could not be parsed.');
  const missing = ['grant_type', 'client_id', 'client_secret', 'scope'].filter((k) => !params.get(k));
  const grantType = params.get('grant_type');
  if (grantType !== undefined && grantType !== '' && grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}.`);
  }
  if (missing.length > 0) {
    return oauthError(400, 'invalid_request', `Missing required parameter(s): ${missing.join(', ')}.`);
  }
  const credential = context.store.credential(params.get('client_id') ?? '');
  if (credential === undefined || credential.clientSecret !== params.get('client_secret')) {
    return oauthError(401, 'invalid_client', 'Client authentication failed.');
  }
  if (params.get('scope') !== APPSTORE_SCOPE) {
    return oauthError(400, 'invalid_scope', `The requested scope is invalid. Use ${APPSTORE_SCOPE}.`);
  }
  if (credential.attached === false) {
    return oauthError(
      400,
      'invalid_scope',
      'The security profile is not attached to the App Submission API.',
    );
  }
  const issued = context.store.issueToken(credential.clientId);
  return json(
    {
      access_token: issued.accessToken,
      scope: APPSTORE_SCOPE,
      token_type: 'bearer',
      expires_in: issued.expiresIn,
    },
    200,
    { 'Cache-Control': 'no-store' },
  );
}

export const tokenRoutes: Route[] = [
  { method: 'POST', pattern: TOKEN_PATH, operation: 'token', handler: token },
];
