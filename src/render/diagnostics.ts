// Manifest diagnostics for people (compiler style: `file:line:col: error: message`, then the hint) and
// for machines (`validate --json`, a versioned public contract with a fixed key order).
import type { Diagnostic } from '../manifest/diagnostics.js';
import type { ManifestSummary } from '../manifest/summary.js';

export interface DiagnosticsRenderOptions {
  color: boolean;
}

const STYLE = { bold: '1', dim: '2', red: '1;31', yellow: '1;33', cyan: '36' } as const;

function painter(color: boolean) {
  return (style: keyof typeof STYLE, text: string): string =>
    color ? `\u001b[${STYLE[style]}m${text}\u001b[0m` : text;
}

export function formatLocation(d: Diagnostic): string {
  if (d.line === undefined) return d.file;
  return d.column === undefined ? `${d.file}:${d.line}` : `${d.file}:${d.line}:${d.column}`;
}

/** One block per diagnostic, in the order given (loadManifest sorts them); '' for none. */
export function renderDiagnostics(diags: readonly Diagnostic[], opts: DiagnosticsRenderOptions): string {
  const paint = painter(opts.color);
  let out = '';
  for (const d of diags) {
    const severity = d.severity === 'error' ? paint('red', 'error') : paint('yellow', 'warning');
    out += `${paint('bold', `${formatLocation(d)}:`)} ${severity}: ${d.message} ${paint('dim', `[${d.code}]`)}\n`;
    if (d.hint !== undefined) out += `  ${paint('cyan', 'hint:')} ${d.hint}\n`;
  }
  return out;
}

/** "2 errors, 1 warning" (or "no problems"). */
export function countDiagnostics(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.length - errors;
  const parts = [
    ...(errors > 0 ? [`${errors} error${errors === 1 ? '' : 's'}`] : []),
    ...(warnings > 0 ? [`${warnings} warning${warnings === 1 ? '' : 's'}`] : []),
  ];
  return parts.length === 0 ? 'no problems' : parts.join(', ');
}

export const VALIDATE_JSON_FORMAT_VERSION = 1;

/** The JSON form has the same fields as a Diagnostic; diagnosticToJson fixes their order. */
export type DiagnosticJson = Diagnostic;

/** A diagnostic with its keys in the documented order; absent optional keys are left out. */
export function diagnosticToJson(d: Diagnostic): DiagnosticJson {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    file: d.file,
    ...(d.line === undefined ? {} : { line: d.line }),
    ...(d.column === undefined ? {} : { column: d.column }),
    ...(d.path === undefined ? {} : { path: d.path }),
  };
}

/**
 * The `validate --json` document: `{ format_version, valid, diagnostics, summary? }`, pretty-printed,
 * newline-terminated. `valid` is false when any diagnostic is an error; the summary is given only for
 * a valid manifest.
 */
export function diagnosticsToJson(diags: readonly Diagnostic[], summary?: ManifestSummary): string {
  const valid = !diags.some((d) => d.severity === 'error');
  const doc = {
    format_version: VALIDATE_JSON_FORMAT_VERSION,
    valid,
    diagnostics: diags.map(diagnosticToJson),
    ...(summary === undefined ? {} : { summary }),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
