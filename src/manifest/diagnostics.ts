// A problem found in a manifest or in a file it references. Loading collects these as values (never
// throws for bad input) so a user sees every problem in one run, like a compiler.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable, kebab-case identifier of the kind of problem (e.g. `unknown-key`, `file-not-found`). */
  code: string;
  /** One plain-English sentence: what is wrong. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** The file the position refers to, relative to the working directory (for display). */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based, in characters. */
  column?: number;
  /** JSON pointer into the manifest (`/listings/en-US/title`). */
  path?: string;
}

export function isError(d: Diagnostic): boolean {
  return d.severity === 'error';
}

/** Compiler order: by file, then line, then column; diagnostics without a position come first. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareStrings(a.severity, b.severity) ||
    compareStrings(a.message, b.message)
  );
}

export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(compareDiagnostics);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
