// Turning uploaded bytes into APK facts: stream to a temp file while hashing, parse with the project's
// APK reader, delete the file. Only hash, size, versionCode and required features are kept.
import { rm } from 'node:fs/promises';
import type { Transform } from 'node:stream';
import { readApk } from '../../apk/index.js';
import { badRequest } from '../api-errors.js';
import type { ApkRecord, AppRecord, EditRecord } from '../model.js';
import type { RouteContext } from '../routing.js';
import { receiveHead, receiveToFile } from '../uploads.js';

/** Emulator-only header: take the versionCode from here and skip parsing (1 GB throughput benchmarks). */
export const VERSION_CODE_HEADER = 'x-emulator-version-code';

export interface ApkFacts {
  sha256: string;
  size: number;
  versionCode: number;
  features: string[];
}

export type ApkIntake = ApkFacts | { sha256: string; size: number; error: string };

/** Reads an APK body (optionally through extra stages, e.g. a multipart extractor). Never throws for bad bytes. */
export async function takeApk(context: RouteContext, stages: Transform[] = []): Promise<ApkIntake> {
  const override = context.req.headers[VERSION_CODE_HEADER];
  if (context.config.allowVersionCodeHeader && typeof override === 'string') {
    const received = await receiveHead(context.body, 0, stages);
    if (!/^\d+$/.test(override) || Number(override) < 1) {
      return {
        sha256: received.sha256,
        size: received.size,
        error: `${VERSION_CODE_HEADER} must be a positive integer.`,
      };
    }
    return { sha256: received.sha256, size: received.size, versionCode: Number(override), features: [] };
  }
  const received = await receiveToFile(context.body, context.config.tmpDir, stages);
  try {
    const info = await readApk(received.path);
    return {
      sha256: received.sha256,
      size: received.size,
      versionCode: info.versionCode,
      features: info.usesFeatures.filter((f) => f.required).map((f) => f.name),
    };
  } catch (error) {
    return {
      sha256: received.sha256,
      size: received.size,
      error: (error as Error).message.replace(received.path, 'the upload'),
    };
  } finally {
    await rm(received.path, { force: true });
  }
}

export function requireParsed(intake: ApkIntake): ApkFacts {
  if ('error' in intake)
    throw badRequest('error_invalid_apk', `The uploaded file is not a readable APK: ${intake.error}`);
  return intake;
}

/**
 * versionCode rules at upload time (appstore-api.md §7.1): unique among the edit's APKs and among every
 * released version; a replace must also be higher than what its slot has live.
 */
export function checkVersionCode(
  app: AppRecord,
  edit: EditRecord,
  versionCode: number,
  replacing?: ApkRecord,
): void {
  const clash = edit.snapshot.apks.find((a) => a !== replacing && a.versionCode === versionCode);
  if (clash !== undefined) {
    throw badRequest(
      'error_duplicate_version_code',
      `versionCode ${versionCode} is already used by ${clash.name} in this edit. Bump versionCode.`,
    );
  }
  const liveSlot =
    replacing === undefined ? undefined : app.liveEdit?.snapshot.apks.find((a) => a.id === replacing.id);
  if (liveSlot !== undefined && versionCode <= liveSlot.versionCode) {
    throw badRequest(
      'error_version_code_too_low',
      `versionCode ${versionCode} must be higher than the live versionCode ${liveSlot.versionCode} of ${liveSlot.name}.`,
    );
  }
  if (app.releasedVersionCodes.has(versionCode)) {
    throw badRequest(
      'error_duplicate_version_code',
      `versionCode ${versionCode} was already used by a released version of this app. Bump versionCode.`,
    );
  }
}

/** The alias of the next new APK: one more than the highest `APK<n>` of the edit and the live version. */
export function nextApkName(app: AppRecord, edit: EditRecord): string {
  const numbers = [...edit.snapshot.apks, ...(app.liveEdit?.snapshot.apks ?? [])]
    .map((a) => /^APK(\d+)$/.exec(a.name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  return `APK${Math.max(0, ...numbers) + 1}`;
}
