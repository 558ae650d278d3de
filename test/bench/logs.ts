/**
 * The training-log figures of `npm run bench` (`-- --logs` runs only these):
 *   8. TensorBoard: full read of a generated 100 MB event file (target < 1 s)
 *   9. CSV: throughput on a generated 100 MB Keras CSVLogger log (target >= 100 MiB/s)
 * Files are generated once into .bench/logs (git-ignored). Reads run in this process through the
 * engine's readRunLog; the best of three (by wall time) is the figure, and that run's CPU time is a
 * second figure (the machine is shared: CPU time is the steadier one).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunLog } from '../../src/engine/logs/read-run-log';
import { LARGE_TAGS, writeLargeEventFile } from '../support/tfevents';
import { figure, info, note, section } from './report';

const SIZE = 100 * 2 ** 20;
const RUNS = 3;

export interface LogBenchOptions {
  benchDir: string;
  progress: (line: string) => void;
}

/** A Keras CSVLogger log of at least `bytes` bytes: epoch + sorted metric columns, "\r\n" line ends. */
function writeLargeKerasCsv(file: string, bytes: number): number {
  const fd = fs.openSync(file, 'w');
  try {
    let written = fs.writeSync(fd, 'epoch,accuracy,learning_rate,loss,val_accuracy,val_loss\r\n');
    let epoch = 0;
    while (written < bytes) {
      const rows: string[] = [];
      for (let i = 0; i < 10_000; i++, epoch++) {
        const t = epoch / 1e5;
        rows.push(`${epoch},${1 - Math.exp(-t) / 2},0.001,${Math.exp(-t) + 1e-3 * Math.sin(epoch)},${0.9 - Math.exp(-t) / 3},${0.5 + Math.exp(-t) / 2 + t / 50}\r\n`);
      }
      written += fs.writeSync(fd, rows.join(''));
    }
    return epoch;
  } finally {
    fs.closeSync(fd);
  }
}

async function timeRead(file: string): Promise<{ wall: number; cpu: number; points: number; series: number }> {
  let best = { wall: Infinity, cpu: 0, points: 0, series: 0 };
  for (let i = 0; i < RUNS; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const result = await readRunLog(file);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const used = process.cpuUsage(cpu0);
    if (!result.ok) throw new Error(result.error);
    if (wall < best.wall) best = { wall, cpu: (used.user + used.system) / 1e6, points: result.run.series.reduce((n, s) => n + s.points.length, 0), series: result.run.series.length };
  }
  return best;
}

export async function runLogBenchmarks(options: LogBenchOptions): Promise<void> {
  const dir = path.join(options.benchDir, 'logs');
  fs.mkdirSync(dir, { recursive: true });

  section('10. TensorBoard: full read of a 100 MB event file (simple_value scalars, record checksums verified)');
  const events = path.join(dir, 'events.out.tfevents.1700000000.bench');
  if (!fs.existsSync(events) || fs.statSync(events).size < SIZE) {
    options.progress(`generating ${path.basename(events)}`);
    writeLargeEventFile(events, SIZE);
  }
  const eventsMB = fs.statSync(events).size / 2 ** 20;
  const tb = await timeRead(events);
  info('file', `${eventsMB.toFixed(1)} MB, ${LARGE_TAGS.length} tags per event`);
  info('wall / CPU (best run)', `${tb.wall.toFixed(2)} s / ${tb.cpu.toFixed(2)} s`);
  info('throughput, wall / CPU', `${(eventsMB / tb.wall).toFixed(0)} / ${(eventsMB / tb.cpu).toFixed(0)} MB/s`);
  info('points kept', `${tb.points.toLocaleString('en-US')} in ${tb.series} series (thinned past 100,000 per series)`);
  figure('full read, wall (best of 3)', `${tb.wall.toFixed(2)} s`, '< 1 s', tb.wall < 1);
  figure('full read, CPU time (same run)', `${tb.cpu.toFixed(2)} s`, '< 1 s', tb.cpu < 1);

  section('11. CSV: Keras CSVLogger log throughput');
  const csv = path.join(dir, 'training.log');
  if (!fs.existsSync(csv) || fs.statSync(csv).size < SIZE) {
    options.progress(`generating ${path.basename(csv)}`);
    writeLargeKerasCsv(csv, SIZE);
  }
  const csvMB = fs.statSync(csv).size / 2 ** 20;
  const keras = await timeRead(csv);
  info('file', `${csvMB.toFixed(1)} MB`);
  info('wall / CPU (best run)', `${keras.wall.toFixed(2)} s / ${keras.cpu.toFixed(2)} s`);
  figure('throughput (best of 3)', `${(csvMB / keras.wall).toFixed(0)} MiB/s`, '>= 100 MiB/s', csvMB / keras.wall >= 100);
  figure('throughput by CPU time (same run)', `${(csvMB / keras.cpu).toFixed(0)} MiB/s`, '>= 100 MiB/s', csvMB / keras.cpu >= 100);
  note('Wall times on a shared machine depend on its load (see the header); CPU time is the steadier figure.');
}
