// Reading small JSON request bodies (PUT listing, details, availability, targeting; attach).
import type { Readable } from 'node:stream';
import { badRequest } from './api-errors.js';

const JSON_BODY_LIMIT = 1024 * 1024;

/** The body parsed as a JSON object; 400 when it is too large, not JSON, or not an object. */
export async function readJsonObject(body: Readable): Promise<Record<string, unknown>> {
  const text = await readText(body, JSON_BODY_LIMIT);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('error_invalid_request_body', 'The request body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('error_invalid_request_body', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/**
 * The whole body as UTF-8 text, up to `limit` bytes. An oversized body is read to its end and dropped
 * (not destroyed), so the connection survives to carry the 400.
 */
export function readText(body: Readable, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    body.once('error', reject);
    body.once('end', () => {
      if (size > limit)
        reject(badRequest('error_invalid_request_body', `The request body exceeds ${limit} bytes.`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}
