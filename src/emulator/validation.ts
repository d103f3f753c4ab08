// The validate/commit rules of appstore-api.md §6.3. Each is a switch (ValidationRules); the codes of
// rules Amazon was never seen reporting are invented and say so in README.md.

import { IMAGE_SPECS } from '../appstore/rules.js';
import type { ApiErrorEntry, ImageType } from '../appstore/types.js';
import { findDevice } from './devices.js';
import type { AppRecord, EditRecord } from './model.js';
import type { ValidationRules } from './options.js';

const SINGLE_WORD = /^\S+$/;
const REQUIRED_IMAGES: readonly ImageType[] = ['small-icons', 'large-icons', 'screenshots'];
const FIRE_TV_IMAGES: readonly ImageType[] = ['firetv-icons', 'firetv-backgrounds', 'firetv-screenshots'];

export function validateEdit(app: AppRecord, edit: EditRecord, rules: ValidationRules): ApiErrorEntry[] {
  const errors: ApiErrorEntry[] = [];
  const { apks, listings } = edit.snapshot;
  const live = app.liveEdit?.snapshot;

  if (rules.apkPresent && apks.length === 0) {
    errors.push({ errorCode: 'error_apk_missing', errorMessage: 'The edit has no APK.' });
  }
  if (rules.apkDrm) {
    for (const apk of apks.filter((a) => a.drm === null)) {
      errors.push({
        errorCode: 'error_apk_drm_value_missing',
        errorMessage: `APK ${apk.name} (${apk.id}) has no DRM setting. Choose one in the Developer Console.`,
      });
    }
  }
  if (rules.versionCodes) {
    const seen = new Map<number, string>();
    for (const apk of apks) {
      const other = seen.get(apk.versionCode);
      if (other !== undefined) {
        errors.push({
          errorCode: 'error_duplicate_version_code',
          errorMessage: `APKs ${other} and ${apk.name} have the same versionCode ${apk.versionCode}.`,
        });
      }
      seen.set(apk.versionCode, apk.name);
    }
  }
  if (rules.deviceTargetedOnce) {
    const targetedBy = new Map<string, string>();
    for (const apk of apks) {
      for (const deviceId of apk.targeted) {
        const other = targetedBy.get(deviceId);
        if (other !== undefined) {
          errors.push({
            errorCode: 'error_device_targeted_twice',
            errorMessage: `${findDevice(deviceId)?.name ?? deviceId} is targeted by ${other} and ${apk.name}: Targeted by another binary in the current version.`,
          });
        }
        targetedBy.set(deviceId, apk.name);
      }
    }
  }
  const fireTvTargeted = apks.some((apk) => apk.targeted.some((id) => findDevice(id)?.family === 'fire-tv'));
  for (const [locale, listing] of listings) {
    if (rules.releaseNotes) {
      const notes = listing.text.recentChanges.trim();
      const liveNotes = live?.listings.get(locale)?.text.recentChanges.trim();
      if (notes === '' || notes === liveNotes) {
        errors.push({
          errorCode: 'error_release_notes_incomplete',
          errorMessage: `Release notes (recentChanges) for ${locale} are ${notes === '' ? 'empty' : 'unchanged from the live version'}.`,
        });
      }
    }
    if (rules.keywords) {
      if (listing.text.keywords.length === 0) {
        errors.push({
          errorCode: 'required_data_absent',
          errorMessage: `Keywords for ${locale} are missing.`,
        });
      }
      for (const keyword of listing.text.keywords.filter((k) => !SINGLE_WORD.test(k))) {
        errors.push({
          errorCode: 'SINGLE_WORD',
          errorMessage: `Keyword '${keyword}' for ${locale} is not a single word.`,
        });
      }
    }
    const wanted = [
      ...(rules.requiredImages ? REQUIRED_IMAGES : []),
      ...(rules.fireTvImages && fireTvTargeted ? FIRE_TV_IMAGES : []),
    ];
    for (const type of wanted) {
      const count = listing.images[type]?.length ?? 0;
      const min = IMAGE_SPECS[type].min;
      if (count < min) {
        errors.push({
          errorCode: 'error_images_incomplete',
          errorMessage: `${locale} has ${count} ${type}; at least ${min} required.`,
        });
      }
    }
  }
  return errors;
}
