// The read side of the pipeline: manifest + remote + state file → Plan. Used by `plan`, by `apply`
// (to re-check a saved plan, and to re-plan once an edit exists) and by library users.
import type { Manifest } from '../manifest/types.js';
import { managedAssetLists } from '../plan/plan-assets.js';
import { plan } from '../plan/planner.js';
import type { Plan } from '../plan/types.js';
import type { AppstoreApi } from '../remote/api.js';
import { fetchRemoteState } from '../remote/fetch-state.js';
import type { AssetScope, RemoteState } from '../remote/remote-state.js';
import { readStateFile } from '../state-file/state-file.js';
import type { StateFile } from '../state-file/types.js';

/** Only the asset lists the manifest manages are read: 9 image types × 20 locales would be 180 GETs. */
export function assetScopeOf(manifest: Manifest): AssetScope {
  return manifest.listings.flatMap((listing) =>
    managedAssetLists(listing).map(({ kind }) => ({ locale: listing.locale, kind })),
  );
}

export interface PlanInputs {
  plan: Plan;
  remote: RemoteState;
  state: StateFile | undefined;
}

export async function makePlan(
  manifest: Manifest,
  api: AppstoreApi,
  options: { openEdit?: boolean } = {},
): Promise<PlanInputs> {
  const [remote, state] = await Promise.all([
    fetchRemoteState(api, manifest.appId, {
      assets: assetScopeOf(manifest),
      openEdit: options.openEdit ?? false,
    }),
    readStateFile(manifest.stateFile),
  ]);
  return { plan: plan(manifest, remote, state), remote, state };
}
