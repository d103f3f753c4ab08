// Availability: the requested publishing date of this version (appstore-api.md §3 P1–P2, §4.6).
// No date set reads as `{}` [U].
import type { Availability } from '../../appstore/types.js';
import { badRequest } from '../api-errors.js';
import type { EditRecord } from '../model.js';
import { readJsonObject } from '../request-body.js';
import type { Route, RouteContext } from '../routing.js';
import { json } from '../routing.js';
import { EDIT } from './edits.js';
import {
  AVAILABILITY_NODE,
  checkPrecondition,
  readableEdit,
  recheck,
  requireIfMatch,
  withEtag,
  writableEdit,
} from './scope.js';

/** Local date-time without offset, seconds precision (§4.6). */
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

export function parseAvailabilityBody(body: Record<string, unknown>): Availability {
  const date = body.publishingDate;
  if (date === undefined || date === null) return {};
  if (typeof date !== 'object' || Array.isArray(date)) {
    throw badRequest('error_invalid_field', 'publishingDate must be an object { dateTime, zoneId }.');
  }
  const { dateTime, zoneId } = date as Record<string, unknown>;
  if (typeof dateTime !== 'string' || !DATE_TIME.test(dateTime)) {
    throw badRequest(
      'error_invalid_field',
      'publishingDate.dateTime must be a local date-time without offset, like 2027-01-15T09:00:00.',
    );
  }
  if (typeof zoneId !== 'string' || zoneId.trim() === '') {
    throw badRequest('error_invalid_field', 'publishingDate.zoneId must be a time-zone id, like US/Pacific.');
  }
  return { publishingDate: { dateTime, zoneId } };
}

export function writeAvailability(edit: EditRecord, availability: Availability): void {
  edit.snapshot.availability = availability;
  edit.etags.bump(AVAILABILITY_NODE);
}

function getAvailability(context: RouteContext) {
  const { edit } = readableEdit(context);
  return withEtag(edit, AVAILABILITY_NODE, structuredClone(edit.snapshot.availability));
}

async function putAvailability(context: RouteContext) {
  const { app, edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  checkPrecondition(edit, AVAILABILITY_NODE, ifMatch);
  const availability = parseAvailabilityBody(await readJsonObject(context.body));
  recheck(app, edit, { path: AVAILABILITY_NODE, ifMatch });
  writeAvailability(edit, availability);
  return json(structuredClone(availability));
}

export const availabilityRoutes: Route[] = [
  { method: 'GET', pattern: `${EDIT}/availability`, operation: 'getAvailability', handler: getAvailability },
  {
    method: 'PUT',
    pattern: `${EDIT}/availability`,
    operation: 'updateAvailability',
    handler: putAvailability,
  },
];
