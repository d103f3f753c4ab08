// Details: contact data and the (immutable) default language (appstore-api.md §3 D1–D2, §4.5).
import { CONTACT_FIELDS, type Details } from '../../appstore/types.js';
import { ApiError } from '../api-errors.js';
import { canonicalLocale } from '../locales.js';
import { displayLocale, type EditRecord, type LocaleKeyStyle } from '../model.js';
import { readJsonObject } from '../request-body.js';
import type { Route, RouteContext } from '../routing.js';
import { json } from '../routing.js';
import { EDIT } from './edits.js';
import {
  checkPrecondition,
  DETAILS_NODE,
  readableEdit,
  recheck,
  requireIfMatch,
  withEtag,
  writableEdit,
} from './scope.js';

function toWireDetails(details: Details, style: LocaleKeyStyle): Details {
  return { ...details, defaultLanguage: displayLocale(details.defaultLanguage, style) };
}

/** A full Details object; `defaultLanguage` may be omitted or repeated but never changed (§3). */
export function parseDetailsBody(body: Record<string, unknown>, current: Details): Details {
  const problems: { errorCode: string; errorMessage: string }[] = [];
  const next: Details = { defaultLanguage: current.defaultLanguage };
  const language = body.defaultLanguage;
  if (language !== undefined && language !== null) {
    if (typeof language !== 'string' || canonicalLocale(language) !== current.defaultLanguage) {
      problems.push({
        errorCode: 'error_default_language_immutable',
        errorMessage: `defaultLanguage cannot be changed (it is ${current.defaultLanguage}).`,
      });
    }
  }
  for (const field of CONTACT_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      problems.push({ errorCode: 'error_invalid_field', errorMessage: `${field} must be a string.` });
    } else {
      next[field] = value;
    }
  }
  if (problems.length > 0) throw new ApiError(400, problems);
  return next;
}

export function writeDetails(edit: EditRecord, details: Details): void {
  edit.snapshot.details = details;
  edit.etags.bump(DETAILS_NODE);
}

function getDetails(context: RouteContext) {
  const { edit } = readableEdit(context);
  return withEtag(edit, DETAILS_NODE, toWireDetails(edit.snapshot.details, context.config.localeKeyStyle));
}

async function putDetails(context: RouteContext) {
  const { app, edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  checkPrecondition(edit, DETAILS_NODE, ifMatch);
  const details = parseDetailsBody(await readJsonObject(context.body), edit.snapshot.details);
  recheck(app, edit, { path: DETAILS_NODE, ifMatch });
  writeDetails(edit, details);
  return json(toWireDetails(details, context.config.localeKeyStyle));
}

export const detailsRoutes: Route[] = [
  { method: 'GET', pattern: `${EDIT}/details`, operation: 'getDetails', handler: getDetails },
  { method: 'PUT', pattern: `${EDIT}/details`, operation: 'updateDetails', handler: putDetails },
];
