/**
 * The data figures of `npm run bench` (`-- --data` runs only these):
 *   8. CSV row count of a generated 1 GiB file: MB/s and peak RSS growth, `wc -l` on the same file as
 *      a peer, and csv-parse on its first 64 MiB (why the counter is a byte scanner, see csv-rows.ts).
 * The file is written once into .bench/data (outside git) from a fixed pattern with known row count;
 * a count that disagrees stops the run, since a fast wrong answer is no figure.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse';
import { countCsvRows } from '../../../src/engine/data/csv-rows';
import { figure, info, note, section } from '../report';
import { mb } from '../stats';

export interface DataBenchOptions {
  repo: string;
  benchDir: string;
  progress: (line: string) => void;
}

const TARGET_BYTES = 2 ** 30;
const PARSE_SLICE = 64 * 2 ** 20;

export async function runDataBenchmarks(options: DataBenchOptions): Promise<void> {
  const dir = path.join(options.benchDir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'rows-1gib.csv');
  const { rows, generated } = generateCsv(file, options.progress);
  const size = fs.statSync(file).size;
  section(`8. Row count of a ${mb(size).toFixed(0)} MB CSV (${rows.toLocaleString('en-US')} data rows + header, quoted fields with commas)`);
  note(`${path.relative(options.repo, file)}${generated ? ' (generated this run)' : ''}`);

  // Warm the page cache once so both tools read from memory, then time each.
  execFileSync('wc', ['-l', file]);
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = process.hrtime.bigint();
  const counted = await countCsvRows(file);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (counted.records !== rows + 1) throw new Error(`row count disagrees: counted ${counted.records}, wrote ${rows + 1}`);

  const wcStart = process.hrtime.bigint();
  const wc = execFileSync('wc', ['-l', file], { encoding: 'utf8' });
  const wcSeconds = Number(process.hrtime.bigint() - wcStart) / 1e9;
  const wcLines = Number(wc.trim().split(/\s+/)[0]);

  const throughput = mb(size) / seconds;
  info('records counted (header included)', `${counted.records.toLocaleString('en-US')} in ${seconds.toFixed(2)} s`);
  figure('CSV row count throughput', `${throughput.toFixed(0)} MB/s`, '>= 100 MB/s', throughput >= 100);
  figure('peak RSS growth while counting', `${mb(peak - rssBefore).toFixed(1)} MB`, '<= 64 MB', peak - rssBefore <= 64 * 2 ** 20);
  info('peer: wc -l (newlines, not quote-aware)', `${wcLines.toLocaleString('en-US')} lines in ${wcSeconds.toFixed(2)} s, ${(mb(size) / wcSeconds).toFixed(0)} MB/s`);
  info('ratio (our time / wc -l time)', `${(seconds / wcSeconds).toFixed(1)}x`);
  note('wc -l counts newlines with memchr and knows nothing of quotes; it reports one line per physical line,');
  note('so it would count a quoted field that spans lines twice. Our counter tracks quotes and field counts.');

  const parseStart = process.hrtime.bigint();
  const parsed = await csvParseRecords(file, PARSE_SLICE);
  const parseSeconds = Number(process.hrtime.bigint() - parseStart) / 1e9;
  info('csv-parse on the first 64 MB (records)', `${parsed.toLocaleString('en-US')} in ${parseSeconds.toFixed(2)} s, ${(mb(PARSE_SLICE) / parseSeconds).toFixed(0)} MB/s`);
}

/** Writes the file once: a fixed row pattern, so the expected count is known without reading it back. */
function generateCsv(file: string, progress: (line: string) => void): { rows: number; generated: boolean } {
  const marker = `${file}.rows`;
  if (fs.existsSync(file) && fs.existsSync(marker)) return { rows: Number(fs.readFileSync(marker, 'utf8')), generated: false };
  progress(`writing ${file} (1 GiB, once)`);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let rows = 0;
  try {
    const header = 'id,score,balance,comment,label\n';
    fs.writeSync(fd, header);
    written += header.length;
    while (written < TARGET_BYTES) {
      const lines: string[] = [];
      for (let i = 0; i < 20_000; i++, rows++) {
        lines.push(`${rows},${(rows * 7919) % 1000}.${rows % 97},${(rows * 104729) % 250000}.5,"note ${rows % 13}, with a comma",${rows % 3}\n`);
      }
      const chunk = lines.join('');
      fs.writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.writeFileSync(marker, String(rows));
  return { rows, generated: true };
}

function csvParseRecords(file: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let records = 0;
    const parser = parse({ relax_column_count: true });
    parser.on('readable', () => {
      while (parser.read() !== null) records++;
    });
    parser.on('end', () => resolve(records));
    parser.on('error', (error) => {
      // The slice ends mid-row; the records before it are the figure.
      if (/Quote Not Closed|Invalid Closing Quote/.test(error.message)) resolve(records);
      else reject(error);
    });
    fs.createReadStream(file, { start: 0, end: bytes - 1 }).pipe(parser);
  });
}
