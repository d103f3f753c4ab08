// APKs are matched by versionCode (DESIGN decision 6): the API exposes no hash of any binary.
import type { Device, Targeting } from '../appstore/types.js';
import { fingerprint } from '../fingerprint/fingerprint.js';
import type { ManifestApk, TargetingRule } from '../manifest/types.js';
import type { RemoteApk } from '../remote/remote-state.js';
import type { StateFile } from '../state-file/types.js';
import { address } from './addresses.js';
import type { Action, FileRef, PlanNote } from './types.js';

export interface ApkPlan {
  actions: Action[];
  notes: PlanNote[];
  problems: string[];
  basis: Record<string, string>;
}

export function fileRef(file: { displayPath: string; sha256: string; size: number }): FileRef {
  return { path: file.displayPath, sha256: file.sha256, size: file.size };
}

export function planApks(
  local: ManifestApk[],
  remote: RemoteApk[],
  state: StateFile | undefined,
  prune: boolean,
): ApkPlan {
  const out: ApkPlan = { actions: [], notes: [], problems: [], basis: {} };
  out.basis[address.apks] = fingerprint(remote.map((r) => r.apk.value));
  const matched = new Set<string>();
  const describeRemote = () =>
    remote.length === 0
      ? 'there are none'
      : remote
          .map((r) => `${r.apk.value.name} (id ${r.apk.value.id}, versionCode ${r.apk.value.versionCode})`)
          .join(', ');

  for (const apk of local) {
    const target = matchSlot(apk, local.length, remote);
    if (target === 'ambiguous') {
      out.problems.push(
        `${apk.file.displayPath} has no slot and the edit has ${remote.length} APKs: ${describeRemote()}. Set 'slot' to the name or id of the APK to replace.`,
      );
      continue;
    }
    if (target === undefined) {
      out.actions.push({
        kind: 'upload-apk',
        address: address.apk(apk.slot ?? `new:${apk.file.displayPath}`),
        change: 'create',
        assumed: { fingerprint: out.basis[address.apks]! },
        slot: apk.slot,
        after: { versionCode: apk.info.versionCode, file: fileRef(apk.file) },
        targeting:
          apk.targeting?.amazonDevices || apk.targeting?.nonAmazonDevices ? mergeRules(apk) : undefined,
      });
      continue;
    }
    const { id, name, versionCode } = target.apk.value;
    if (matched.has(id)) {
      out.problems.push(
        `Two manifest APKs map to the remote APK ${name} (id ${id}). Give each a different 'slot'.`,
      );
      continue;
    }
    matched.add(id);
    out.basis[address.apk(name)] = fingerprint(target.apk.value);
    if (apk.info.versionCode !== versionCode) {
      out.actions.push({
        kind: 'replace-apk',
        address: address.apk(name),
        change: 'replace',
        assumed: { fingerprint: out.basis[address.apk(name)]! },
        apkId: id,
        apkName: name,
        before: { versionCode },
        after: { versionCode: apk.info.versionCode, file: fileRef(apk.file) },
      });
    } else {
      const recorded = state?.apks[id];
      if (recorded && recorded.versionCode === versionCode && recorded.sha256 !== apk.file.sha256) {
        out.problems.push(
          `${apk.file.displayPath} has versionCode ${versionCode}, like the remote APK ${name}, but its bytes differ from the ones uploaded (the state file recorded sha256 ${recorded.sha256.slice(0, 12)}…). Bump versionCode to ship a new build.`,
        );
      }
    }
    if (apk.targeting !== undefined) {
      out.basis[address.targeting(name)] = fingerprint(target.targeting.value);
      const change = planTargeting(apk.targeting, target.targeting.value, name, out.problems);
      if (change !== undefined) {
        out.actions.push({
          kind: 'update-targeting',
          address: address.targeting(name),
          change: 'update',
          assumed: { fingerprint: out.basis[address.targeting(name)]! },
          apkId: id,
          apkName: name,
          diff: { before: change.before, after: change.after },
          body: change.body,
        });
      }
    }
  }

  for (const r of remote) {
    const { id, name, versionCode } = r.apk.value;
    if (matched.has(id)) continue;
    if (prune) {
      out.basis[address.apk(name)] = fingerprint(r.apk.value);
      out.actions.push({
        kind: 'delete-apk',
        address: address.apk(name),
        change: 'delete',
        assumed: { fingerprint: out.basis[address.apk(name)]! },
        apkId: id,
        apkName: name,
        before: { versionCode },
      });
    } else {
      out.notes.push({
        kind: 'unmanaged-apk',
        address: address.apk(name),
        message: `APK ${name} (versionCode ${versionCode}) is not in the manifest; left as it is (set prune.apks to delete it).`,
      });
    }
  }
  return out;
}

