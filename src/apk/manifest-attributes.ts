import type { XmlAttribute, XmlElement } from './binary-xml.js';
import { isInteger, ResType, type ResValue } from './res-value.js';

/**
 * What AndroidManifest.xml says, before any resource reference is resolved. Attributes are matched
 * by their framework resource id when the resource map gives one (that is how Android itself reads
 * them, and it survives obfuscated attribute names), else by name in the android namespace.
 */

const ANDROID_NS = 'http://schemas.android.com/apk/res/android';

export const ATTR = {
  name: { id: 0x01010003, name: 'name' },
  versionCode: { id: 0x0101021b, name: 'versionCode' },
  versionName: { id: 0x0101021c, name: 'versionName' },
  minSdkVersion: { id: 0x0101020c, name: 'minSdkVersion' },
  targetSdkVersion: { id: 0x01010270, name: 'targetSdkVersion' },
  required: { id: 0x0101028e, name: 'required' },
} as const;

type AttrSpec = (typeof ATTR)[keyof typeof ATTR];

export interface RawManifest {
  packageName: string | undefined;
  versionCode: ResValue | undefined;
  versionName: ResValue | undefined;
  minSdk: ResValue | undefined;
  targetSdk: ResValue | undefined;
  usesFeatures: { name: ResValue | undefined; required: ResValue | undefined }[];
}

function find(element: XmlElement, spec: AttrSpec): ResValue | undefined {
  const byId = element.attributes.find((a) => a.resourceId === spec.id);
  if (byId !== undefined) return byId.value;
  const byName = element.attributes.find(
    (a: XmlAttribute) =>
      a.resourceId === undefined &&
      a.name === spec.name &&
      (a.namespace === ANDROID_NS || a.namespace === undefined),
  );
  return byName?.value;
}

export function readManifestElements(elements: XmlElement[]): RawManifest {
  const root = elements[0];
  const raw: RawManifest = {
    packageName: undefined,
    versionCode: undefined,
    versionName: undefined,
    minSdk: undefined,
    targetSdk: undefined,
    usesFeatures: [],
  };
  if (root === undefined || root.name !== 'manifest') return raw;

  // `package` has no resource id and no namespace.
  raw.packageName = root.attributes.find(
    (a) => a.name === 'package' && a.namespace === undefined,
  )?.value.string;
  raw.versionCode = find(root, ATTR.versionCode);
  raw.versionName = find(root, ATTR.versionName);

  for (const element of elements) {
    if (element.path.length !== 1 || element.path[0] !== 'manifest' || element.namespace !== undefined)
      continue;
    if (element.name === 'uses-sdk') {
      // Android honours the first <uses-sdk>; so do we.
      if (raw.minSdk === undefined && raw.targetSdk === undefined) {
        raw.minSdk = find(element, ATTR.minSdkVersion);
        raw.targetSdk = find(element, ATTR.targetSdkVersion);
      }
    } else if (element.name === 'uses-feature') {
      raw.usesFeatures.push({ name: find(element, ATTR.name), required: find(element, ATTR.required) });
    }
  }
  return raw;
}

/** An integer attribute: a decimal or hex int, or a string holding one (aapt keeps odd literals as strings). */
export function integerOf(value: ResValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (isInteger(value)) return value.data | 0;
  if (value.dataType === ResType.STRING && value.string !== undefined && /^\s*-?\d+\s*$/.test(value.string)) {
    return Number.parseInt(value.string, 10);
  }
  return undefined;
}

/** A boolean attribute: TYPE_INT_BOOLEAN (0 is false, anything else true), or a "true"/"false" string. */
export function booleanOf(value: ResValue | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value.dataType === ResType.INT_BOOLEAN || isInteger(value)) return value.data !== 0;
  if (value.dataType === ResType.STRING) {
    if (value.string === 'true') return true;
    if (value.string === 'false') return false;
  }
  return fallback;
}

/** A string attribute: a literal, or for an int (e.g. versionName="2") its decimal text. */
export function stringOf(value: ResValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.dataType === ResType.STRING) return value.string;
  if (isInteger(value)) return String(value.data | 0);
  return undefined;
}
