// A line diff for long text (descriptions, release notes): people review what changed, not two walls of
// text. Longest common subsequence over lines; inputs are at most a few thousand characters.
export type DiffLine = { op: ' ' | '-' | '+'; text: string };

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      out.push({ op: '-', text: a[i++]! });
    } else {
      out.push({ op: '+', text: b[j++]! });
    }
  }
  while (i < a.length) out.push({ op: '-', text: a[i++]! });
  while (j < b.length) out.push({ op: '+', text: b[j++]! });
  return out;
}

/** Keeps changed lines and `context` unchanged lines around them; elided runs become one `…` line. */
export function withContext(lines: DiffLine[], context = 1): (DiffLine | { op: '…'; text: string })[] {
  const keep = lines.map((_line, index) =>
    lines.slice(Math.max(0, index - context), index + context + 1).some((l) => l.op !== ' '),
  );
  const out: (DiffLine | { op: '…'; text: string })[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (keep[index]) out.push(lines[index]!);
    else if (out.at(-1)?.op !== '…') out.push({ op: '…', text: '' });
  }
  return out;
}
