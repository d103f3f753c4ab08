// The plan is a value (Terraform's model): computed by a pure planner, rendered, saved, then applied.
// Its JSON form is a versioned public contract (PLAN_FORMAT_VERSION); change it only additively
// within a version.
import type {
  AssetKind,
  Availability,
  Details,
  Listing,
  ListingField,
  Targeting,
} from '../appstore/types.js';
import type { RemoteSource } from '../remote/remote-state.js';

export const PLAN_FORMAT_VERSION = 1;

/** A local file an action uploads, as the plan recorded it. */
export interface FileRef {
  /** Relative to the manifest's folder. */
  path: string;
  sha256: string;
  size: number;
}

/** How a change reads in the human view: `+`, `~`, `-`, `-/+`. */
export type ChangeSymbol = 'create' | 'update' | 'delete' | 'replace';

/**
 * What the planner assumed about the remote value an action acts on, compared again right before the
 * write. `unknown`: no edit was open and nothing could be read, so the executor re-plans after
 * creating the edit and performs the action only if it is still needed.
 */
export type Assumed = { fingerprint: string } | { unknown: true };

interface ActionBase {
  /** Stable, unique, human-readable: `apk.APK1`, `listing.en-US`, `listing.en-US.images.screenshots`. */
  address: string;
  change: ChangeSymbol;
  assumed: Assumed;
}

export interface CreateEditAction extends ActionBase {
  kind: 'create-edit';
  address: 'edit';
  change: 'create';
}

export interface TargetingChange {
  /** Targeted device ids before and after, sorted; DISABLED devices are never in either. */
  before: string[];
  after: string[];
}

export interface ReplaceApkAction extends ActionBase {
  kind: 'replace-apk';
  change: 'replace';
  apkId: string;
  apkName: string;
  before: { versionCode: number };
  after: { versionCode: number; file: FileRef };
}

export interface UploadApkAction extends ActionBase {
  kind: 'upload-apk';
  change: 'create';
  /** The slot the manifest asked for, when it named one that does not exist remotely. */
  slot: string | undefined;
  after: { versionCode: number; file: FileRef };
  /** Devices to target once uploaded (a new APK targets almost nothing by default). */
  targeting: { include: string[]; exclude: string[] } | undefined;
}

export interface DeleteApkAction extends ActionBase {
  kind: 'delete-apk';
  change: 'delete';
  apkId: string;
  apkName: string;
  before: { versionCode: number };
}

export interface UpdateTargetingAction extends ActionBase {
  kind: 'update-targeting';
  change: 'update';
  apkId: string;
  apkName: string;
  diff: TargetingChange;
  /** The full object to PUT: the remote one with statuses flipped. */
  body: Targeting;
}

export type ListingChangedFields = Partial<Record<ListingField, { before: unknown; after: unknown }>>;

export interface PutListingAction extends ActionBase {
  kind: 'put-listing';
  change: 'create' | 'update';
  /** The locale key as the API spells it (remote key when the listing exists). */
  locale: string;
  fields: ListingChangedFields;
  /** The full listing to PUT: remote fields the manifest does not manage are kept. */
  body: Listing;
}

export interface DeleteListingAction extends ActionBase {
  kind: 'delete-listing';
  change: 'delete';
  locale: string;
  before: Listing;
}

interface AssetActionBase extends ActionBase {
  locale: string;
  assetKind: AssetKind;
}

export interface UploadAssetAction extends AssetActionBase {
  kind: 'upload-image' | 'upload-video';
  change: 'create' | 'update';
  file: FileRef;
  /** Single-image types: the upload overwrites this id. */
  overwrites: string | undefined;
}

export interface DeleteAssetAction extends AssetActionBase {
  kind: 'delete-image' | 'delete-video';
  change: 'delete';
  assetId: string;
  /** The local file that produced it, when the state file knows. */
  recordedSha256: string | undefined;
}

export interface ReplaceAssetListAction extends AssetActionBase {
  kind: 'replace-image-list' | 'replace-video-list';
  change: 'replace';
  /** Why the whole list is replaced rather than edited in place. */
  reason: string;
  before: string[];
  after: FileRef[];
}

export interface PutDetailsAction extends ActionBase {
  kind: 'put-details';
  change: 'update';
  fields: Partial<Record<string, { before: unknown; after: unknown }>>;
  body: Details;
}

export interface PutAvailabilityAction extends ActionBase {
  kind: 'put-availability';
  change: 'update';
  before: Availability;
  body: Availability;
}

export type Action =
  | CreateEditAction
  | ReplaceApkAction
  | UploadApkAction
  | DeleteApkAction
  | UpdateTargetingAction
  | PutListingAction
  | DeleteListingAction
  | UploadAssetAction
  | DeleteAssetAction
  | ReplaceAssetListAction
  | PutDetailsAction
  | PutAvailabilityAction;

export type ActionKind = Action['kind'];

/** Something worth saying that is not a change: unmanaged remote things, assumptions. */
export interface PlanNote {
  kind: 'unmanaged-apk' | 'unmanaged-listing' | 'unknown-until-edit' | 'kept-default-listing' | 'info';
  address: string;
  message: string;
}

/**
 * What a plan assumed, so a stale plan is refused: every remote value read (address → fingerprint),
 * the manifest digest and the sha256 of every local file.
 */
export interface PlanBasis {
  appId: string;
  source: RemoteSource;
  editId: string | null;
  /** The edit the values were read from (open or previous), or null. */
  readFrom: string | null;
  remote: Record<string, string>;
  manifestDigest: string;
  files: Record<string, string>;
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

export interface Plan {
  format_version: typeof PLAN_FORMAT_VERSION;
  appId: string;
  edit: { id: string; status: string } | null;
  source: RemoteSource;
  actions: Action[];
  notes: PlanNote[];
  summary: PlanSummary;
  basis: PlanBasis;
}
