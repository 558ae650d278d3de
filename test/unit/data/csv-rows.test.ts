import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { countCsvRows, type CsvCountOptions } from '../../../src/engine/data/csv-rows';
import { DATA_FIXTURES } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-csv-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function count(content: string | Buffer, options?: CsvCountOptions) {
  const file = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(file, content);
  return countCsvRows(file, options);
}

describe('CSV row counter', () => {
  it('counts the 10,001 records of the real churn file (header included)', async () => {
    const result = await countCsvRows(path.join(DATA_FIXTURES, 'churn/Churn_Modelling.csv'));
    assert.equal(result.records, 10_001);
    assert.equal(result.firstFields, 14);
    assert.equal(result.longerRecords, 0);
  });

  it('keeps quoted delimiters and newlines inside one record, with doubled quotes as escapes', async () => {
    const result = await count('id,text\n1,"a, b"\n2,"line one\nline two"\n3,"say ""hi"",\nok"\n');
    assert.equal(result.records, 4);
    assert.equal(result.longerRecords, 0);
  });

  it('treats a quote inside an unquoted field as a character, as pandas does', async () => {
    const result = await count('name,height\nann,5\'11"\nbob,6\'0"\ncid,5\n');
    assert.equal(result.records, 4);
    assert.equal(result.unterminatedQuote, false);
  });

  it('counts CRLF files, skips blank lines and counts a last line without a newline', async () => {
    assert.equal((await count('a,b\r\n1,2\r\n\r\n3,4\r\n5,6')).records, 4);
  });

  it('reports rows with more fields than the header and where the first one is', async () => {
    const result = await countCsvRows(path.join(DATA_FIXTURES, 'bad/ragged.csv'));
    assert.equal(result.longerRecords, 1);
    assert.equal(result.firstLongerLine, 4);
  });

  it('gives the physical line of a longer row after a quoted field that spans lines', async () => {
    const result = await count('a,b\n"x\ny",1\n"p ""q"", r",2\n1,2,3\n');
    assert.equal(result.records, 4);
    assert.equal(result.longerRecords, 1);
    assert.equal(result.firstLongerLine, 5);
  });

  it('stops at the first NUL byte and calls the file binary', async () => {
    const result = await countCsvRows(path.join(DATA_FIXTURES, 'bad/binary.csv'));
    assert.equal(result.binary, true);
  });

  it('counts whitespace-separated files with # comments as numpy.loadtxt reads them', async () => {
    const result = await count('# x y\n1 2\n  3   4  \n\n# trailing comment\n5\t6\n', { whitespace: true, quote: null, comment: '#' });
    assert.equal(result.records, 3);
    assert.equal(result.commentRecords, 2);
    assert.equal(result.firstFields, 2);
    assert.equal(result.longerRecords, 0);
  });

  it('stops at maxBytes and says the count is a lower bound', async () => {
    const result = await count('a\n'.repeat(1000), { maxBytes: 100 });
    assert.equal(result.truncated, true);
    assert.equal(result.records, 50);
  });

  it('reads across its 1 MiB buffer without losing a record split between reads', async () => {
    const row = 'x'.repeat(1000) + ',"quoted\nvalue"\n';
    const result = await count(row.repeat(3000));
    assert.equal(result.records, 3000);
  });
});
