// Collects diagnostics addressed by JSON pointer and turns each pointer into the file:line:col of the
// YAML node, so checks can speak in manifest paths and never deal with positions.
import type { Diagnostic, Severity } from './diagnostics.js';
import type { PositionTarget, YamlSource } from './yaml-source.js';

export interface Where {
  pointer: string;
  /** Point at the key (`titel:`) instead of the value. Default: the value. */
  target?: PositionTarget;
}

export interface Reporter {
  error(code: string, message: string, where: Where, hint?: string): void;
  warning(code: string, message: string, where: Where, hint?: string): void;
}

export class DiagnosticCollector implements Reporter {
  readonly #file: string;
  readonly #source: YamlSource | undefined;
  readonly #seen = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];

  /** `file` is the manifest as the user should see it (relative to the working directory). */
  constructor(file: string, source: YamlSource | undefined) {
    this.#file = file;
    this.#source = source;
  }

  error(code: string, message: string, where: Where, hint?: string): void {
    this.#add('error', code, message, where, hint);
  }

  warning(code: string, message: string, where: Where, hint?: string): void {
    this.#add('warning', code, message, where, hint);
  }

  /** A diagnostic that belongs to the file as a whole (unreadable, empty, not a mapping). */
  fileLevel(
    severity: Severity,
    code: string,
    message: string,
    hint?: string,
    position?: { line: number; column: number },
  ): void {
    this.#push(severity, code, message, hint, position);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  #add(severity: Severity, code: string, message: string, where: Where, hint: string | undefined): void {
    const position = this.#source?.locate(where.pointer, where.target ?? 'value');
    // A default shared by several locales would otherwise report the same inline problem once per locale.
    const key = [severity, code, message, position?.line, position?.column].join('\u0000');
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#push(severity, code, message, hint, position, where.pointer);
  }

  #push(
    severity: Severity,
    code: string,
    message: string,
    hint: string | undefined,
    position: { line: number; column: number } | undefined,
    path?: string,
  ): void {
    this.diagnostics.push({
      severity,
      code,
      message,
      ...(hint === undefined ? {} : { hint }),
      file: this.#file,
      ...(position === undefined ? {} : { line: position.line, column: position.column }),
      ...(path === undefined ? {} : { path }),
    });
  }
}
