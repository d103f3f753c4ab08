// Small formatting pieces shared by the human and Markdown renderers.
import type { FileRef } from '../plan/types.js';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function formatFile(file: FileRef): string {
  return `${file.path} (${formatBytes(file.size)}, sha256 ${file.sha256.slice(0, 12)})`;
}

/** A value on one line: strings quoted, lists in brackets, absent as `(none)`. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (Array.isArray(value)) return `[${value.map((v) => String(v)).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}

export function isLongText(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('\n') || value.length > 60);
}
