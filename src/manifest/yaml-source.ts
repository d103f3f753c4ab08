// YAML with source positions: parse once, keep the node tree, and answer "where in the file is
// /listings/en-US/title?" so every diagnostic can say file:line:col.
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
} from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

/** A problem of the YAML text itself, before any meaning is given to it. */
export interface YamlProblem {
  code: string;
  message: string;
  hint?: string;
  position: SourcePosition;
}

export type YamlParseResult =
  | { ok: true; value: unknown; source: YamlSource; warnings: YamlProblem[] }
  | { ok: false; problems: YamlProblem[] };

/** Either the key of a mapping entry (to point at `titel:`) or its value (to point at a bad value). */
export type PositionTarget = 'key' | 'value';

export class YamlSource {
  readonly #doc: Document.Parsed;
  readonly #lines: LineCounter;
  // Big mappings (hundreds of locales) are searched many times; index each one on first use.
  readonly #pairIndex = new WeakMap<object, Map<string, Pair>>();

  constructor(doc: Document.Parsed, lines: LineCounter) {
    this.#doc = doc;
    this.#lines = lines;
  }

  /**
   * The position of the node at a JSON pointer. When the pointer goes deeper than the document (a
   * missing key), the deepest existing node is returned, which is where the user has to add it.
   */
  locate(pointer: string, target: PositionTarget = 'value'): SourcePosition {
    let node: unknown = this.#doc.contents;
    let pair: Pair | undefined;
    for (const token of parsePointer(pointer)) {
      node = this.#resolve(node);
      let next: unknown;
      if (isMap(node)) {
        pair = this.#pairs(node).get(token);
        // `title:` with nothing after it: the empty value sits at the end of the line; show the key.
        next = isEmptyValue(pair?.value) ? pair?.key : pair?.value;
      } else if (isSeq(node)) {
        const index = Number(token);
        next = Number.isInteger(index) ? node.items[index] : undefined;
        pair = undefined;
      }
      if (next === undefined || next === null) return this.#positionOf(node);
      node = next;
    }
    if (target === 'key' && pair?.key !== undefined && pair.key !== null) return this.#positionOf(pair.key);
    return this.#positionOf(node);
  }

  #resolve(node: unknown): unknown {
    let current = node;
    for (let depth = 0; isAlias(current) && depth < 100; depth++) current = current.resolve(this.#doc);
    return current;
  }

  #pairs(map: { items: Pair[] }): Map<string, Pair> {
    let index = this.#pairIndex.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        // The first occurrence wins, like the position a user expects for a duplicate.
        if (!index.has(key)) index.set(key, item);
      }
      this.#pairIndex.set(map, index);
    }
    return index;
  }

  #positionOf(node: unknown): SourcePosition {
    const range = (node as Partial<Node> | null | undefined)?.range;
    return this.offsetToPosition(range?.[0] ?? 0);
  }

  offsetToPosition(offset: number): SourcePosition {
    const { line, col } = this.#lines.linePos(offset);
    return { line, column: col };
  }
}

/** Parse YAML text. Malformed YAML, duplicate keys and several documents are problems, never thrown. */
export function parseYaml(text: string): YamlParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = new YamlSource(doc, lines);
  const problems = doc.errors.map((e) => toProblem(e, text, source));
  const warnings = doc.warnings.map((e) => toProblem(e, text, source));
  if (problems.length > 0) return { ok: false, problems };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // toJS throws for unresolved aliases and alias bombs: input problems, reported as such.
    return {
      ok: false,
      problems: [
        {
          code: 'yaml-syntax',
          message: `The YAML cannot be read: ${error instanceof Error ? error.message : String(error)}.`,
          position: { line: 1, column: 1 },
        },
      ],
    };
  }
  return { ok: true, value, source, warnings };
}

function toProblem(
  error: { code: string; message: string; pos: [number, number] },
  text: string,
  source: YamlSource,
): YamlProblem {
  const position = source.offsetToPosition(error.pos[0]);
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      // The error's range covers only the key's first character; read the whole key from there.
      const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n#]*)/.exec(text.slice(error.pos[0]))?.[1]?.trim() ?? '';
      return {
        code: 'yaml-duplicate-key',
        message: key === '' ? 'Duplicate key in a mapping.' : `Duplicate key '${key}'.`,
        hint: 'Each key may appear once per mapping; remove or merge the repeated one.',
        position,
      };
    }
    case 'MULTIPLE_DOCS':
      return {
        code: 'yaml-multiple-documents',
        message: "The file contains several YAML documents ('---'); a manifest is a single document.",
        position,
      };
    default: {
      const firstLine = error.message.split('\n')[0] ?? error.message;
      return {
        code: 'yaml-syntax',
        message: `Malformed YAML: ${firstLine.replace(/[.:]\s*$/, '')}.`,
        hint: 'Check indentation, quotes and brackets on this line and the one before it.',
        position,
      };
    }
  }
}

function isEmptyValue(node: unknown): boolean {
  if (node === null || node === undefined) return true;
  if (!isScalar(node) || node.value !== null) return false;
  const range = node.range;
  return range === undefined || range === null || range[0] === range[1];
}

/** RFC 6901 JSON pointer tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function toPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
