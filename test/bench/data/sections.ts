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
import { timeCommand } from '../child-time';
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

  // Warm the page cache once so both tools read from memory, then time each: wall time and CPU time
  // (user + system), since on a shared machine the wall time mostly measures the other processes.
  execFileSync('wc', ['-l', file]);
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const counted = await countCsvRows(file);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (counted.records !== rows + 1) throw new Error(`row count disagrees: counted ${counted.records}, wrote ${rows + 1}`);

  const wcOut = path.join(dir, 'wc.out');
  const wc = await timeCommand('wc', ['-l', file], { cwd: dir, stdoutFile: wcOut, stderrFile: path.join(dir, 'wc.err') });
  const wcLines = Number(fs.readFileSync(wcOut, 'utf8').trim().split(/\s+/)[0]);

  const perCore = mb(size) / cpuSeconds;
  info('records counted (header included)', `${counted.records.toLocaleString('en-US')}`);
  info('wall / CPU (user + sys)', `${seconds.toFixed(2)} s / ${cpuSeconds.toFixed(2)} s; wall throughput ${(mb(size) / seconds).toFixed(0)} MB/s`);
  figure('CSV row count, MB per CPU second', `${perCore.toFixed(0)} MB/s`, '>= 100 MB/s', perCore >= 100);
  figure('peak RSS growth while counting', `${mb(peak - rssBefore).toFixed(1)} MB`, '<= 64 MB', peak - rssBefore <= 64 * 2 ** 20);
  info('peer: wc -l (newlines, not quote-aware)', `${wcLines.toLocaleString('en-US')} lines; wall / CPU ${wc.wallSeconds.toFixed(2)} s / ${wc.cpuSeconds.toFixed(2)} s, ${(mb(size) / Math.max(wc.cpuSeconds, 0.01)).toFixed(0)} MB per CPU second`);
  info('ratio (our CPU time / wc -l CPU time)', `${(cpuSeconds / Math.max(wc.cpuSeconds, 0.01)).toFixed(1)}x`);
  note('wc -l counts newlines with memchr and knows nothing of quotes: a quoted field that spans lines counts');
  note('twice there. Our counter tracks quotes and fields per record (for ragged-row notes) as well.');

  const parseCpu = process.cpuUsage();
  const parsed = await csvParseRecords(file, PARSE_SLICE);
  const used = process.cpuUsage(parseCpu);
  const parseSeconds = (used.user + used.system) / 1e6;
  info('csv-parse on the first 64 MB (records)', `${parsed.toLocaleString('en-US')} in ${parseSeconds.toFixed(2)} CPU s, ${(mb(PARSE_SLICE) / parseSeconds).toFixed(0)} MB per CPU second`);
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
