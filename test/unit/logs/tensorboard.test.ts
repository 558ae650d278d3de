import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRunLog } from '../../../src/engine/logs/read-run-log';
import type { RunHistory } from '../../../src/engine/logs/run-history';
import { maskedCrc32c } from '../../../src/engine/logs/tensorboard/masked-crc';
import { FIXTURES } from '../../support/engine';
import { fileVersionEvent, frameRecord, scalarEvent } from '../../support/tfevents';

const CATBOOST = path.join(FIXTURES, 'logs/real/catboost_info');

async function read(file: string, root?: string): Promise<RunHistory> {
  const result = await readRunLog(file, { root });
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.run;
}

const mask = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** The records of a TFRecord file, split by their declared lengths. */
function records(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32LE(at);
    out.push(bytes.subarray(at + 12, at + 12 + length));
    at += 16 + length;
  }
  return out;
}

describe('TensorBoard event files', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-tfevents-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('computes CRC-32C as RFC 3720 §B.4 lists it', () => {
    const ascending = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    assert.equal(maskedCrc32c(Buffer.alloc(32, 0)), mask(0x8a9136aa));
    assert.equal(maskedCrc32c(Buffer.alloc(32, 0xff)), mask(0x62a8ab43));
    assert.equal(maskedCrc32c(ascending), mask(0x46dd794e));
    assert.equal(maskedCrc32c(Buffer.from(ascending).reverse()), mask(0x113fdb5c));
  });

  it("frames records byte for byte as CatBoost's writer does", () => {
    const file = fs.readFileSync(path.join(CATBOOST, 'learn/events.out.tfevents'));
    const rebuilt = Buffer.concat(records(file).map((data) => frameRecord(data)));
    assert.equal(rebuilt.length, file.length);
    assert.ok(rebuilt.equals(file));
  });

  it("reads CatBoost's run: the learn/ subfolder's Logloss is a training series of 100 iterations", async () => {
    const run = await read(CATBOOST, path.join(FIXTURES, 'logs'));
    assert.equal(run.format, 'tensorboard');
    assert.equal(run.run, 'real/catboost_info');
    assert.equal(run.series.length, 1);
    const [logloss] = run.series;
    assert.deepEqual({ ...logloss, points: logloss.points.length }, { name: 'learn/Logloss', metric: 'Logloss', split: 'train', granularity: 'step', points: 100 });
    assert.deepEqual(logloss.points[0], { step: 0, value: 0.6347806453704834, wallTime: 1724610117 });
    assert.deepEqual(logloss.points[99], { step: 99, value: 0.0674159973859787, wallTime: 1724610118 });
    assert.deepEqual(run.warnings, []);
  });

  it("reads Keras TensorBoard's layout: TF2 scalar tensors in train/ and validation/, metadata on the first value only", async () => {
    const csv = fs.readFileSync(path.join(FIXTURES, 'logs/overfit/training.log'), 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number));
    const run = path.join(dir, 'keras-logs');
    for (const [folder, column, kind] of [['train', 3, 'float_val'], ['validation', 5, 'tensor_content_float']] as const) {
      fs.mkdirSync(path.join(run, folder), { recursive: true });
      const events = [fileVersionEvent()];
      csv.forEach((row, epoch) => {
        events.push(scalarEvent({ step: epoch, tag: 'epoch_loss', value: row[column], kind, plugin: epoch === 0 ? 'scalars' : undefined }));
        // A histogram-plugin tensor must not be read as a scalar.
        events.push(scalarEvent({ step: epoch, tag: 'dense/kernel_0', value: 1, kind: 'float_val', plugin: epoch === 0 ? 'histograms' : undefined }));
      });
      fs.writeFileSync(path.join(run, folder, 'events.out.tfevents.1700000000.host.1.v2'), Buffer.concat(events));
    }
    const history = await read(run, dir);
    assert.equal(history.run, 'keras-logs');
    assert.deepEqual(history.series.map((s) => `${s.name}:${s.split}:${s.metric}:${s.granularity}:${s.points.length}`), [
      'train/epoch_loss:train:loss:epoch:120',
      'validation/epoch_loss:validation:loss:epoch:120',
    ]);
    // Float32 in the event file: the CSV's float64 value rounded to single precision.
    assert.equal(history.series[1].points[119].value, Math.fround(1.313269853591919));
    assert.equal(history.series[0].points[0].value, Math.fround(csv[0][3]));
  });

  it('merges the event files of a restarted run by step, the later file winning', async () => {
    const run = path.join(dir, 'restarted');
    fs.mkdirSync(run);
    const first = Array.from({ length: 10 }, (_, step) => scalarEvent({ step, tag: 'loss', value: 1 / (step + 1), kind: 'double_val', plugin: step === 0 ? 'scalars' : undefined }));
    const second = Array.from({ length: 10 }, (_, i) => scalarEvent({ step: 5 + i, tag: 'loss', value: 100 + i }));
    fs.writeFileSync(path.join(run, 'events.out.tfevents.1700000000.host'), Buffer.concat(first));
    fs.writeFileSync(path.join(run, 'events.out.tfevents.1700000500.host'), Buffer.concat(second));
    const [loss] = (await read(run)).series;
    assert.deepEqual(loss.points.map((p) => [p.step, p.value]), [
      [0, 1], [1, 0.5], [2, 1 / 3], [3, 0.25], [4, 0.2],
      ...Array.from({ length: 10 }, (_, i) => [5 + i, 100 + i]),
    ]);
  });

  it('reads a log still being written up to its last whole record, without a warning', async () => {
    const file = path.join(dir, 'events.out.tfevents.1.growing');
    const whole = Buffer.concat([fileVersionEvent(), ...Array.from({ length: 5 }, (_, step) => scalarEvent({ step, tag: 'loss', value: step }))]);
    fs.writeFileSync(file, whole.subarray(0, whole.length - 7));
    const run = await read(file);
    assert.deepEqual(run.series[0].points.map((p) => p.value), [0, 1, 2, 3]);
    assert.deepEqual(run.warnings, []);
  });

  it('reports corrupt records with their byte offset: a bad data checksum skips the record, a bad length checksum stops', async () => {
    const parts = [fileVersionEvent(), ...Array.from({ length: 4 }, (_, step) => scalarEvent({ step, tag: 'loss', value: step }))];
    const offsetOf = (i: number) => parts.slice(0, i).reduce((n, p) => n + p.length, 0);
    const dataBad = Buffer.concat(parts);
    dataBad[offsetOf(2) + 20] ^= 0x01; // inside record 2's data
    let file = path.join(dir, 'events.out.tfevents.2.data');
    fs.writeFileSync(file, dataBad);
    let run = await read(file);
    assert.deepEqual(run.series[0].points.map((p) => p.value), [0, 2, 3]);
    assert.deepEqual(run.warnings, [`corrupt record at byte ${offsetOf(2)}: the data's checksum does not match; record left out`]);

    const lengthBad = Buffer.concat(parts);
    lengthBad[offsetOf(3)] ^= 0x40; // record 3's length
    file = path.join(dir, 'events.out.tfevents.3.length');
    fs.writeFileSync(file, lengthBad);
    run = await read(file);
    assert.deepEqual(run.series[0].points.map((p) => p.value), [0, 1]);
    assert.deepEqual(run.warnings, [`corrupt record at byte ${offsetOf(3)}: the length's checksum does not match; the rest of the file is not read`]);

    const firstBad = Buffer.concat(parts);
    firstBad[9] ^= 0xff; // the first record's length checksum
    file = path.join(dir, 'events.out.tfevents.4.first');
    fs.writeFileSync(file, firstBad);
    assert.deepEqual(await readRunLog(file), { ok: false, error: `${file}: corrupt record at byte 0: the length's checksum does not match; the rest of the file is not read` });
  });

  it('leaves out framed records that are not Event protos, and says so', async () => {
    const file = path.join(dir, 'events.out.tfevents.5.garbage');
    fs.writeFileSync(file, Buffer.concat([scalarEvent({ step: 1, tag: 'loss', value: 0.5 }), frameRecord(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]))]));
    const run = await read(file);
    assert.deepEqual(run.series[0].points.map((p) => p.value), [0.5]);
    assert.equal(run.warnings.length, 1);
    assert.match(run.warnings[0], /^1 record\(s\) that are not Event protos left out \(first at byte \d+: /);
  });

  it('says an empty event file and a folder without event files are not logs', async () => {
    const empty = path.join(dir, 'events.out.tfevents.6.empty');
    fs.writeFileSync(empty, '');
    assert.deepEqual(await readRunLog(empty), { ok: false, error: `${empty}: empty file` });
    const folder = path.join(dir, 'nothing-here');
    fs.mkdirSync(folder);
    assert.deepEqual(await readRunLog(folder), {
      ok: false,
      error: `${folder}: no TensorBoard event files (events.out.tfevents.*) in this folder or its train/validation subfolders`,
    });
  });
});
