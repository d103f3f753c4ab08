// What a manifest can say exactly. `pull` promises that the first plan after it shows no changes, so a
// remote value the loader would read back differently (a trailing newline it trims, a keyword it
// rejects, an e-mail address the schema's format refuses) is left out, unmanaged, with a note saying
// why, instead of being written and then "changed" or rejected by validate.
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isRealLocalDateTime, LOCAL_DATE_TIME, LOCALE_PATTERN, TEXT_LIMITS } from '../appstore/rules.js';
import type { ContactField, ListingField, PublishingDate } from '../appstore/types.js';
import { characterCount, normalizeText } from '../manifest/text-file.js';

/** Undefined: the value can be written as it is; else the reason it cannot, as a clause. */
export type Verdict = string | undefined;

/** Title and the descriptions: the loader trims trailing newlines, turns CRLF into LF and drops a BOM. */
export function textVerdict(field: ListingField, text: unknown): Verdict {
  if (typeof text !== 'string') return `it is not text in the API's answer (${describeType(text)})`;
  if (normalizeText(text) !== text) {
    if (/\r/.test(text))
      return 'it contains carriage returns, which the manifest turns into plain line breaks';
    if (text.startsWith('\uFEFF')) return 'it starts with a byte-order mark, which the manifest drops';
    return 'it ends with a line break, which the manifest trims';
  }
  const limit = TEXT_LIMITS[field];
  const count = characterCount(text);
  if (limit !== undefined && count > limit) {
    return `it is ${count} characters long and the manifest accepts at most ${limit}`;
  }
  return undefined;
}

/** featureBullets: a list of non-empty strings (the schema's `minLength: 1`). */
export function bulletsVerdict(list: unknown): Verdict {
  if (!isStringList(list)) return `it is not a list of strings in the API's answer (${describeType(list)})`;
  if (list.some((item) => item === '')) return 'it contains an empty bullet, which the manifest rejects';
  return undefined;
}

/** keywords: one word each, as the manifest's rules (and Amazon) require. */
export function keywordsVerdict(list: unknown): Verdict {
  if (!isStringList(list)) return `it is not a list of strings in the API's answer (${describeType(list)})`;
  const bad = list.find((keyword) => !/^\S+$/u.test(keyword));
  if (bad !== undefined) {
    return bad.trim() === ''
      ? 'it contains an empty keyword, which the manifest rejects'
      : `'${bad}' is not a single word, which the manifest rejects`;
  }
  return undefined;
}

/** The contact fields, against the schema's formats (the same ajv-formats checks the loader runs). */
export function contactVerdict(field: ContactField, value: string): Verdict {
  switch (field) {
    case 'contactEmail':
      return matchesFormat('email', value)
        ? undefined
        : `'${value}' is not an e-mail address the schema accepts`;
    case 'contactWebsite':
      return /^https?:\/\//.test(value) && matchesFormat('uri', value)
        ? undefined
        : `'${value}' is not an http(s) URL the schema accepts`;
    case 'contactPhone':
      return undefined;
  }
}

/** `publishingDate` exactly as the manifest writes it: `{ dateTime, zoneId }`, nothing more. */
export function publishingDateVerdict(value: unknown): Verdict {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `it is not an object in the API's answer (${describeType(value)})`;
  }
  const date = value as Partial<PublishingDate> & Record<string, unknown>;
  const extra = Object.keys(date).filter((key) => key !== 'dateTime' && key !== 'zoneId');
  if (extra.length > 0) return `it has fields the manifest cannot hold (${extra.join(', ')})`;
  if (typeof date.zoneId !== 'string' || date.zoneId === '') return 'it has no time zone';
  if (typeof date.dateTime !== 'string') return 'it has no date and time';
  if (!LOCAL_DATE_TIME.test(date.dateTime)) {
    return `its dateTime '${date.dateTime}' is not of the form YYYY-MM-DDTHH:mm:ss`;
  }
  if (!isRealLocalDateTime(date.dateTime))
    return `its dateTime '${date.dateTime}' is not a real date and time`;
  return undefined;
}

/** The manifest's spelling of a remote locale key (`en_US` → `en-US`), or undefined if it has none. */
export function manifestLocale(remoteKey: string): string | undefined {
  const locale = remoteKey.replace('_', '-');
  return LOCALE_PATTERN.test(locale) ? locale : undefined;
}

/** ajv-formats stores a format as a RegExp, a function or `{ validate }`; all three are asked alike. */
function matchesFormat(name: 'email' | 'uri', value: string): boolean {
  const format: unknown = fullFormats[name];
  const check: unknown =
    format !== null && typeof format === 'object' && !(format instanceof RegExp)
      ? (format as { validate?: unknown }).validate
      : format;
  if (check instanceof RegExp) return check.test(value);
  if (typeof check === 'function') return (check as (s: string) => unknown)(value) === true;
  return true;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}
