// The planner is a pure function of (Manifest, RemoteState, StateFile): no clock, no network, no file
// system, so the same inputs always give byte-identical plans.
import { emptyListingText } from '../appstore/types.js';
import { AppError } from '../errors/app-error.js';
import { fingerprint } from '../fingerprint/fingerprint.js';
import type { Manifest } from '../manifest/types.js';
import type { RemoteState } from '../remote/remote-state.js';
import type { StateFile } from '../state-file/types.js';
import { address } from './addresses.js';
import { fileRef, planApks } from './plan-apks.js';
import { managedAssetLists, planAssets } from './plan-assets.js';
import { planAvailability, planDetails } from './plan-details.js';
import { planListings } from './plan-listings.js';
import { type Action, PLAN_FORMAT_VERSION, type Plan, type PlanNote, type PlanSummary } from './types.js';

export class PlanError extends AppError {
  readonly problems: string[];
  constructor(problems: string[], hint: string) {
    super(
      'plan_failed',
      problems.length === 1 ? problems[0]! : `The plan cannot be made:\n  - ${problems.join('\n  - ')}`,
      {
        hint,
      },
    );
    this.problems = problems;
  }
}

export function plan(manifest: Manifest, remote: RemoteState, state: StateFile | undefined): Plan {
  if (remote.edit?.value.status === 'REVIEW') {
    throw new PlanError(
      [
        `The open edit ${remote.edit.value.id} of app ${remote.appId} is in REVIEW: a version is being reviewed by Amazon.`,
      ],
      'Wait until the review ends (the edit then goes live and closes), then run plan again.',
    );
  }
  if (state !== undefined && state.app_id !== manifest.appId) {
    throw new PlanError(
      [`The state file ${manifest.stateFile} belongs to app ${state.app_id}, not ${manifest.appId}.`],
      'Point stateFile at this app’s state file, or delete it.',
    );
  }
  const notes: PlanNote[] = [];
  const actions: Action[] = [];
  const basis: Record<string, string> = {};
  const problems: string[] = [];

  if (remote.source === 'none' || remote.apks === undefined || remote.listings === undefined) {
    actions.push(...unknownActions(manifest));
    notes.push({
      kind: 'unknown-until-edit',
      address: address.edit,
      message:
        'No edit is open and the live version could not be read without creating one: current values are known after the edit is created. Run plan --open-edit for an exact diff.',
    });
  } else {
    const apks = planApks(manifest.apks, remote.apks, state, manifest.prune.apks);
    problems.push(...apks.problems);
    const listings = planListings(manifest.listings, remote.listings, {
      prune: manifest.prune.listings,
      defaultLanguage: remote.details?.value.defaultLanguage,
    });
    const assets = planAssets(manifest.listings, remote.listings, state);
    const details = remote.details && planDetails(manifest.details, remote.details.value);
    const availability =
      remote.availability && planAvailability(manifest.availability, remote.availability.value);
    Object.assign(basis, apks.basis, listings.basis, assets.basis);
    if (details) basis[address.details] = details.basis;
    if (availability) basis[address.availability] = availability.basis;
    notes.push(...apks.notes, ...listings.notes);
    actions.push(...apks.actions, ...listings.actions, ...assets.actions);
    if (details?.action) actions.push(details.action);
    if (availability?.action) actions.push(availability.action);
  }
  if (problems.length > 0) throw new PlanError(problems, 'Fix the manifest and run plan again.');

  const needsEdit = remote.edit === null && actions.length > 0;
  // The edit is assumed absent: fingerprint(null), like any resource the plan creates.
  const createEdit: Action = {
    kind: 'create-edit',
    address: 'edit',
    change: 'create',
    assumed: { fingerprint: fingerprint(null) },
  };
  const ordered = [...(needsEdit ? [createEdit] : []), ...orderForExecution(actions)];
  return {
    format_version: PLAN_FORMAT_VERSION,
    appId: manifest.appId,
    edit: remote.edit === null ? null : { id: remote.edit.value.id, status: remote.edit.value.status },
    source: remote.source,
    actions: ordered,
    notes: notes.sort((a, b) => a.address.localeCompare(b.address)),
    summary: summarize(ordered),
    basis: {
      appId: manifest.appId,
      source: remote.source,
      editId: remote.edit?.value.id ?? null,
      readFrom: remote.readFrom,
      remote: sortRecord(basis),
      manifestDigest: manifest.digest,
      files: localFiles(manifest),
    },
  };
}

