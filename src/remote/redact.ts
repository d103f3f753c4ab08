// Secrets never reach a debug line or an error message. The Redactor knows the exact secret values of
// this session (client secret, every access token issued) and also scrubs anything that merely looks
// like one, so a token that reaches a string by accident is caught too.

const REDACTED = '[redacted]';

/** Shapes that are secret whatever their value: bearer credentials, LWA tokens and secrets. */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  [/\bAtc\|[^\s"',;&]+/g, REDACTED],
  [/\bamzn1\.oa2-cs\.[^\s"',;&]+/g, REDACTED],
  [/\b(client_secret|access_token|authorization)(["']?\s*[=:]\s*["']?)[^\s"',;&]+/gi, `$1$2${REDACTED}`],
];

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Remember an exact value to scrub (ignored when too short to be a credential). */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 6) this.#secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return redact(out);
  }
}

/** Scrub every secret-looking substring of `text` (no knowledge of the session's values). */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A debug sink that only ever sees redacted lines; a no-op when debugging is off. */
export type Trace = (line: string) => void;

export function createTrace(sink: ((line: string) => void) | undefined, redactor: Redactor): Trace {
  if (sink === undefined) return () => {};
  return (line) => sink(redactor.redact(line));
}
