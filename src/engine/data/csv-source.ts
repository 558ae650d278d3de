import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';
import { countCsvRows, type CsvCountOptions } from './csv-rows';
import { dataFileFacts } from './file-fact-cache';

/** How a reader function reads a delimited text file, from its arguments and its documented defaults. */
export interface CsvRead {
  reader: 'pandas' | 'numpy' | 'csv';
  pathNode?: Node;
  count: CsvCountOptions;
  /** Records dropped before the data: skipped lines and header rows. */
  skipRecords: number;
  headerRows: number;
  maxRows?: number;
  /** `header=None`: columns are numbered. */
  noHeader: boolean;
  /** A keyword that changes the row count in a way not followed here (`skipfooter`, a callable `skiprows`). */
  unsupported?: string;
  /** Describes the reading options for the notes. */
  described: string[];
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Reads the arguments of `pd.read_csv`/`pd.read_table`, `np.loadtxt`/`np.genfromtxt` and
 * `csv.reader`/`csv.DictReader`, with the defaults their documentation states:
 * - pandas (pandas.read_csv docs): sep ",", (read_table: tab), header row 0 unless header=None,
 *   skiprows = lines skipped first, nrows = rows read at most, blank lines skipped (skip_blank_lines).
 * - numpy.loadtxt (docs): whitespace-delimited, comments "#", skiprows, max_rows, no quoting (quotechar
 *   None); numpy.genfromtxt: whitespace, comments "#", skip_header, max_rows, names=True reads a header.
 * - csv.reader yields every row, the header too; csv.DictReader consumes the first row as field names.
 */
export function csvRead(file: PythonFile, call: Node, name: string): CsvRead | undefined {
  const kw = (n: string) => file.keywordArgument(call, n);
  const value = (n: string) => {
    const node = kw(n);
    return node ? file.evaluate(node) : undefined;
  };
  const args = file.positionalArguments(call);
  const described: string[] = [];
  if (name === 'pandas.read_csv' || name === 'pandas.read_table') {
    const read: CsvRead = { reader: 'pandas', pathNode: args[0] ?? kw('filepath_or_buffer'), count: {}, skipRecords: 0, headerRows: 1, noHeader: false, described };
    const sepNode = kw('sep') ?? kw('delimiter') ?? args[1];
    if (sepNode) {
      const sep = separator(file, sepNode);
      if (sep === undefined) return { ...read, unsupported: `sep=${sepNode.text}` };
      if (sep === 'whitespace') read.count.whitespace = true;
      else read.count.delimiter = sep;
    } else if (name === 'pandas.read_table') read.count.delimiter = '\t';
    if (value('delim_whitespace')?.value === true) read.count.whitespace = true;
    const header = kw('header');
    if (header) {
      const h = file.evaluate(header)?.value;
      if (h === null) {
        read.headerRows = 0;
        read.noHeader = true;
        described.push('header=None');
      } else if (typeof h === 'number' && Number.isInteger(h) && h >= 0) {
        read.headerRows = h + 1;
      } else return { ...read, unsupported: `header=${header.text}` };
    }
    const skip = kw('skiprows');
    if (skip) {
      const s = skipCount(file, skip);
      if (s === undefined) return { ...read, unsupported: `skiprows=${skip.text}` };
      read.skipRecords = s;
      described.push(`skiprows=${skip.text}`);
    }
    const nrows = value('nrows')?.value;
    if (typeof nrows === 'number') {
      read.maxRows = nrows;
      described.push(`nrows=${fmt(nrows)}`);
    }
    const comment = value('comment')?.value;
    if (typeof comment === 'string' && comment.length === 1) read.count.comment = comment;
    if (kw('skipfooter')) return { ...read, unsupported: 'skipfooter=' };
    if (kw('chunksize') || kw('iterator')) return { ...read, unsupported: 'chunksize=/iterator= (read in pieces)' };
    return read;
  }
  if (name === 'numpy.loadtxt' || name === 'numpy.genfromtxt') {
    const genfromtxt = name === 'numpy.genfromtxt';
    const read: CsvRead = { reader: 'numpy', pathNode: args[0] ?? kw('fname'), count: { whitespace: true, quote: null, comment: '#' }, skipRecords: 0, headerRows: 0, noHeader: true, described };
    // loadtxt(fname, dtype, comments, delimiter, ...) and genfromtxt share the first four positions.
    const delimiterNode = kw('delimiter') ?? args[3];
    if (delimiterNode) {
      const sep = separator(file, delimiterNode);
      if (sep === undefined) return { ...read, unsupported: `delimiter=${delimiterNode.text}` };
      if (sep !== 'whitespace') {
        read.count.whitespace = false;
        read.count.delimiter = sep;
      }
    }
    const comments = kw('comments');
    if (comments) {
      const c = file.evaluate(comments)?.value;
      if (c === null) delete read.count.comment;
      else if (typeof c === 'string' && c.length === 1) read.count.comment = c;
      else return { ...read, unsupported: `comments=${comments.text}` };
    }
    const skipName = genfromtxt ? 'skip_header' : 'skiprows';
    const skip = value(skipName)?.value;
    if (kw(skipName)) {
      if (typeof skip !== 'number') return { ...read, unsupported: `${skipName}=` };
      read.skipRecords = skip;
      described.push(`${skipName}=${skip}`);
    }
    if (genfromtxt && value('names')?.value === true) {
      read.headerRows = 1;
      read.noHeader = false;
    }
    if (genfromtxt && kw('skip_footer')) return { ...read, unsupported: 'skip_footer=' };
    const maxRows = value('max_rows')?.value;
    if (typeof maxRows === 'number') {
      read.maxRows = maxRows;
      described.push(`max_rows=${fmt(maxRows)}`);
    }
    return read;
  }
  if (name === 'csv.reader' || name === 'csv.DictReader') {
    const dict = name === 'csv.DictReader';
    const read: CsvRead = { reader: 'csv', pathNode: args[0], count: {}, skipRecords: 0, headerRows: dict ? 1 : 0, noHeader: !dict, described };
    const delimiterNode = kw('delimiter');
    if (delimiterNode) {
      const sep = separator(file, delimiterNode);
      if (sep === undefined || sep === 'whitespace') return { ...read, unsupported: `delimiter=${delimiterNode.text}` };
      read.count.delimiter = sep;
    }
    if (!dict) described.push('csv.reader yields every row, a header row too');
    return read;
  }
  return undefined;
}

/** Counts the data rows a read yields, with a note; an `error` note when it cannot be counted. */
export async function csvDataRows(absolute: string, display: string, read: CsvRead, signal?: AbortSignal): Promise<{ rows?: number; notes: string[]; fields?: number; capped?: boolean }> {
  if (read.unsupported) return { notes: [`${display}: ${read.unsupported} changes the rows read in a way DL Doctor does not follow; no count`] };
  const count = await dataFileFacts.get(absolute, 'csv-rows', read.count, () => countCsvRows(absolute, { ...read.count, signal }));
  if (count.binary) return { notes: [`${display} is not text (it holds NUL bytes): no row count`] };
  if (count.longerRecords > 0 && read.reader !== 'csv') {
    return {
      notes: [
        `${display}: ${fmt(count.longerRecords)} row(s) have more fields than the first row's ${count.firstFields} (first at line ${count.firstLongerLine}); ${read.reader === 'pandas' ? 'pandas stops with "Error tokenizing data"' : 'numpy stops with a wrong-number-of-columns error'}, so no count`,
      ],
    };
  }
  let rows = Math.max(0, count.records - read.skipRecords - read.headerRows);
  const parts: string[] = [];
  if (read.reader !== 'csv') {
    if (read.headerRows === 1) parts.push('header skipped');
    else if (read.headerRows > 1) parts.push(`${read.headerRows} header rows skipped`);
  }
  if (read.noHeader && read.reader === 'pandas') parts.push('no header row');
  parts.push(...read.described);
  if (read.maxRows !== undefined && read.maxRows < rows) rows = read.maxRows;
  if (count.commentRecords > 0) parts.push(`${fmt(count.commentRecords)} comment line(s) left out`);
  if (count.unterminatedQuote) parts.push('the file ends inside a quoted field');
  if (count.truncated) parts.push(`counted in the first ${fmt(Math.round(count.bytesRead / 2 ** 20))} MB only`);
  const note = `${count.truncated ? 'at least ' : ''}${fmt(rows)} rows in ${display}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  return { rows, notes: [note], fields: count.firstFields, capped: count.truncated };
}

/** `","`, `"\t"`, `";"`, `r"\s+"` (whitespace); escape sequences other than \t do not resolve. */
function separator(file: PythonFile, node: Node): string | 'whitespace' | undefined {
  const value = file.evaluate(node)?.value;
  if (typeof value === 'string') {
    if (value === '\\s+' || value === ' ') return value === ' ' ? ' ' : 'whitespace';
    return value.length === 1 ? value : undefined;
  }
  if (value === null) return 'whitespace';
  // `"\t"` holds an escape sequence, which `evaluate` leaves alone.
  if (node.type === 'string') {
    const parts = node.namedChildren.filter((c) => c !== null);
    const escape = parts.filter((p) => p.type === 'escape_sequence');
    const content = parts.filter((p) => p.type === 'string_content');
    if (escape.length === 1 && content.length === 0 && escape[0].text === '\\t') return '\t';
  }
  return undefined;
}

/** `skiprows=3` or `skiprows=[0, 1]` (the first rows); other lists and callables do not resolve here. */
function skipCount(file: PythonFile, node: Node): number | undefined {
  const value = file.evaluate(node)?.value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (node.type === 'list' || node.type === 'range') {
    const items = node.namedChildren.filter((c) => c !== null).map((c) => file.evaluate(c)?.value);
    if (items.every((v, i) => v === i)) return items.length;
  }
  return undefined;
}
