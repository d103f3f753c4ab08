// Wire shapes of Amazon's App Submission API (see ../shared/appstore-api.md §4). Both the client and
// the emulator speak these, so they live apart from either.

export type EditStatus = 'IN_PROGRESS' | 'REVIEW';

export interface Edit {
  id: string;
  status: EditStatus;
}

export interface Apk {
  id: string;
  versionCode: number;
  name: string;
}

export type DeviceStatus = 'TARGETING' | 'NOT_TARGETING' | 'DISABLED';

export interface Device {
  id: string;
  name: string;
  status: DeviceStatus;
  reason: { reason?: string; details?: string[] };
}

export interface Targeting {
  amazonDevices: Device[];
  nonAmazonDevices: Device[];
  otherAndroidDevices?: string;
}

/** The seven text fields of a listing that a manifest can manage. */
export interface ListingText {
  title: string;
  shortDescription: string;
  fullDescription: string;
  recentChanges: string;
  featureBullets: string[];
  keywords: string[];
}

export type ListingField = keyof ListingText;

/** A listing with nothing set: what a new locale starts from. */
export function emptyListingText(): ListingText {
  return {
    title: '',
    shortDescription: '',
    fullDescription: '',
    recentChanges: '',
    featureBullets: [],
    keywords: [],
  };
}

export const LISTING_FIELDS: readonly ListingField[] = [
  'title',
  'shortDescription',
  'fullDescription',
  'recentChanges',
  'featureBullets',
  'keywords',
];

export interface Listing extends ListingText {
  language: string;
}

export interface Details {
  defaultLanguage: string;
  contactWebsite?: string;
  contactEmail?: string;
  contactPhone?: string;
}

export type ContactField = 'contactEmail' | 'contactWebsite' | 'contactPhone';
export const CONTACT_FIELDS: readonly ContactField[] = ['contactEmail', 'contactWebsite', 'contactPhone'];

export interface PublishingDate {
  /** Local date-time without offset, seconds precision: `2027-01-15T09:00:00`. */
  dateTime: string;
  zoneId: string;
}

export interface Availability {
  publishingDate?: PublishingDate;
}

export interface AssetRef {
  id: string;
}

export interface ImageList {
  images: AssetRef[];
}

export interface VideoList {
  videos: AssetRef[];
}

export interface ListingsCollection {
  listings: Record<string, Listing>;
}

export interface LargeUpload {
  fileId: string;
}

export interface ApiErrorEntry {
  errorCode: string;
  errorMessage: string;
}

/** Error body of the Appstore API proper (§4.9). Gateway errors use `{ Message }` instead. */
export interface ApiErrorBody {
  httpCode: number;
  message: string;
  errors: ApiErrorEntry[];
}

export const IMAGE_TYPES = [
  'small-icons',
  'large-icons',
  'screenshots',
  'promo-images',
  'firetv-icons',
  'firetv-backgrounds',
  'firetv-screenshots',
  'firetv-featured-backgrounds',
  'firetv-featured-logos',
] as const;

export type ImageType = (typeof IMAGE_TYPES)[number];

/** An asset list of a locale: one of the image types, or the videos. */
export type AssetKind = ImageType | 'videos';
