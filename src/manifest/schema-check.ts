// JSON Schema validation of the parsed manifest, with ajv's errors turned into sentences a user can act
// on. The schema file is the single source of truth for the manifest's shape; editors read the same
// file through the yaml-language-server modeline.
import { readFile } from 'node:fs/promises';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { IMAGE_TYPES } from '../appstore/types.js';
import { didYouMean } from './did-you-mean.js';
import type { PositionTarget } from './yaml-source.js';
import { parsePointer } from './yaml-source.js';

export const SCHEMA_URL = new URL('../../schemas/appstore.release.schema.json', import.meta.url);

/** A schema violation, still without a file position (the loader adds it). */
export interface SchemaProblem {
  code: string;
  message: string;
  hint?: string;
  /** JSON pointer of the offending node. */
  pointer: string;
  target: PositionTarget;
}

let compiled: Promise<ValidateFunction> | undefined;

/** The compiled validator, built once per process; ajv is loaded only when a manifest is validated. */
function validator(): Promise<ValidateFunction> {
  compiled ??= (async () => {
    const [{ Ajv2020 }, formats, text] = await Promise.all([
      import('ajv/dist/2020.js'),
      import('ajv-formats'),
      readFile(SCHEMA_URL, 'utf8'),
    ]);
    // verbose: errors carry the failing data and the parent schema, used for messages and hints.
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    formats.default.default(ajv, ['email', 'uri']);
    return ajv.compile(JSON.parse(text) as object);
  })();
  return compiled;
}

export async function checkSchema(value: unknown): Promise<SchemaProblem[]> {
  const validate = await validator();
  if (validate(value)) return [];
  return describeErrors(validate.errors ?? []);
}

// Keywords that speak about a child key rather than the value itself: every one of them is kept.
const CHILD_KEYWORDS = new Set(['additionalProperties', 'required']);

