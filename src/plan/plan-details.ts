import { type Availability, CONTACT_FIELDS, type Details } from '../appstore/types.js';
import { canonicalJson, fingerprint } from '../fingerprint/fingerprint.js';
import type { Manifest } from '../manifest/types.js';
import { address } from './addresses.js';
import type { Action } from './types.js';

export function planDetails(
  wanted: Manifest['details'],
  remote: Details,
): { action?: Action; basis: string } {
  const basis = fingerprint(remote);
  if (wanted === undefined) return { basis };
  const fields: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of CONTACT_FIELDS) {
    const after = wanted[field];
    if (after !== undefined && after !== remote[field])
      fields[field] = { before: remote[field] ?? null, after };
  }
  if (Object.keys(fields).length === 0) return { basis };
  return {
    basis,
    action: {
      kind: 'put-details',
      address: address.details,
      change: 'update',
      assumed: { fingerprint: basis },
      fields,
      body: { ...remote, ...wanted },
    },
  };
}

export function planAvailability(
  wanted: Manifest['availability'],
  remote: Availability,
): { action?: Action; basis: string } {
  const basis = fingerprint(remote);
  if (wanted === undefined) return { basis };
  const body: Availability = { ...remote, publishingDate: wanted.publishingDate };
  if (canonicalJson(body) === canonicalJson(remote)) return { basis };
  return {
    basis,
    action: {
      kind: 'put-availability',
      address: address.availability,
      change: 'update',
      assumed: { fingerprint: basis },
      before: remote,
      body,
    },
  };
}