/** Execution order (DESIGN): APKs → targeting → listings → images and videos → details and availability. */
const PHASE: Record<Action['kind'], number> = {
  'create-edit': 0,
  'replace-apk': 1,
  'upload-apk': 1,
  'delete-apk': 2,
  'update-targeting': 3,
  'put-listing': 4,
  'delete-listing': 4,
  'delete-image': 5,
  'delete-video': 5,
  'replace-image-list': 5,
  'replace-video-list': 5,
  'upload-image': 5,
  'upload-video': 5,
  'put-details': 6,
  'put-availability': 6,
};

/** Stable: within a phase the planner's order (which follows the manifest) is kept. */
export function orderForExecution(actions: Action[]): Action[] {
  return actions
    .map((action, index) => ({ action, index }))
    .sort((a, b) => PHASE[a.action.kind] - PHASE[b.action.kind] || a.index - b.index)
    .map(({ action }) => action);
}

export function summarize(actions: Action[]): PlanSummary {
  const summary = { add: 0, change: 0, destroy: 0 };
  for (const action of actions) {
    if (action.kind === 'create-edit') continue;
    if (action.change === 'create') summary.add++;
    else if (action.change === 'delete') summary.destroy++;
    else summary.change++;
  }
  return summary;
}

/** Without any readable remote state, announce every managed thing; apply re-plans once the edit exists. */
function unknownActions(manifest: Manifest): Action[] {
  const unknown = { unknown: true } as const;
  const actions: Action[] = manifest.apks.map((apk) => ({
    kind: 'upload-apk',
    address: address.apk(apk.slot ?? `new:${apk.file.displayPath}`),
    change: 'create',
    assumed: unknown,
    slot: apk.slot,
    after: { versionCode: apk.info.versionCode, file: fileRef(apk.file) },
    targeting: undefined,
  }));
  for (const listing of manifest.listings) {
    actions.push({
      kind: 'put-listing',
      address: address.listing(listing.locale),
      change: 'update',
      assumed: unknown,
      locale: listing.locale,
      fields: Object.fromEntries(
        Object.entries(listing.text).map(([k, v]) => [k, { before: null, after: v }]),
      ),
      body: { language: listing.locale, ...emptyListingText(), ...listing.text },
    });
    for (const { kind, files } of managedAssetLists(listing)) {
      actions.push({
        kind: kind === 'videos' ? 'replace-video-list' : 'replace-image-list',
        address: address.assets(listing.locale, kind),
        change: 'replace',
        assumed: unknown,
        locale: listing.locale,
        assetKind: kind,
        reason: 'known after the edit is created',
        before: [],
        after: files.map(fileRef),
      });
    }
  }
  if (manifest.details !== undefined) {
    actions.push({
      kind: 'put-details',
      address: address.details,
      change: 'update',
      assumed: unknown,
      fields: Object.fromEntries(
        Object.entries(manifest.details).map(([k, v]) => [k, { before: null, after: v }]),
      ),
      body: { defaultLanguage: '', ...manifest.details },
    });
  }
  if (manifest.availability !== undefined) {
    actions.push({
      kind: 'put-availability',
      address: address.availability,
      change: 'update',
      assumed: unknown,
      before: {},
      body: manifest.availability,
    });
  }
  return actions;
}

export function localFiles(manifest: Manifest): Record<string, string> {
  const files: Record<string, string> = {};
  for (const apk of manifest.apks) files[apk.file.displayPath] = apk.file.sha256;
  for (const listing of manifest.listings) {
    for (const { files: list } of managedAssetLists(listing))
      for (const f of list) files[f.displayPath] = f.sha256;
  }
  return sortRecord(files);
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
