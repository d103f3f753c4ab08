// Checks JSON Schema cannot express: the Appstore's limits (src/appstore/rules.ts) applied to values
// that exist only after files are read, and relations between entries. Each check reports through the
// Reporter and never throws.
import type { ApkInfo } from '../apk/types.js';
import {
  IMAGE_SPECS,
  isRealLocalDateTime,
  LOCAL_DATE_TIME,
  MAX_VIDEOS_PER_LISTING,
  TEXT_LIMITS,
} from '../appstore/rules.js';
import type { ImageType, ListingField } from '../appstore/types.js';
import type { ImageHeader } from '../media/types.js';
import type { Reporter, Where } from './reporter.js';
import { characterCount } from './text-file.js';

/** `subject` names the value in messages, e.g. "listings.en-US.title" or "… (for de-DE, from x.txt)". */
export function checkTextLimit(
  field: ListingField,
  text: string,
  subject: string,
  where: Where,
  report: Reporter,
) {
  const limit = TEXT_LIMITS[field];
  if (limit === undefined) return;
  const count = characterCount(text);
  if (count > limit) {
    report.error(
      'text-too-long',
      `${subject} is ${count} characters long; the Appstore allows at most ${limit}.`,
      where,
      `Shorten it by ${count - limit} character${count - limit === 1 ? '' : 's'}.`,
    );
  }
}

export function checkKeyword(keyword: string, subject: string, where: Where, report: Reporter): void {
  if (keyword.trim() === '') {
    report.error('keyword-empty', `${subject} contains an empty keyword.`, where);
  } else if (/\s/u.test(keyword.trim()) || keyword.trim() !== keyword) {
    const words = keyword.trim().split(/\s+/u);
    report.error(
      'keyword-not-single-word',
      `Keyword '${keyword}' in ${subject} is not a single word.`,
      where,
      words.length > 1
        ? `Split it into separate keywords: ${words.join(', ')}.`
        : 'Remove the surrounding spaces.',
    );
  }
}

export function checkImageCount(
  type: ImageType,
  count: number,
  subject: string,
  where: Where,
  report: Reporter,
) {
  const spec = IMAGE_SPECS[type];
  const files = `${count} file${count === 1 ? '' : 's'}`;
  if (spec.single && count !== 1) {
    report.error('image-count', `${subject} must name exactly one image, but it names ${files}.`, where);
  } else if (count < spec.min) {
    report.error('image-count', `${subject} names ${files}; ${type} need at least ${spec.min}.`, where);
  } else if (count > spec.max) {
    report.error('image-count', `${subject} names ${files}; ${type} allow at most ${spec.max}.`, where);
  }
}

const EXTENSION_FORMATS: Record<string, ImageHeader['format']> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
};

const FORMAT_NAMES: Record<ImageHeader['format'], string> = { png: 'PNG', jpeg: 'JPEG' };

/** Format by content (an error when wrong), dimensions against the documented list (a warning). */
export function checkImage(
  type: ImageType,
  display: string,
  header: ImageHeader | undefined,
  where: Where,
  report: Reporter,
): void {
  const spec = IMAGE_SPECS[type];
  const allowed = spec.formats.map((f) => FORMAT_NAMES[f]).join(' or ');
  if (header === undefined) {
    report.error(
      'image-format',
      `${display} is not a PNG or JPEG image.`,
      where,
      `${type} must be ${allowed}.`,
    );
    return;
  }
  const extension = /\.([^./]+)$/.exec(display)?.[1]?.toLowerCase() ?? '';
  const named = EXTENSION_FORMATS[extension];
  if (named !== undefined && named !== header.format) {
    report.error(
      'image-format-mismatch',
      `${display} is a ${FORMAT_NAMES[header.format]} image, but its name ends in .${extension}.`,
      where,
      `Convert it, or rename it to match its content.`,
    );
  }
  if (!spec.formats.includes(header.format)) {
    report.error(
      'image-format',
      `${display} is a ${FORMAT_NAMES[header.format]} image; ${type} must be ${allowed}.`,
      where,
    );
  }
  if (spec.sizes.length === 0) return;
  const fits = spec.sizes.some(
    ([w, h]) =>
      (header.width === w && header.height === h) ||
      (spec.rotatable && header.width === h && header.height === w),
  );
  if (!fits) {
    const sizes = spec.sizes.map(([w, h]) => `${w}×${h}`).join(', ');
    report.warning(
      'image-size',
      `${display} is ${header.width}×${header.height}; ${type} are documented as ${sizes}${
        spec.rotatable ? ' (portrait too)' : ''
      }.`,
      where,
      "Amazon may reject it. This is a warning because Amazon's list of sizes is not fully known.",
    );
  }
}

