// Markdown and number formatting for benchmark sections. Every script prints one section to stdout;
// progress goes to stderr, so `bench/run.js` can collect the sections as they are.

/** A Markdown table; cells are converted with String(). */
export function table(headers, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function ms(value) {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

export function bytes(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  if (value < 1024 * 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
  return `${(value / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

/** `a / b` as "×1.23"; "–" when the baseline is 0 and so is the value, "∞" when only the baseline is. */
export function ratio(value, baseline) {
  if (baseline === 0) return value === 0 ? '–' : '∞';
  const r = value / baseline;
  return `×${r >= 100 ? r.toFixed(0) : r.toFixed(2)}`;
}

export function log(message) {
  process.stderr.write(`${message}\n`);
}

/** Milliseconds since `start` (a process.hrtime.bigint() value). */
export function since(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function isQuick() {
  return process.argv.includes('--quick');
}