function describeErrors(errors: readonly ErrorObject[]): SchemaProblem[] {
  const typeFailed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const valueReported = new Set<string>();
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (!CHILD_KEYWORDS.has(error.keyword)) {
      // One sentence per bad value: a wrong type explains everything else about it, and a URL that
      // is both malformed and not http(s) needs only one message.
      if (typeFailed.has(error.instancePath) && error.keyword !== 'type') continue;
      if (valueReported.has(error.instancePath)) continue;
      valueReported.add(error.instancePath);
    }
    const problem = describe(error);
    const key = `${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(error: ErrorObject): SchemaProblem {
  const at = error.instancePath;
  const label = labelOf(at);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const pointer = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (at === '/listings') return unknownLocale(key, pointer);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      return {
        code: 'unknown-key',
        message: `Unknown key '${key}' in ${label}.`,
        ...optionalHint(unknownKeyHint(key, known, at)),
        pointer,
        target: 'key',
      };
    }
    case 'required':
      return {
        code: 'missing-key',
        message: `${capitalize(label)} is missing the required key '${String(params.missingProperty)}'.`,
        pointer: at,
        target: 'key',
      };
    case 'type': {
      const emptyLocale = error.data === null && /^\/listings\/[^/]+$/.test(at);
      return {
        code: 'wrong-type',
        message: `${capitalize(label)} must be ${describeTypes(String(params.type))}, not ${describeValue(error.data)}.`,
        ...optionalHint(
          emptyLocale ? 'Write {} for a locale that takes everything from defaults.' : undefined,
        ),
        pointer: at,
        target: 'value',
      };
    }
    case 'const':
      return {
        code: 'invalid-value',
        message: `${capitalize(label)} must be ${JSON.stringify(params.allowedValue)}, not ${describeValue(error.data)}.`,
        ...optionalHint(at === '/version' ? 'This tool reads manifest format version 1.' : undefined),
        pointer: at,
        target: 'value',
      };
    case 'pattern':
      return { ...patternProblem(at, label, error.data), pointer: at, target: 'value' };
    case 'format':
      return {
        code: 'invalid-value',
        message: `${capitalize(label)} ${quoteValue(error.data)} is not ${
          params.format === 'email' ? 'an e-mail address' : 'a valid URL'
        }.`,
        pointer: at,
        target: 'value',
      };
    case 'minLength':
      return {
        code: 'invalid-value',
        message: `${capitalize(label)} must not be empty.`,
        pointer: at,
        target: 'value',
      };
    case 'minItems':
      return {
        code: 'invalid-value',
        message: `${capitalize(label)} must list at least ${String(params.limit)} ${
          params.limit === 1 ? 'entry' : 'entries'
        }.`,
        ...optionalHint(at === '/apks' ? 'Leave out apks to leave the APKs unmanaged.' : undefined),
        pointer: at,
        target: 'value',
      };
    default:
      // Every keyword the schema uses is handled above; this is the safety net for a future one.
      return {
        code: 'invalid-value',
        message: `${capitalize(label)} ${error.message ?? 'is invalid'}.`,
        pointer: at,
        target: 'value',
      };
  }
}

function unknownLocale(key: string, pointer: string): SchemaProblem {
  const looksLikeLocale = /^([a-zA-Z]{2})[-_ ]?([a-zA-Z]{2})$/.exec(key);
  const suggestion = looksLikeLocale
    ? `${looksLikeLocale[1]?.toLowerCase()}-${looksLikeLocale[2]?.toUpperCase()}`
    : didYouMean(key, ['defaults']);
  return {
    code: 'invalid-locale',
    message: `'${key}' under listings is not a locale code; locales look like en-US (language-COUNTRY).`,
    ...optionalHint(suggestion === undefined ? undefined : `Did you mean '${suggestion}'?`),
    pointer,
    target: 'key',
  };
}

function unknownKeyHint(key: string, known: string[], at: string): string | undefined {
  const close = didYouMean(key, known);
  if (close !== undefined) return `Did you mean '${close}'?`;
  const tokens = parsePointer(at);
  const inListing = tokens.length === 2 && tokens[0] === 'listings';
  const imageType = didYouMean(key, IMAGE_TYPES) ?? (IMAGE_TYPES as readonly string[]).find((t) => t === key);
  if (inListing && imageType !== undefined)
    return `Image types go under 'images:', e.g. images: { ${imageType}: … }.`;
  return known.length > 0 ? `Known keys here: ${known.join(', ')}.` : undefined;
}

function patternProblem(
  at: string,
  label: string,
  data: unknown,
): { code: string; message: string; hint?: string } {
  const last = parsePointer(at).at(-1);
  if (at === '/app/id') {
    return {
      code: 'invalid-app-id',
      message: `${quoteValue(data)} is not an Amazon app id.`,
      hint: 'App ids look like amzn1.devportal.mobileapp.<32 hex digits>; copy it from the Developer Console.',
    };
  }
  if (last === 'dateTime') {
    return {
      code: 'invalid-date',
      message: `${capitalize(label)} ${quoteValue(data)} is not a local date-time like 2027-01-15T09:00:00.`,
      hint: 'Use YYYY-MM-DDTHH:mm:ss without a time-zone offset (the zone goes in zoneId), and quote it.',
    };
  }
  if (last === 'contactWebsite') {
    return {
      code: 'invalid-value',
      message: `${capitalize(label)} ${quoteValue(data)} must be an http(s) URL.`,
    };
  }
  return {
    code: 'invalid-value',
    message: `${capitalize(label)} ${quoteValue(data)} has an invalid format.`,
  };
}

/** `listings.en-US.images.screenshots[2]`, or "the manifest" for the top level. */
export function labelOf(pointer: string): string {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return 'the manifest';
  let label = '';
  for (const token of tokens)
    label += /^\d+$/.test(token) ? `[${token}]` : label === '' ? token : `.${token}`;
  return label;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  object: 'a mapping',
  array: 'a list',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  null: 'empty',
};

function describeTypes(types: string): string {
  const list = types.split(',');
  if (list.length === 2 && list.includes('object')) {
    // The text fields: inline, or `{ file: PATH }`.
    const other = list.find((t) => t !== 'object') ?? 'string';
    return `${TYPE_WORDS[other] ?? other} or a mapping { file: PATH }`;
  }
  if (list.length === 2 && list.includes('array')) {
    return 'a path or a list of paths';
  }
  return list.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

function describeValue(data: unknown): string {
  if (data === null || data === undefined) return 'empty';
  if (Array.isArray(data)) return 'a list';
  switch (typeof data) {
    case 'string':
      return `the string ${quoteValue(data)}`;
    case 'number':
      return `the number ${data}`;
    case 'boolean':
      return String(data);
    case 'object':
      return 'a mapping';
    default:
      return typeof data;
  }
}

function quoteValue(data: unknown): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return `'${text.length > 60 ? `${text.slice(0, 57)}…` : text}'`;
}

function capitalize(text: string): string {
  return text === 'the manifest' ? 'The manifest' : text;
}

function optionalHint(hint: string | undefined): { hint?: string } {
  return hint === undefined ? {} : { hint };
}