export function checkVideoCount(count: number, subject: string, where: Where, report: Reporter): void {
  if (count > MAX_VIDEOS_PER_LISTING) {
    report.error(
      'video-count',
      `${subject} names ${count} videos; a listing allows at most ${MAX_VIDEOS_PER_LISTING}.`,
      where,
    );
  }
}

export interface ApkEntry {
  index: number;
  slot: string | undefined;
  info: ApkInfo | undefined;
  display: string;
}

/** Several APKs each need a slot (which remote APK each replaces); slots and versionCodes are unique. */
export function checkApkSet(apks: readonly ApkEntry[], report: Reporter): void {
  if (apks.length > 1) {
    for (const apk of apks) {
      if (apk.slot === undefined) {
        report.error(
          'apk-slot-required',
          `apks[${apk.index}] (${apk.display}) has no slot; with several APKs each one needs a slot.`,
          { pointer: `/apks/${apk.index}`, target: 'value' },
          "Set slot to the remote APK's name (APK1, APK2 …) or id that this file replaces.",
        );
      }
    }
  }
  const slots = new Map<string, number>();
  const versionCodes = new Map<number, ApkEntry>();
  let packageOwner: ApkEntry | undefined;
  for (const apk of apks) {
    if (apk.slot !== undefined) {
      const first = slots.get(apk.slot);
      if (first === undefined) slots.set(apk.slot, apk.index);
      else {
        report.error(
          'apk-slot-duplicate',
          `apks[${apk.index}] uses slot '${apk.slot}' like apks[${first}].`,
          {
            pointer: `/apks/${apk.index}/slot`,
          },
        );
      }
    }
    if (apk.info === undefined) continue;
    const same = versionCodes.get(apk.info.versionCode);
    if (same === undefined) versionCodes.set(apk.info.versionCode, apk);
    else {
      report.error(
        'apk-duplicate-version-code',
        `${apk.display} has versionCode ${apk.info.versionCode}, like ${same.display} (apks[${same.index}]).`,
        { pointer: `/apks/${apk.index}/file` },
        'Every APK of a version needs its own versionCode.',
      );
    }
    if (packageOwner === undefined) packageOwner = apk;
    else if (packageOwner.info?.packageName !== apk.info.packageName) {
      report.error(
        'apk-package-mismatch',
        `${apk.display} is package ${apk.info.packageName}, but ${packageOwner.display} is ${packageOwner.info?.packageName}.`,
        { pointer: `/apks/${apk.index}/file` },
        'All APKs of one app share a package name.',
      );
    }
  }
}

/** The schema checks the shape YYYY-MM-DDTHH:mm:ss; this checks that the date exists. */
export function checkDateTime(dateTime: string, where: Where, report: Reporter): void {
  if (!LOCAL_DATE_TIME.test(dateTime)) return;
  if (!isRealLocalDateTime(dateTime)) {
    report.error(
      'invalid-date',
      `availability.publishingDate.dateTime '${dateTime}' is not a real date and time.`,
      where,
    );
  }
}

export function checkZoneId(zoneId: string, where: Where, report: Reporter): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zoneId });
  } catch {
    report.warning(
      'unknown-time-zone',
      `availability.publishingDate.zoneId '${zoneId}' is not a time zone this computer knows.`,
      where,
      'Use an IANA or Java zone id such as US/Pacific or Europe/Berlin.',
    );
  }
}

export function checkTargetingRule(
  include: string[],
  exclude: string[],
  pointer: string,
  report: Reporter,
): void {
  const included = new Set(include);
  exclude.forEach((device, i) => {
    if (included.has(device)) {
      report.error('targeting-conflict', `Device '${device}' is both included and excluded.`, {
        pointer: `${pointer}/exclude/${i}`,
      });
    }
  });
}
