// Edits: the open edit, create, get, previous, delete, validate, commit (appstore-api.md §3 E1–E7, §6).
import type { Edit } from '../../appstore/types.js';
import { ApiError } from '../api-errors.js';
import type { EditRecord } from '../model.js';
import type { Route, RouteContext } from '../routing.js';
import { json, noContent } from '../routing.js';
import { validateEdit } from '../validation.js';
import {
  appOf,
  checkPrecondition,
  EDIT_NODE,
  readableEdit,
  requireIfMatch,
  withEtag,
  writableEdit,
} from './scope.js';

export const APP = '/v1/applications/:appId';
export const EDIT = `${APP}/edits/:editId`;

/** The wire Edit. The live version's edit shows status LIVE (seen in clients' code; not in our shared type). */
function toWireEdit(edit: EditRecord): Edit {
  return { id: edit.id, status: edit.status as Edit['status'] };
}

function getActiveEdit(context: RouteContext) {
  const app = appOf(context);
  if (app.openEdit === null) return json({});
  return withEtag(app.openEdit, EDIT_NODE, toWireEdit(app.openEdit));
}

function createEdit(context: RouteContext) {
  const app = appOf(context);
  const edit = context.store.createEdit(app);
  return json(toWireEdit(edit));
}

function getEdit(context: RouteContext) {
  const { edit } = readableEdit(context);
  return withEtag(edit, EDIT_NODE, toWireEdit(edit));
}

function getPreviousEdit(context: RouteContext) {
  const app = appOf(context);
  if (app.liveEdit === null) return json({});
  return withEtag(app.liveEdit, EDIT_NODE, toWireEdit(app.liveEdit));
}

function deleteEdit(context: RouteContext) {
  const { app, edit } = readableEdit(context);
  const ifMatch = requireIfMatch(context);
  if (edit.status !== 'IN_PROGRESS') {
    throw ApiError.of(
      403,
      'error_edit_not_in_progress',
      `The edit ${edit.id} is ${edit.status} and cannot be deleted.`,
    );
  }
  checkPrecondition(edit, EDIT_NODE, ifMatch);
  app.openEdit = null;
  return noContent();
}

/** validate: If-Match optional (clients differ, §5.2); when sent it must be current. */
function validate(context: RouteContext) {
  const { app, edit } = writableEdit(context);
  const ifMatch = context.req.headers['if-match'];
  if (ifMatch !== undefined && ifMatch.trim() !== '') checkPrecondition(edit, EDIT_NODE, ifMatch);
  const errors = validateEdit(app, edit, context.config.rules);
  if (errors.length > 0) throw new ApiError(403, errors);
  return json(toWireEdit(edit));
}

function commit(context: RouteContext) {
  const { app, edit } = writableEdit(context);
  checkPrecondition(edit, EDIT_NODE, requireIfMatch(context));
  const errors = validateEdit(app, edit, context.config.rules);
  if (errors.length > 0) throw new ApiError(403, errors);
  context.store.submitForReview(edit);
  return json(toWireEdit(edit));
}

export const editRoutes: Route[] = [
  { method: 'GET', pattern: `${APP}/edits`, operation: 'getActiveEdit', handler: getActiveEdit },
  { method: 'POST', pattern: `${APP}/edits`, operation: 'createEdit', handler: createEdit },
  { method: 'GET', pattern: `${APP}/edits/previous`, operation: 'getPreviousEdit', handler: getPreviousEdit },
  { method: 'GET', pattern: EDIT, operation: 'getEdit', handler: getEdit },
  { method: 'DELETE', pattern: EDIT, operation: 'deleteEdit', handler: deleteEdit },
  { method: 'POST', pattern: `${EDIT}/validate`, operation: 'validateEdit', handler: validate },
  { method: 'POST', pattern: `${EDIT}/commit`, operation: 'commitEdit', handler: commit },
];
