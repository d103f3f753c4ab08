// What `plan`, `apply`, `edit` and `pull` share before they do their own job: the manifest, loaded and
// reported, and an API client built from flags and environment.
import { resolve } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import type { AppstoreApi } from '../remote/api.js';
import { type GlobalValues, resolveEndpoints } from './global-options.js';
import type { CliIO } from './io.js';

export const DEFAULT_MANIFEST = 'appstore.release.yaml';

export type Loaded = { ok: true; manifest: Manifest } | { ok: false; exitCode: number };

/** Loads the manifest, printing warnings (and all problems, when it is invalid) to stderr. */
export async function loadManifestFor(
  file: string | undefined,
  io: CliIO,
  options: { color: boolean; allowOutside?: boolean },
): Promise<Loaded> {
  const [{ loadManifest }, { renderDiagnostics }] = await Promise.all([
    import('../manifest/index.js'),
    import('../render/diagnostics.js'),
  ]);
  const path = resolve(io.cwd, file ?? DEFAULT_MANIFEST);
  const result = await loadManifest(path, { allowOutsidePaths: options.allowOutside ?? false, cwd: io.cwd });
  if (!result.ok) {
    io.stderr.write(renderDiagnostics(result.diagnostics, { color: options.color }));
    io.stderr.write(
      '\nThe manifest is invalid; nothing was sent to Amazon. Fix the problems above and run again.\n',
    );
    return { ok: false, exitCode: 1 };
  }
  if (result.warnings.length > 0)
    io.stderr.write(renderDiagnostics(result.warnings, { color: options.color }));
  return { ok: true, manifest: result.manifest };
}

/** Builds the client; credential warnings and the --debug trace go to stderr. */
export async function connect(values: GlobalValues, io: CliIO): Promise<AppstoreApi> {
  const { createAppstoreApi, readCredentials } = await import('../remote/index.js');
  const { credentials, warnings } = readCredentials(io.env);
  for (const warning of warnings) io.stderr.write(`Warning: ${warning}\n`);
  return createAppstoreApi({
    ...resolveEndpoints(values, io.env),
    credentials,
    debug: values.debug ? (line) => io.stderr.write(`[debug] ${line}\n`) : undefined,
  });
}
