// Text referenced as `{ file: … }`: UTF-8 (a BOM is dropped), line endings normalized to LF, trailing
// newlines trimmed, so the same text gives the same value (and digest) on Windows and Linux.
import { readFile } from 'node:fs/promises';

export type TextFileResult = { ok: true; text: string } | { ok: false; reason: 'not-utf8' };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export async function readTextFile(abs: string): Promise<TextFileResult> {
  const bytes = await readFile(abs);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, reason: 'not-utf8' };
  }
  return { ok: true, text: normalizeText(text) };
}

export function normalizeText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '');
}

/** Limits are counted in Unicode code points (an emoji is one character), after LF normalization. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
