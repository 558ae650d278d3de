import * as fs from 'node:fs/promises';

/** What one streaming pass over a delimited text file found. */
export interface CsvRowCount {
  /** Non-blank records (a quoted field may span lines), header included. */
  records: number;
  /** Fields in the first record. */
  firstFields: number;
  /** Records with more fields than the first (pandas stops on these: "Expected N fields ... saw M"). */
  longerRecords: number;
  /** 1-based physical line where the first longer record starts. */
  firstLongerLine?: number;
  /** Records skipped as comments (`comment` option). */
  commentRecords: number;
  /** Bytes scanned; less than the file when `maxBytes` stopped the pass. */
  bytesRead: number;
  /** True when the pass stopped at `maxBytes`: `records` is then a lower bound. */
  truncated: boolean;
  /** The file holds a NUL byte: not text, nothing else is meaningful. */
  binary: boolean;
  /** Ends inside a quoted field (an unbalanced quote). */
  unterminatedQuote: boolean;
}

export interface CsvCountOptions {
  /** Field separator byte; default `,`. Whitespace-separated files (`np.loadtxt`) pass `undefined` fields via `whitespace`. */
  delimiter?: string;
  /** Split fields on runs of spaces and tabs (numpy's default, pandas' `sep=r"\s+"`). */
  whitespace?: boolean;
  /** Quote character; `null` turns quoting off (numpy's `loadtxt` default). Default `"`. */
  quote?: string | null;
  /** A record whose first byte is this character is a comment (numpy's default `#`). */
  comment?: string;
  /** Stop after this many bytes (then `truncated`). Default 4 GiB. */
  maxBytes?: number;
  signal?: AbortSignal;
}

const CHUNK = 1 << 20;

// Byte classes: one table lookup per byte keeps the common case (an ordinary byte inside a field) to a
// load and a compare.
const ORDINARY = 0;
const NEWLINE = 1;
const RETURN = 2;
const DELIMITER = 3;
const QUOTE = 4;
const BLANK = 5;

// Parser states. A quote opens a quoted field only at the start of a field, as in Python's csv module
// and pandas (a `"` inside an unquoted field, like 5'11", is a literal character).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/**
 * Counts the records of a CSV/TSV file in one streaming pass with a fixed 1 MiB buffer, aware of
 * quoted fields that hold delimiters and newlines. A byte scanner rather than csv-parse: the count
 * needs no field values, and csv-parse builds a string per field, which is several times slower than
 * this loop with no allocation per row (`npm run bench -- --data` prints this counter's MB/s next to
 * `wc -l`). Field values (headers, label columns) are read with csv-parse (see csv-columns.ts).
 */
export async function countCsvRows(file: string, options: CsvCountOptions = {}): Promise<CsvRowCount> {
  const whitespace = options.whitespace === true;
  const comment = options.comment ? options.comment.charCodeAt(0) : -1;
  const maxBytes = options.maxBytes ?? 4 * 2 ** 30;
  const classes = new Uint8Array(256);
  classes[10] = NEWLINE;
  classes[13] = RETURN;
  if (whitespace) classes[32] = classes[9] = BLANK;
  else classes[(options.delimiter ?? ',').charCodeAt(0) & 255] = DELIMITER;
  if (options.quote !== null) classes[(options.quote ?? '"').charCodeAt(0) & 255] = QUOTE;
  const result: CsvRowCount = {
    records: 0,
    firstFields: 0,
    longerRecords: 0,
    commentRecords: 0,
    bytesRead: 0,
    truncated: false,
    binary: false,
    unterminatedQuote: false,
  };
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    // Delimited records start with one field; whitespace-separated ones count a field where one begins.
    const emptyFields = whitespace ? 0 : 1;
    let state = FIELD_START;
    let fields = emptyFields;
    let content = false; // the record has a byte other than CR (and, for whitespace files, blanks)
    let isComment = false;
    let line = 1;
    let recordLine = 1;
    for (;;) {
      if (options.signal?.aborted) throw new Error('cancelled');
      const want = Math.min(CHUNK, maxBytes - result.bytesRead);
      if (want <= 0) {
        result.truncated = (await handle.read(buffer, 0, 1, result.bytesRead)).bytesRead > 0;
        break;
      }
      const { bytesRead } = await handle.read(buffer, 0, want, result.bytesRead);
      if (bytesRead === 0) break;
      result.bytesRead += bytesRead;
      if (buffer.subarray(0, bytesRead).includes(0)) {
        result.binary = true;
        return result;
      }
      for (let i = 0; i < bytesRead; i++) {
        const c = buffer[i];
        const kind = classes[c];
        if (kind === ORDINARY) {
          if (state === FIELD_START) {
            if (!content) {
              content = true;
              if (c === comment) isComment = true;
            }
            if (whitespace) fields++;
            state = UNQUOTED;
          } else if (state === QUOTE_IN_QUOTED) {
            state = UNQUOTED; // a malformed `"ab"c`: pandas reads on
          }
          continue;
        }
        if (state === QUOTED) {
          if (kind === NEWLINE) line++;
          else if (kind === QUOTE) state = QUOTE_IN_QUOTED;
          continue;
        }
        switch (kind) {
          case NEWLINE:
            line++;
            if (isComment) result.commentRecords++;
            else if (content) {
              result.records++;
              if (result.records === 1) result.firstFields = fields;
              else if (fields > result.firstFields) {
                result.longerRecords++;
                result.firstLongerLine ??= recordLine;
              }
            }
            state = FIELD_START;
            fields = emptyFields;
            content = false;
            isComment = false;
            recordLine = line;
            break;
          case DELIMITER:
            content = true;
            fields++;
            state = FIELD_START;
            break;
          case BLANK:
            state = FIELD_START;
            break;
          case QUOTE:
            if (!content) {
              content = true;
              if (c === comment) isComment = true;
            }
            if (state === FIELD_START) {
              if (whitespace) fields++;
              state = QUOTED;
            } else if (state === QUOTE_IN_QUOTED) {
              state = QUOTED; // `""` inside a quoted field is an escaped quote
            }
            break;
          default: // RETURN: part of a CRLF line end
            break;
        }
      }
    }
    if (state === QUOTED) result.unterminatedQuote = true;
    // A last record without a trailing newline still counts.
    if (isComment) result.commentRecords++;
    else if (content) {
      result.records++;
      if (result.records === 1) result.firstFields = fields;
      else if (fields > result.firstFields) {
        result.longerRecords++;
        result.firstLongerLine ??= recordLine;
      }
    }
    return result;
  } finally {
    await handle.close();
  }
}
