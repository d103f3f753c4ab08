/** Res_value data types (ResourceTypes.h) that the manifest attributes we read can carry. */
export const ResType = {
  NULL: 0x00,
  REFERENCE: 0x01,
  ATTRIBUTE: 0x02,
  STRING: 0x03,
  DYNAMIC_REFERENCE: 0x07,
  INT_DEC: 0x10,
  INT_HEX: 0x11,
  INT_BOOLEAN: 0x12,
} as const;

/** A typed value as stored in binary XML and resources.arsc; `string` is filled for TYPE_STRING. */
export interface ResValue {
  dataType: number;
  /** The raw 32-bit payload, unsigned. */
  data: number;
  string: string | undefined;
}

export const isReference = (value: ResValue): boolean =>
  value.dataType === ResType.REFERENCE || value.dataType === ResType.DYNAMIC_REFERENCE;

export const isInteger = (value: ResValue): boolean =>
  value.dataType === ResType.INT_DEC || value.dataType === ResType.INT_HEX;

export const formatResourceId = (id: number): string => `@0x${id.toString(16).padStart(8, '0')}`;
