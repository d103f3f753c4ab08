import { resolve } from 'node:path';
import type { Apk, Targeting } from '../appstore/types.js';
import { AppError } from '../errors/app-error.js';
import { planTargeting } from '../plan/plan-apks.js';
import type {
  DeleteApkAction,
  ReplaceApkAction,
  UpdateTargetingAction,
  UploadApkAction,
} from '../plan/types.js';
import { ApiError } from '../remote/errors.js';
import type { Versioned } from '../remote/remote-state.js';
import type { ApplyContext } from './context.js';
import { guardedWrite } from './guard.js';

async function recordApk(ctx: ApplyContext, apk: Apk, file: { path: string; sha256: string }) {
  ctx.state.apks[apk.id] = { versionCode: apk.versionCode, sha256: file.sha256, file: file.path };
  await ctx.saveState();
}

export async function handleReplaceApk(ctx: ApplyContext, action: ReplaceApkAction): Promise<void> {
  const file = { path: resolve(ctx.manifest.dir, action.after.file.path), size: action.after.file.size };
  let apk: Apk;
  try {
    apk = await guardedWrite({
      address: action.address,
      expected: ctx.expectations.expected(action),
      read: () => ctx.api.getApk(ctx.edit, action.apkId),
      write: (etag) =>
        ctx.api.replaceApk(ctx.edit, action.apkId, file, etag ?? '', (p) => ctx.progress(p.sent, p.total)),
      landed: (current) =>
        current.versionCode === action.after.versionCode ? { result: current } : undefined,
    });
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status >= 400 && error.status < 500)) throw error;
    // The replace may have landed before the connection broke: the versionCode tells.
    const now = (await ctx.api.getApk(ctx.edit, action.apkId)).value;
    if (now.versionCode !== action.after.versionCode) throw error;
    apk = now;
  }
  ctx.expectations.set(action.address, apk);
  await recordApk(ctx, apk, action.after.file);
}

export async function handleUploadApk(
  ctx: ApplyContext,
  action: UploadApkAction,
): Promise<'applied' | 'skipped'> {
  const file = { path: resolve(ctx.manifest.dir, action.after.file.path), size: action.after.file.size };
  const existing = (list: Apk[]) => list.find((a) => a.versionCode === action.after.versionCode);
  // versionCodes are unique per app: an APK with ours is our earlier upload that landed.
  const already = existing((await ctx.api.listApks(ctx.edit)).value);
  let apk: Apk;
  if (already !== undefined) {
    apk = already;
  } else {
    try {
      apk = await ctx.api.uploadApk(ctx.edit, file, (p) => ctx.progress(p.sent, p.total));
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status >= 400 && error.status < 500)) throw error;
      // DESIGN decision 10: it may have landed. Send it once more only if the list says it did not.
      apk =
        existing((await ctx.api.listApks(ctx.edit)).value) ??
        (await ctx.api.uploadApk(ctx.edit, file, (p) => ctx.progress(p.sent, p.total)));
    }
  }
  await recordApk(ctx, apk, action.after.file);
  if (action.targeting !== undefined) {
    const rule = { amazonDevices: { include: action.targeting.include, exclude: action.targeting.exclude } };
    const problems: string[] = [];
    await guardedWrite({
      address: `${action.address}.targeting`,
      expected: undefined,
      read: () => ctx.api.getTargeting(ctx.edit, apk.id),
      write: async (etag, current) => {
        const change = planTargeting(rule, current, apk.name, problems);
        if (problems.length > 0) throw new AppError('targeting_invalid', problems.join('\n'));
        if (change !== undefined) await ctx.api.putTargeting(ctx.edit, apk.id, change.body, etag ?? '');
      },
    });
  }
  return already !== undefined ? 'skipped' : 'applied';
}

async function readApkOrNull(ctx: ApplyContext, apkId: string): Promise<Versioned<Apk | null>> {
  try {
    return await ctx.api.getApk(ctx.edit, apkId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { value: null, etag: undefined };
    throw error;
  }
}

function targetedIds(targeting: Targeting): string[] {
  return [...targeting.amazonDevices, ...targeting.nonAmazonDevices]
    .filter((d) => d.status === 'TARGETING')
    .map((d) => d.id)
    .sort();
}

export async function handleDeleteApk(ctx: ApplyContext, action: DeleteApkAction): Promise<void> {
  await guardedWrite({
    address: action.address,
    expected: ctx.expectations.expected(action),
    read: () => readApkOrNull(ctx, action.apkId),
    write: (etag) => ctx.api.deleteApk(ctx.edit, action.apkId, etag ?? ''),
    landed: (current) => (current === null ? { result: undefined } : undefined),
  });
  delete ctx.state.apks[action.apkId];
  await ctx.saveState();
}

export async function handleTargeting(ctx: ApplyContext, action: UpdateTargetingAction): Promise<void> {
  const result = await guardedWrite({
    address: action.address,
    expected: ctx.expectations.expected(action),
    read: () => ctx.api.getTargeting(ctx.edit, action.apkId),
    write: async (etag) =>
      (await ctx.api.putTargeting(ctx.edit, action.apkId, action.body, etag ?? '')).value,
    landed: (current) =>
      targetedIds(current).join() === action.diff.after.join() ? { result: current } : undefined,
  });
  ctx.expectations.set(action.address, result);
}
