import type { Range } from '../finding';

/**
 * Where keys sit in a TOML file, so a config problem can be reported on its line. smol-toml parses
 * the values but keeps no source positions; this scan only *places* keys the parser already
 * accepted: table headers, `key = value` lines (dotted and quoted keys) and the keys of a one-line
 * inline table. Lines inside multi-line strings are skipped. Anything it cannot place falls back to
 * the nearest enclosing key it found, then to the first line.
 */

const BARE_KEY = String.raw`[A-Za-z0-9_-]+`;
const QUOTED_KEY = String.raw`"(?:[^"\\]|\\.)*"|'[^']*'`;
const KEY = `(?:${BARE_KEY}|${QUOTED_KEY})`;
const DOTTED_KEY = `${KEY}(?:\\s*\\.\\s*${KEY})*`;
const HEADER = new RegExp(String.raw`^\s*\[\[?\s*(${DOTTED_KEY})\s*\]\]?`);
const KEY_VALUE = new RegExp(String.raw`^(\s*)(${DOTTED_KEY})\s*=`);
const INLINE_KEY = new RegExp(String.raw`([{,]\s*)(${DOTTED_KEY})\s*=`, 'g');
const KEY_PART = new RegExp(KEY, 'g');

export interface KeyLocation {
  /** The key's text on its line. */
  range: Range;
  /** UTF-16 offset where the value starts (after `=`), for finding array elements. */
  valueOffset: number;
}

export class TomlPositions {
  private readonly keys = new Map<string, KeyLocation>();
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    this.scan();
  }

  /** The key at `path`, or the closest enclosing key found, or the first line. */
  key(path: readonly string[]): Range {
    for (let n = path.length; n > 0; n--) {
      const found = this.keys.get(pathKey(path.slice(0, n)));
      if (found) return found.range;
    }
    return this.lineRange(0);
  }

  /** A string element of the array at `path` (`select = ["a", "b"]`): its quoted text, else the key. */
  element(path: readonly string[], value: string): Range {
    const found = this.keys.get(pathKey(path));
    if (!found) return this.key(path);
    for (const quoted of [JSON.stringify(value), `'${value}'`]) {
      const at = this.text.indexOf(quoted, found.valueOffset);
      if (at >= 0) return { start: this.position(at), end: this.position(at + quoted.length) };
    }
    return found.range;
  }

  /** A whole line (1-based `line` from a parser error clamps into the file). */
  lineRange(line: number): Range {
    const clamped = Math.max(0, Math.min(line, this.lineStarts.length - 1));
    const start = this.lineStarts[clamped];
    const end = clamped + 1 < this.lineStarts.length ? this.lineStarts[clamped + 1] - 1 : this.text.length;
    const length = this.text.slice(start, end).replace(/\r$/, '').length;
    return { start: { line: clamped, character: 0 }, end: { line: clamped, character: length } };
  }

  private scan(): void {
    let table: string[] = [];
    let openString: string | undefined;
    for (let line = 0; line < this.lineStarts.length; line++) {
      const start = this.lineStarts[line];
      const end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
      const text = this.text.slice(start, end);
      if (openString) {
        if (countOf(text, openString) % 2 === 1) openString = undefined;
        continue;
      }
      const header = HEADER.exec(text);
      if (header) {
        table = splitKey(header[1]);
        const at = text.indexOf(header[1]);
        this.record(table, start + at, header[1].length, start + header[0].length);
        continue;
      }
      const pair = KEY_VALUE.exec(text);
      if (pair) {
        const keys = splitKey(pair[2]);
        const valueOffset = start + pair[0].length;
        // `high-param-count.min-parameters = 1` also places `high-param-count` (first seen wins).
        for (let n = 1; n <= keys.length; n++) this.record([...table, ...keys.slice(0, n)], start + pair[1].length, pair[2].length, valueOffset);
        const path = [...table, ...keys];
        this.inlineKeys(path, text.slice(pair[0].length), valueOffset);
      }
      // A multi-line string opened on this line hides the lines up to its closing quotes.
      for (const quotes of ['"""', "'''"]) if (countOf(text, quotes) % 2 === 1) openString = quotes;
    }
  }

  /** `severity = { unset-seed = "error" }`: the keys of a one-line inline table (one level deep). */
  private inlineKeys(path: string[], value: string, offset: number): void {
    if (!value.trimStart().startsWith('{')) return;
    for (const match of value.matchAll(INLINE_KEY)) {
      const at = offset + match.index + match[1].length;
      this.record([...path, ...splitKey(match[2])], at, match[2].length, at + match[0].length - match[1].length);
    }
  }

  private record(path: string[], offset: number, length: number, valueOffset: number): void {
    const key = pathKey(path);
    if (this.keys.has(key)) return;
    this.keys.set(key, { range: { start: this.position(offset), end: this.position(offset + length) }, valueOffset });
  }

  private position(offset: number): Range['start'] {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo] };
  }
}

/** `tool."dl-doctor".severity` → ["tool", "dl-doctor", "severity"]. */
function splitKey(dotted: string): string[] {
  return [...dotted.matchAll(KEY_PART)].map(([part]) => (part.startsWith('"') ? unquote(part) : part.replace(/^'|'$/g, '')));
}

/** A TOML basic string's text; its escapes are JSON's plus `\UXXXXXXXX`, which keys never need. */
function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

function pathKey(path: readonly string[]): string {
  return path.join('\u0000');
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}
