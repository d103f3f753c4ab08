// The emulator's device catalogue. Amazon's real catalogue is long and only its ids are visible through
// the API; these entries are enough to exercise targeting: Fire TV models, Fire tablets and one
// non-Amazon class. Only the Fire TV Stick 4K id is a real, observed id (appstore-api.md §1.1).

export type DeviceFamily = 'fire-tv' | 'fire-tablet' | 'non-amazon';

export interface CatalogueDevice {
  id: string;
  name: string;
  family: DeviceFamily;
  /** Listed under `amazonDevices` (true) or `nonAmazonDevices` (false) in a Targeting. */
  amazon: boolean;
  /** Hardware/software features the device has, among CHECKED_FEATURES. */
  features: readonly string[];
}

/**
 * The manifest features the emulator checks. A required feature outside this set never disables a
 * device: the real filter is unknown, and disabling on a guess would surprise more than it teaches.
 */
export const CHECKED_FEATURES: readonly string[] = [
  'android.software.leanback',
  'android.hardware.touchscreen',
  'android.hardware.camera',
  'android.hardware.telephony',
  'android.hardware.location.gps',
];

const TV = ['android.software.leanback'];
const TABLET = ['android.hardware.touchscreen', 'android.hardware.camera'];
const PHONE = [
  'android.hardware.touchscreen',
  'android.hardware.camera',
  'android.hardware.telephony',
  'android.hardware.location.gps',
];

export const DEVICE_CATALOGUE: readonly CatalogueDevice[] = [
  {
    id: 'amzn1.appstore.device.177APHJPEZKTD',
    name: 'Fire TV Stick 4K',
    family: 'fire-tv',
    amazon: true,
    features: TV,
  },
  {
    id: 'amzn1.appstore.device.2Q4VSBMSE2XH7',
    name: 'Fire TV Stick (3rd Gen)',
    family: 'fire-tv',
    amazon: true,
    features: TV,
  },
  {
    id: 'amzn1.appstore.device.3KZLQ6H0D2C5B',
    name: 'Fire TV Cube',
    family: 'fire-tv',
    amazon: true,
    features: TV,
  },
  {
    id: 'amzn1.appstore.device.1XG7TR0V4NPQ8',
    name: 'Fire HD 8 (2022)',
    family: 'fire-tablet',
    amazon: true,
    features: TABLET,
  },
  {
    id: 'amzn1.appstore.device.2M8RJ5WQ9DKE3',
    name: 'Fire HD 10 (2023)',
    family: 'fire-tablet',
    amazon: true,
    features: TABLET,
  },
  {
    id: 'amzn1.appstore.device.3H1FN7YB6CAT2',
    name: 'Fire Max 11',
    family: 'fire-tablet',
    amazon: true,
    features: TABLET,
  },
  {
    id: 'amzn1.appstore.device.0NONAMZANDROID',
    name: 'Android phones and tablets (non-Amazon)',
    family: 'non-amazon',
    amazon: false,
    features: PHONE,
  },
];

const BY_ID = new Map(DEVICE_CATALOGUE.map((d) => [d.id, d]));

export function findDevice(id: string): CatalogueDevice | undefined {
  return BY_ID.get(id);
}

/** The required features (among the checked ones) a device lacks; empty when the APK can run on it. */
export function missingFeatures(device: CatalogueDevice, requiredFeatures: readonly string[]): string[] {
  return requiredFeatures.filter((f) => CHECKED_FEATURES.includes(f) && !device.features.includes(f));
}
