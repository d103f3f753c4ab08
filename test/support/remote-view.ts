// What a scenario expects Amazon to hold after apply: the open edit as a reviewer would describe it,
// with uploaded assets named by the sha256 of their bytes (server-side, never exposed by the API).
import type { EmulatorDump } from '../../src/emulator/index.js';

export function remoteView(dump: EmulatorDump, appId: string): unknown {
  const app = dump.apps.find((a) => a.appId === appId);
  if (app === undefined) throw new Error(`no app ${appId} in the emulator`);
  const edit = app.openEdit;
  if (edit === null || edit === undefined) return { openEdit: null };
  const assets = app.serverHashes?.assets ?? {};
  const named = (ids: string[] | undefined) => (ids ?? []).map((id) => assets[id]?.sha256.slice(0, 12) ?? id);
  const snapshot = edit.snapshot;
  return {
    status: edit.status,
    apks: (snapshot.apks ?? []).map((apk) => ({
      name: apk.name,
      versionCode: apk.versionCode,
      targeting: [...(apk.targeting?.amazonDevices ?? []), ...(apk.targeting?.nonAmazonDevices ?? [])].sort(),
    })),
    listings: Object.fromEntries(
      Object.entries(snapshot.listings ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([locale, listing]) => {
          const { images, videos, ...text } = listing;
          return [
            locale,
            {
              ...text,
              images: Object.fromEntries(
                Object.entries(images ?? {})
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([type, ids]) => [type, named(ids)]),
              ),
              videos: named(videos),
            },
          ];
        }),
    ),
    details: snapshot.details,
    availability: snapshot.availability ?? {},
  };
}
