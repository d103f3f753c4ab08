// The executor carries out the plan's actions, one API write each, in the plan's order. It never
// invents an action: when the plan was made without an open edit, it creates the edit, re-plans, and
// performs only the announced actions that are still needed.

import { makePlan } from '../engine/make-plan.js';
import { AppError } from '../errors/app-error.js';
import type { Manifest } from '../manifest/types.js';
import type { Action, Plan } from '../plan/types.js';
import type { AppstoreApi, EditRef } from '../remote/api.js';
import { readStateFile } from '../state-file/state-file.js';
import { emptyState, type StateFile } from '../state-file/types.js';
import { type ApplyContext, stateSaver } from './context.js';
import type { ActionOutcome, ApplyEvent, ApplyResult } from './events.js';
import { Expectations } from './guard.js';
import { handleDeleteApk, handleReplaceApk, handleTargeting, handleUploadApk } from './handle-apks.js';
import { handleAsset } from './handle-assets.js';
import {
  handleDeleteListing,
  handlePutAvailability,
  handlePutDetails,
  handlePutListing,
} from './handle-metadata.js';

export interface ApplyOptions {
  api: AppstoreApi;
  manifest: Manifest;
  plan: Plan;
  /** Submit for review after every action succeeded (DESIGN decision 11). */
  commit?: boolean;
  /** Aborting lets the current request finish, then stops before the next action. */
  signal?: AbortSignal;
  onEvent?: (event: ApplyEvent) => void;
}

export async function apply(options: ApplyOptions): Promise<ApplyResult> {
  const { api, manifest, plan } = options;
  const emit = options.onEvent ?? (() => {});
  const result: ApplyResult = {
    appId: plan.appId,
    editId: plan.edit?.id ?? null,
    outcomes: [],
    committed: false,
    interrupted: false,
    ok: false,
    unplanned: [],
  };
  const work = plan.actions.filter((a) => a.kind !== 'create-edit');
  if (work.length === 0) {
    // Nothing to change, but an open edit (changed by an earlier apply) may still be committed.
    result.ok = true;
    if (options.commit && plan.edit !== null) {
      await commitTo({ appId: plan.appId, editId: plan.edit.id }, api, result, emit);
    }
    return result;
  }

  let actions: Action[] = work;
  let edit: EditRef;
  let state: StateFile;
  if (plan.edit === null) {
    const opened = await openEditFor(api, plan);
    edit = { appId: plan.appId, editId: opened };
    result.editId = opened;
    emit({ type: 'edit', editId: opened, created: true });
    // Now the exact values are readable: re-plan, and keep only what the saved plan announced.
    const fresh = await makePlan(manifest, api);
    const chosen = announcedStillNeeded(plan, fresh.plan);
    actions = chosen.actions;
    result.unplanned = chosen.unplanned;
    state = fresh.state ?? emptyState(plan.appId);
  } else {
    edit = { appId: plan.appId, editId: plan.edit.id };
    emit({ type: 'edit', editId: plan.edit.id, created: false });
    state = (await readStateFile(manifest.stateFile)) ?? emptyState(plan.appId);
  }

  let index = -1;
  const ctx: ApplyContext = {
    api,
    edit,
    manifest,
    state,
    expectations: new Expectations(),
    progress: (sent, total) => emit({ type: 'progress', index, sent, total }),
    saveState: stateSaver(manifest.stateFile, state, (path) => emit({ type: 'state-written', path })),
  };

  emit({ type: 'start', actions });
  let failed = false;
  for (const [i, action] of actions.entries()) {
    index = i;
    if (failed || options.signal?.aborted) {
      if (options.signal?.aborted) result.interrupted = true;
      const outcome: ActionOutcome = { address: action.address, kind: action.kind, outcome: 'not-started' };
      result.outcomes.push(outcome);
      emit({ type: 'action-end', index: i, action, result: outcome });
      continue;
    }
    emit({ type: 'action-start', index: i, action });
    let outcome: ActionOutcome;
    try {
      const done = await perform(ctx, action);
      outcome = { address: action.address, kind: action.kind, outcome: done };
      if (done === 'skipped') outcome.message = 'already done (an earlier apply landed it)';
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failed = true;
      outcome = { address: action.address, kind: action.kind, outcome: 'failed', message: error.message };
      if (error.hint !== undefined) outcome.hint = error.hint;
    }
    result.outcomes.push(outcome);
    emit({ type: 'action-end', index: i, action, result: outcome });
  }

  result.ok = !failed && !result.interrupted && result.unplanned.length === 0;
  if (result.ok && options.commit) await commitTo(edit, api, result, emit);
  return result;
}

