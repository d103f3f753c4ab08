// loadManifest: the manifest file in, a normalized Manifest (or every problem with it) out. Problems
// with the input are values, never exceptions; only a bug throws.
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { type Diagnostic, sortDiagnostics } from './diagnostics.js';
import { manifestDigest } from './digest.js';
import { ManifestFiles } from './manifest-files.js';
import { normalize } from './normalize.js';
import { DiagnosticCollector } from './reporter.js';
import { checkSchema } from './schema-check.js';
import type { Manifest } from './types.js';
import { parseYaml } from './yaml-source.js';

export interface LoadOptions {
  /** Accept paths that leave the manifest's folder (`..`, absolute paths elsewhere). */
  allowOutsidePaths?: boolean;
  /** Diagnostics name files relative to this folder. Default: the process's working directory. */
  cwd?: string;
}

export type LoadResult =
  | { ok: true; manifest: Manifest; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export const DEFAULT_MANIFEST_FILE = 'appstore.release.yaml';

export async function loadManifest(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const abs = resolve(cwd, path);
  const display = relative(cwd, abs).split(sep).join('/') || abs;
  const dir = dirname(abs);

  const read = await readManifestText(abs);
  if (!read.ok) return fail([{ severity: 'error', file: display, ...read.problem }]);

  const parsed = parseYaml(read.text);
  if (!parsed.ok) {
    return fail(
      parsed.problems.map((p) => ({
        severity: 'error',
        code: p.code,
        message: p.message,
        ...(p.hint === undefined ? {} : { hint: p.hint }),
        file: display,
        line: p.position.line,
        column: p.position.column,
      })),
    );
  }

  const report = new DiagnosticCollector(display, parsed.source);
  for (const w of parsed.warnings) {
    report.fileLevel('warning', w.code, w.message, w.hint, w.position);
  }
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what =
      value === null || value === undefined
        ? 'empty'
        : Array.isArray(value)
          ? 'a list'
          : `a single ${typeof value}`;
    report.fileLevel(
      'error',
      value === null || value === undefined ? 'manifest-empty' : 'manifest-not-mapping',
      `The manifest must be a mapping of keys (version, app, apks, listings …) at the top level, but it is ${what}.`,
      'Start from appstore.release.example.yaml, or run appstore-release pull to create one.',
      { line: 1, column: 1 },
    );
    return fail(report.diagnostics);
  }

  for (const problem of await checkSchema(value)) {
    report.error(
      problem.code,
      problem.message,
      { pointer: problem.pointer, target: problem.target },
      problem.hint,
    );
  }
  const files = new ManifestFiles(dir);
  const body = await normalize(value as Record<string, unknown>, {
    files,
    report,
    allowOutsidePaths: options.allowOutsidePaths === true,
  });

  const diagnostics = sortDiagnostics(report.diagnostics);
  if (report.hasErrors) return fail(diagnostics);
  const withoutDigest = { path: abs, dir, ...body };
  return {
    ok: true,
    manifest: { ...withoutDigest, digest: manifestDigest(withoutDigest) },
    warnings: diagnostics,
  };
}

function fail(diagnostics: Diagnostic[]): LoadResult {
  return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
}

type ReadResult =
  | { ok: true; text: string }
  | { ok: false; problem: { code: string; message: string; hint?: string } };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

async function readManifestText(abs: string): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return {
        ok: false,
        problem: {
          code: 'manifest-not-found',
          message: 'The manifest file does not exist.',
          hint: "Pass -f FILE, or run 'appstore-release pull' to create one.",
        },
      };
    }
    if (code === 'EISDIR') {
      return {
        ok: false,
        problem: { code: 'manifest-not-a-file', message: 'The manifest path is a directory.' },
      };
    }
    return {
      ok: false,
      problem: { code: 'manifest-unreadable', message: `The manifest cannot be read (${code}).` },
    };
  }
  try {
    // The BOM is dropped by the decoder; line endings are YAML's business.
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return {
      ok: false,
      problem: {
        code: 'manifest-not-utf8',
        message: 'The manifest is not valid UTF-8 text.',
        hint: 'Save it as UTF-8.',
      },
    };
  }
}
