import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { plainDecimal } from './plain-decimal';

/**
 * Splits bytes into text lines across chunk boundaries (UTF-8 safe, `\n` or `\r\n`), keeping the
 * unterminated tail until its line end arrives. Training-log CSVs (Keras' and Lightning's
 * `csv.DictWriter`) quote only names with a separator or quote in them and never hold line breaks
 * inside a field, so a line is a row.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private tail = '';
  /** Whether every chunk so far was ASCII (so the UTF-8 decoder holds no partial character). */
  private ascii = true;
  /** 1-based number of the next complete line. */
  lineNumber = 1;

  constructor(private readonly onLine: (line: string, lineNumber: number) => void) {}

  push(bytes: Buffer): void {
    // ASCII (what loggers write, bar non-ASCII metric names) is the same in Latin-1, which decodes
    // several times faster than UTF-8; once a chunk is not, the UTF-8 decoder reads the rest.
    this.ascii &&= isAscii(bytes);
    const text = this.tail + (this.ascii ? bytes.toString('latin1') : this.decoder.write(bytes));
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      const line = end > start && text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      this.onLine(line, this.lineNumber++);
      start = end + 1;
    }
    this.tail = text.slice(start);
  }

  /** The unterminated last line, if any (not consumed: a later push may complete it). */
  pending(): { line: string; lineNumber: number } | undefined {
    const line = this.tail.endsWith('\r') ? this.tail.slice(0, -1) : this.tail;
    return line.length > 0 ? { line, lineNumber: this.lineNumber } : undefined;
  }
}

/** Splits one CSV row (RFC 4180 quoting) on `separator`. */
export function splitCsvRow(line: string, separator: string): string[] {
  if (!line.includes('"')) return line.split(separator);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = '';
    }
    else field += c;
  }
  fields.push(field);
  return fields;
}

/** Spellings of non-finite numbers Python's `str(float)` and NumPy write. */
const SPECIAL: Record<string, number> = { nan: NaN, '-nan': NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '-infinity': -Infinity };

/**
 * A cell as a number: decimal and exponent notation, `nan`/`inf` in Python's spellings. Empty
 * cells and `NA` (Keras CSVLogger's missing value) are `null`: missing, not wrong. Anything else is
 * `undefined`: not a number.
 */
export function parseCell(cell: string): number | null | undefined {
  const code = cell.charCodeAt(0);
  // Fast path: starts like a decimal number (digit, sign, point). Number() would also take hex,
  // octal and binary literals ("0x10"): those are not what a logger writes.
  if ((code >= 48 && code <= 57) || code === 45 || code === 43 || code === 46) {
    const quick = plainDecimal(cell);
    if (quick !== undefined) return quick;
    const value = Number(cell);
    if (!Number.isNaN(value) && !radixPrefixed(cell)) return value;
  }
  const text = cell.trim();
  if (text === '' || text === 'NA') return null;
  if (text !== cell) return parseCell(text); // " 0.5": spaces around a number
  const special = SPECIAL[text.toLowerCase()];
  return special !== undefined ? special : undefined;
}

function radixPrefixed(cell: string): boolean {
  const at = cell.charCodeAt(0) === 45 || cell.charCodeAt(0) === 43 ? 1 : 0;
  if (cell.charCodeAt(at) !== 48) return false;
  const next = cell.charCodeAt(at + 1) | 0x20; // lower case
  return next === 0x78 || next === 0x6f || next === 0x62; // x, o, b
}

/** The separator of a header line: what follows its first column name (Keras CSVLogger's `separator`). */
export function headerSeparator(line: string): string {
  for (const separator of [',', '\t', ';']) if (line.includes(separator)) return separator;
  return ',';
}
