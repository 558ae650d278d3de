import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LogCursor, type CursorResult } from '../../../src/engine/logs/log-cursor';
import { scalarEvent } from '../../support/tfevents';

function values(result: CursorResult, name: string): number[] {
  assert.ok(result.ok, result.ok ? '' : result.error);
  const series = result.run.series.find((s) => s.name === name);
  assert.ok(series, `no ${name}`);
  return series.points.map((p) => p.value);
}

describe('reading a growing log from where it stopped', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-cursor-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('Keras CSV: reads only the appended rows, keeps the header, waits for an unterminated line', async () => {
    const file = path.join(dir, 'training.log');
    const start = 'epoch,loss,val_loss\r\n0,0.9,1.0\r\n1,0.8,0.95\r\n';
    fs.writeFileSync(file, start);
    const cursor = new LogCursor(file);
    let result = await cursor.read();
    assert.equal(result.bytesRead, start.length);
    assert.equal(result.reset, true);
    assert.deepEqual(values(result, 'val_loss'), [1.0, 0.95]);

    const more = '2,0.7,0.97\r\n3,0.6,1.1';
    fs.appendFileSync(file, more);
    result = await cursor.read();
    assert.equal(result.bytesRead, more.length);
    assert.equal(result.reset, false);
    assert.deepEqual(values(result, 'val_loss'), [1.0, 0.95, 0.97]); // epoch 3's line is still being written

    fs.appendFileSync(file, '5\r\n');
    result = await cursor.read();
    assert.equal(result.bytesRead, 3);
    assert.deepEqual(values(result, 'val_loss'), [1.0, 0.95, 0.97, 1.15]);
    assert.deepEqual(values(result, 'loss'), [0.9, 0.8, 0.7, 0.6]);

    result = await cursor.read();
    assert.equal(result.bytesRead, 0);
    assert.deepEqual(values(result, 'loss'), [0.9, 0.8, 0.7, 0.6]);
  });

  it('Lightning metrics.csv rewritten with a new header, then truncated: read again from the start', async () => {
    const file = path.join(dir, 'metrics.csv');
    fs.writeFileSync(file, 'epoch,step,train_loss\n0,9,0.5\n');
    const cursor = new LogCursor(file);
    assert.deepEqual(values(await cursor.read(), 'train_loss'), [0.5]);
    const rewritten = 'epoch,step,train_loss,val_loss\n0,9,0.5,\n0,9,,0.6\n';
    fs.writeFileSync(file, rewritten);
    let result = await cursor.read();
    assert.equal(result.reset, true);
    assert.equal(result.bytesRead, rewritten.length);
    assert.deepEqual(values(result, 'train_loss'), [0.5]);
    assert.deepEqual(values(result, 'val_loss'), [0.6]);
    fs.truncateSync(file, 'epoch,step,train_loss,val_loss\n0,9,0.5,\n'.length);
    result = await cursor.read();
    assert.equal(result.reset, true);
    assert.ok(result.ok);
    assert.deepEqual(result.run.series.map((s) => s.name), ['train_loss']);
  });

  it('TensorBoard run: resumes after the last whole record and picks up new event files', async () => {
    const run = path.join(dir, 'tb');
    fs.mkdirSync(path.join(run, 'train'), { recursive: true });
    const file = path.join(run, 'train', 'events.out.tfevents.1.host');
    const records = Array.from({ length: 6 }, (_, step) => scalarEvent({ step, tag: 'epoch_loss', value: 1 - step / 10 }));
    fs.writeFileSync(file, Buffer.concat(records.slice(0, 3)));
    const cursor = new LogCursor(run);
    let result = await cursor.read();
    assert.deepEqual(values(result, 'train/epoch_loss'), [1, 0.9, 0.8].map(Math.fround));

    const rest = Buffer.concat(records.slice(3));
    fs.appendFileSync(file, rest.subarray(0, records[3].length + 5)); // record 3 whole, record 4 begun
    result = await cursor.read();
    assert.equal(result.bytesRead, records[3].length + 5);
    assert.equal(result.reset, false);
    assert.deepEqual(values(result, 'train/epoch_loss'), [1, 0.9, 0.8, 0.7].map(Math.fround));

    fs.appendFileSync(file, rest.subarray(records[3].length + 5));
    const validation = scalarEvent({ step: 0, tag: 'epoch_loss', value: 2 });
    fs.mkdirSync(path.join(run, 'validation'));
    fs.writeFileSync(path.join(run, 'validation', 'events.out.tfevents.2.host'), validation);
    result = await cursor.read();
    assert.equal(result.bytesRead, rest.length - records[3].length - 5 + validation.length);
    assert.deepEqual(values(result, 'train/epoch_loss'), [1, 0.9, 0.8, 0.7, 0.6, 0.5].map(Math.fround));
    assert.deepEqual(values(result, 'validation/epoch_loss'), [2]);
    assert.equal((await cursor.read()).bytesRead, 0);
  });

  it('trainer_state.json: re-read whole when the Trainer rewrites it', async () => {
    const file = path.join(dir, 'trainer_state.json');
    fs.writeFileSync(file, JSON.stringify({ global_step: 10, log_history: [{ loss: 0.9, step: 10, epoch: 0.5 }] }));
    const cursor = new LogCursor(file);
    assert.deepEqual(values(await cursor.read(), 'loss'), [0.9]);
    const text = JSON.stringify({ global_step: 20, log_history: [{ loss: 0.9, step: 10, epoch: 0.5 }, { loss: 0.7, step: 20, epoch: 1 }, { eval_loss: 0.8, step: 20, epoch: 1 }] });
    fs.writeFileSync(file, text);
    const result = await cursor.read();
    assert.equal(result.bytesRead, text.length);
    assert.equal(result.reset, true);
    assert.deepEqual(values(result, 'loss'), [0.9, 0.7]);
    assert.deepEqual(values(result, 'eval_loss'), [0.8]);
  });
});
