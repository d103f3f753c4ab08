// Device targeting of one APK (appstore-api.md §3 T1–T2, §4.3, §7.2). The PUT body is the full object
// from GET with statuses flipped; DISABLED devices (excluded by the APK's features) stay DISABLED.
import type { ApiErrorEntry } from '../../appstore/types.js';
import { ApiError, notFound } from '../api-errors.js';
import { DEVICE_CATALOGUE, findDevice } from '../devices.js';
import { type ApkRecord, type EditRecord, isDisabledFor, toWireTargeting } from '../model.js';
import { readJsonObject } from '../request-body.js';
import type { Route, RouteContext } from '../routing.js';
import { json } from '../routing.js';
import { APK } from './apks.js';
import {
  apkOf,
  checkPrecondition,
  readableEdit,
  recheck,
  requireIfMatch,
  targetingNode,
  withEtag,
  writableEdit,
} from './scope.js';

const STATUSES = ['TARGETING', 'NOT_TARGETING', 'DISABLED'];

/** The ids to target, from a full Targeting body; 400 with every problem found. */
export function parseTargetingBody(body: Record<string, unknown>, apk: ApkRecord): string[] {
  const problems: ApiErrorEntry[] = [];
  const targeted = new Set<string>();
  const seen = new Set<string>();
  for (const group of ['amazonDevices', 'nonAmazonDevices'] as const) {
    const list = body[group];
    if (!Array.isArray(list)) {
      problems.push({
        errorCode: 'required_data_absent',
        errorMessage: `${group} must be an array of devices.`,
      });
      continue;
    }
    for (const entry of list as unknown[]) {
      const { id, status } = (entry ?? {}) as { id?: unknown; status?: unknown };
      if (typeof id !== 'string' || typeof status !== 'string' || !STATUSES.includes(status)) {
        problems.push({
          errorCode: 'error_invalid_field',
          errorMessage: `Each entry of ${group} needs an id and a status (${STATUSES.join(', ')}).`,
        });
        continue;
      }
      const device = findDevice(id);
      if (device === undefined || device.amazon !== (group === 'amazonDevices')) {
        problems.push({
          errorCode: 'error_unknown_device',
          errorMessage: `${id} is not a device of ${group}.`,
        });
        continue;
      }
      if (seen.has(id)) {
        problems.push({ errorCode: 'error_invalid_field', errorMessage: `${device.name} is listed twice.` });
        continue;
      }
      seen.add(id);
      const disabled = isDisabledFor(apk, id);
      if (disabled && status === 'TARGETING') {
        problems.push({
          errorCode: 'error_device_disabled',
          errorMessage: `${device.name} is DISABLED for ${apk.name}: its manifest makes it incompatible.`,
        });
      } else if (!disabled && status === 'DISABLED') {
        problems.push({
          errorCode: 'error_invalid_field',
          errorMessage: `${device.name} cannot be set to DISABLED; use TARGETING or NOT_TARGETING.`,
        });
      } else if (status === 'TARGETING') {
        targeted.add(id);
      }
    }
  }
  if (problems.length > 0) throw new ApiError(400, problems);
  return DEVICE_CATALOGUE.filter((d) => targeted.has(d.id)).map((d) => d.id);
}

export function writeTargeting(edit: EditRecord, apk: ApkRecord, targeted: string[]): void {
  apk.targeted = targeted;
  edit.etags.bump(targetingNode(apk.id));
}

function getTargeting(context: RouteContext) {
  const { edit } = readableEdit(context);
  const apk = apkOf(context, edit);
  return withEtag(edit, targetingNode(apk.id), toWireTargeting(apk));
}

async function putTargeting(context: RouteContext) {
  const { app, edit } = writableEdit(context);
  const ifMatch = requireIfMatch(context);
  const apk = apkOf(context, edit);
  checkPrecondition(edit, targetingNode(apk.id), ifMatch);
  const targeted = parseTargetingBody(await readJsonObject(context.body), apk);
  recheck(app, edit, { path: targetingNode(apk.id), ifMatch });
  if (!edit.snapshot.apks.includes(apk))
    throw notFound('error_apk_not_found', `The APK ${apk.id} was deleted meanwhile.`);
  writeTargeting(edit, apk, targeted);
  return json(toWireTargeting(apk));
}

export const targetingRoutes: Route[] = [
  { method: 'GET', pattern: `${APK}/targeting`, operation: 'getApkTargeting', handler: getTargeting },
  { method: 'PUT', pattern: `${APK}/targeting`, operation: 'updateApkTargeting', handler: putTargeting },
];
