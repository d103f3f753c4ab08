// Locale forms in paths (appstore-api.md §8.3): clients use `en-US` and `en_US`. The emulator accepts
// both and stores the hyphenated form; how keys are shown is a switch (LocaleKeyStyle).
import { LOCALE_PATTERN } from '../appstore/rules.js';

/** The hyphenated form of a locale given with either separator, or undefined when it is not a locale. */
export function canonicalLocale(raw: string): string | undefined {
  const hyphenated = raw.replace('_', '-');
  return LOCALE_PATTERN.test(hyphenated) ? hyphenated : undefined;
}
