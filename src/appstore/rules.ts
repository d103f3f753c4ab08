// The Appstore's own limits (appstore-api.md §8.2, §9.1, §10). The manifest validator checks them
// offline and the emulator enforces them online, from this one table.
import type { ImageType, ListingField } from './types.js';

export const TEXT_LIMITS: Readonly<Partial<Record<ListingField, number>>> = {
  title: 250,
  shortDescription: 1200,
  fullDescription: 4000,
  recentChanges: 4000,
};

/** Locale codes as the API uses them in paths and keys: `en-US`. */
export const LOCALE_PATTERN = /^[a-z]{2}-[A-Z]{2}$/;

export type ImageFormat = 'png' | 'jpeg';

export interface ImageTypeSpec {
  /** Single-image types accept exactly one file, and an upload overwrites the current one. */
  single: boolean;
  min: number;
  max: number;
  formats: readonly ImageFormat[];
  /** Accepted sizes (width × height). Empty: unknown, any size is accepted. */
  sizes: readonly (readonly [number, number])[];
  /** Whether a portrait version (height × width) of each size is also accepted. */
  rotatable: boolean;
}

const SCREENSHOT_SIZES = [
  [800, 480],
  [1024, 600],
  [1280, 720],
  [1280, 800],
  [1920, 1080],
  [1920, 1200],
  [2560, 1600],
] as const;

export const IMAGE_SPECS: Readonly<Record<ImageType, ImageTypeSpec>> = {
  'small-icons': { single: true, min: 1, max: 1, formats: ['png'], sizes: [[114, 114]], rotatable: false },
  'large-icons': { single: true, min: 1, max: 1, formats: ['png'], sizes: [[512, 512]], rotatable: false },
  screenshots: {
    single: false,
    min: 3,
    max: 10,
    formats: ['png', 'jpeg'],
    sizes: SCREENSHOT_SIZES,
    rotatable: true,
  },
  'promo-images': {
    single: true,
    min: 1,
    max: 1,
    formats: ['png', 'jpeg'],
    sizes: [[1024, 500]],
    rotatable: false,
  },
  'firetv-icons': {
    single: true,
    min: 1,
    max: 1,
    formats: ['png', 'jpeg'],
    sizes: [[1280, 720]],
    rotatable: false,
  },
  'firetv-backgrounds': {
    single: true,
    min: 1,
    max: 1,
    formats: ['png', 'jpeg'],
    sizes: [[1920, 1080]],
    rotatable: false,
  },
  'firetv-screenshots': {
    single: false,
    min: 3,
    max: 10,
    formats: ['png', 'jpeg'],
    sizes: [[1920, 1080]],
    rotatable: false,
  },
  'firetv-featured-backgrounds': {
    single: true,
    min: 1,
    max: 1,
    formats: ['png', 'jpeg'],
    sizes: [[1920, 1080]],
    rotatable: false,
  },
  'firetv-featured-logos': { single: true, min: 1, max: 1, formats: ['png'], sizes: [], rotatable: false },
};

export const MAX_VIDEOS_PER_LISTING = 5;

/** Apps at or above this size go through large upload + attach (appstore-api.md §7.1). */
export const LARGE_APK_THRESHOLD_BYTES = 300 * 1024 * 1024;

/** `publishingDate.dateTime`: a local date and time, no offset, seconds precision (appstore-api.md §4.6). */
export const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** Whether a LOCAL_DATE_TIME string names a moment that exists (no 31 April, no hour 24). */
export function isRealLocalDateTime(dateTime: string): boolean {
  const m = LOCAL_DATE_TIME.exec(dateTime);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59
  );
}