function matchSlot(
  apk: ManifestApk,
  localCount: number,
  remote: RemoteApk[],
): RemoteApk | undefined | 'ambiguous' {
  // versionCodes are unique per app, so a remote APK with ours is this build, uploaded earlier (the
  // server, not the manifest, names new APKs).
  const sameBuild = remote.find((r) => r.apk.value.versionCode === apk.info.versionCode);
  if (apk.slot !== undefined) {
    return remote.find((r) => r.apk.value.name === apk.slot || r.apk.value.id === apk.slot) ?? sameBuild;
  }
  if (sameBuild !== undefined) return sameBuild;
  if (remote.length === 0) return undefined;
  if (localCount === 1 && remote.length === 1) return remote[0];
  return 'ambiguous';
}

function mergeRules(apk: ManifestApk): { include: string[]; exclude: string[] } {
  const rules = [apk.targeting?.amazonDevices, apk.targeting?.nonAmazonDevices].filter(
    (r): r is TargetingRule => r !== undefined,
  );
  return { include: rules.flatMap((r) => r.include), exclude: rules.flatMap((r) => r.exclude) };
}

/**
 * The desired set is (targeted now ∪ include) ∖ exclude. DISABLED devices (the APK cannot run there)
 * are never touched, and naming one is a problem, not a silent no-op.
 */
export function planTargeting(
  rule: NonNullable<ManifestApk['targeting']>,
  remote: Targeting,
  apkName: string,
  problems: string[],
): { before: string[]; after: string[]; body: Targeting } | undefined {
  const groups = [
    { key: 'amazonDevices' as const, rule: rule.amazonDevices },
    { key: 'nonAmazonDevices' as const, rule: rule.nonAmazonDevices },
  ];
  const body: Targeting = {
    ...remote,
    amazonDevices: [...remote.amazonDevices],
    nonAmazonDevices: [...remote.nonAmazonDevices],
  };
  for (const { key, rule: r } of groups) {
    if (r === undefined) continue;
    const devices = body[key];
    const find = (ref: string) => {
      const lower = ref.toLowerCase();
      return devices.findIndex((d) => d.id === ref || d.name.toLowerCase() === lower);
    };
    const setStatus = (refs: string[], status: Device['status']) => {
      for (const ref of refs) {
        const index = find(ref);
        const device = devices[index];
        if (device === undefined) {
          problems.push(
            `APK ${apkName}: no device '${ref}' in ${key}. Known: ${devices.map((d) => `${d.name} (${d.id})`).join(', ') || 'none'}.`,
          );
        } else if (device.status === 'DISABLED') {
          problems.push(
            `APK ${apkName}: ${device.name} (${device.id}) is DISABLED for this APK (its manifest excludes the device); remove it from targeting.`,
          );
        } else {
          devices[index] = { ...device, status };
        }
      }
    };
    setStatus(r.include, 'TARGETING');
    setStatus(r.exclude, 'NOT_TARGETING');
  }
  const targeted = (t: Targeting) =>
    [...t.amazonDevices, ...t.nonAmazonDevices]
      .filter((d) => d.status === 'TARGETING')
      .map((d) => d.id)
      .sort();
  const before = targeted(remote);
  const after = targeted(body);
  if (before.join() === after.join()) return undefined;
  return { before, after, body };
}