/** A refused commit is a result, not a crash: the actions before it did happen and must be reported. */
async function commitTo(edit: EditRef, api: AppstoreApi, result: ApplyResult, emit: (e: ApplyEvent) => void) {
  try {
    await commitEdit(api, edit, emit);
    result.committed = true;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    result.ok = false;
    result.commitError = {
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    };
  }
}

async function openEditFor(api: AppstoreApi, plan: Plan): Promise<string> {
  const active = await api.getActiveEdit(plan.appId);
  if (active.value !== null) {
    throw new AppError(
      'stale_plan',
      `Saved plan is stale: it was made with no open edit, and edit ${active.value.id} has been opened since.`,
      { hint: 'Run plan again to diff against the open edit.' },
    );
  }
  return (await api.createEdit(plan.appId)).value.id;
}

/**
 * Which of the fresh plan's actions the saved plan announced. With values read from the previous
 * edit, an action counts only if its target still has the content the saved plan saw; with nothing
 * read (`none`), the user approved making each announced address match the manifest.
 */
export function announcedStillNeeded(saved: Plan, fresh: Plan): { actions: Action[]; unplanned: string[] } {
  const announced = new Set(saved.actions.map((a) => a.address));
  const managedApks = saved.actions.some((a) => a.address.startsWith('apk.'));
  const actions: Action[] = [];
  const unplanned: string[] = [];
  for (const action of fresh.actions) {
    if (action.kind === 'create-edit') continue;
    const isAnnounced =
      saved.source === 'none'
        ? announced.has(action.address) || (managedApks && action.address.startsWith('apk.'))
        : announced.has(action.address) &&
          'fingerprint' in action.assumed &&
          saved.basis.remote[action.address] === action.assumed.fingerprint;
    if (isAnnounced) actions.push(action);
    else unplanned.push(action.address);
  }
  return { actions, unplanned };
}

async function perform(ctx: ApplyContext, action: Action): Promise<'applied' | 'skipped'> {
  switch (action.kind) {
    case 'create-edit':
      return 'skipped';
    case 'replace-apk':
      await handleReplaceApk(ctx, action);
      return 'applied';
    case 'upload-apk':
      return handleUploadApk(ctx, action);
    case 'delete-apk':
      await handleDeleteApk(ctx, action);
      return 'applied';
    case 'update-targeting':
      await handleTargeting(ctx, action);
      return 'applied';
    case 'put-listing':
      await handlePutListing(ctx, action);
      return 'applied';
    case 'delete-listing':
      await handleDeleteListing(ctx, action);
      return 'applied';
    case 'upload-image':
    case 'upload-video':
    case 'delete-image':
    case 'delete-video':
    case 'replace-image-list':
    case 'replace-video-list':
      await handleAsset(ctx, action);
      return 'applied';
    case 'put-details':
      await handlePutDetails(ctx, action);
      return 'applied';
    case 'put-availability':
      await handlePutAvailability(ctx, action);
      return 'applied';
  }
}

/** Validate, then commit with the edit's ETag read after the last mutation (appstore-api.md §3.3). */
export async function commitEdit(
  api: AppstoreApi,
  edit: EditRef,
  emit: (event: ApplyEvent) => void,
): Promise<void> {
  emit({ type: 'commit', status: 'validating' });
  const before = await api.getEdit(edit);
  await api.validateEdit(edit, before.etag);
  emit({ type: 'commit', status: 'committing' });
  const fresh = await api.getEdit(edit);
  await api.commitEdit(edit, fresh.etag ?? '');
  emit({ type: 'commit', status: 'committed' });
}
