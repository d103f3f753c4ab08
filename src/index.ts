// The library: the same engine the CLI drives, for tools that embed it. Every stage takes and returns
// plain data (DESIGN.md, "The pipeline"); nothing here prints or exits.
export type { ActionOutcome, ApplyEvent, ApplyResult } from './apply/events.js';
export { type ApplyOptions, apply } from './apply/executor.js';
export { assetScopeOf, makePlan } from './engine/make-plan.js';
export { StalePlanError, staleReasons } from './engine/staleness.js';
export { AppError } from './errors/app-error.js';
export { type Diagnostic, type LoadResult, loadManifest, type Manifest } from './manifest/index.js';
export { type PlanFile, readPlanFile, writePlanFile } from './plan/plan-file.js';
export { PlanError, plan } from './plan/planner.js';
export type { Action, Plan, PlanBasis, PlanNote } from './plan/types.js';
export {
  ApiError,
  type AppstoreApi,
  type ClientOptions,
  createAppstoreApi,
  fetchRemoteState,
  type RemoteState,
  readCredentials,
} from './remote/index.js';
export { renderPlanHuman } from './render/plan-human.js';
export { renderPlanJson } from './render/plan-json.js';
export { renderPlanMarkdown } from './render/plan-markdown.js';
export { readStateFile, writeStateFile } from './state-file/state-file.js';
export type { StateFile } from './state-file/types.js';
