import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRunLog } from '../../../src/engine/logs/read-run-log';
import type { RunHistory } from '../../../src/engine/logs/run-history';
import { FIXTURES } from '../../support/engine';

const LOGS = path.join(FIXTURES, 'logs');

async function read(file: string, root?: string): Promise<RunHistory> {
  const result = await readRunLog(file, { root });
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.run;
}

function series(run: RunHistory, name: string) {
  const found = run.series.find((s) => s.name === name);
  assert.ok(found, `no series ${name} in ${run.series.map((s) => s.name).join(', ')}`);
  return found;
}

describe('Keras CSVLogger logs', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-keras-csv-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the overfitting run: 120 epochs of loss, accuracy and their validation twins', async () => {
    const run = await read(path.join(LOGS, 'overfit/training.log'), LOGS);
    assert.equal(run.format, 'keras-csv');
    assert.equal(run.run, 'overfit/training.log');
    assert.deepEqual(run.series.map((s) => `${s.name}:${s.split}:${s.metric}:${s.granularity}:${s.points.length}`).sort(), [
      'accuracy:train:accuracy:epoch:120',
      'learning_rate:other:learning_rate:epoch:120',
      'loss:train:loss:epoch:120',
      'val_accuracy:validation:accuracy:epoch:120',
      'val_loss:validation:loss:epoch:120',
    ]);
    const valLoss = series(run, 'val_loss');
    assert.deepEqual(valLoss.points[0], { step: 0, epoch: 0, value: 0.6132862567901611 });
    assert.deepEqual(valLoss.points[119], { step: 119, epoch: 119, value: 1.313269853591919 });
    // The generator printed: val_loss lowest (0.5211) at epoch 3, training loss down to 0.0001.
    const best = valLoss.points.reduce((a, b) => (b.value < a.value ? b : a));
    assert.equal(best.epoch, 3);
    assert.ok(series(run, 'loss').points[119].value < 1e-4);
    assert.deepEqual(run.warnings, []);
  });

  it('recognises the log by content whatever its name, and keeps NA as missing', async () => {
    const file = path.join(dir, 'whatever.txt');
    fs.writeFileSync(file, 'epoch,loss,val_loss\r\n0,0.9,NA\r\n1,0.7,0.8\r\n2,nan,inf\r\n');
    const run = await read(file);
    assert.equal(run.format, 'keras-csv');
    assert.deepEqual(series(run, 'val_loss').points.map((p) => p.value), [0.8, Infinity]);
    assert.deepEqual(series(run, 'loss').points.map((p) => p.value), [0.9, 0.7, NaN]);
  });

  it('reads a custom separator and an unterminated last row of a finished file', async () => {
    const file = path.join(dir, 'semicolon.log');
    fs.writeFileSync(file, 'epoch;loss\n0;1.5\n1;1.25');
    assert.deepEqual(series(await read(file), 'loss').points.map((p) => p.value), [1.5, 1.25]);
  });

  it('warns about columns that change mid-file, rows of the wrong width and non-numeric cells', async () => {
    const file = path.join(dir, 'changed.csv');
    fs.writeFileSync(file, ['epoch,loss', '0,1.0', '1,oops', 'epoch,loss,val_loss', '2,0.5,0.6', '3,0.4', '4,0.3,0.7', ''].join('\n'));
    const run = await read(file);
    assert.deepEqual(run.warnings, [
      'columns changed at line 4: 2 → 3 (epoch, loss, val_loss)',
      '1 row(s) with a different number of cells than the header left out (first at line 6)',
      'loss: 1 non-numeric value(s) left out (first "oops" at line 3)',
    ]);
    assert.deepEqual(series(run, 'loss').points.map((p) => [p.epoch, p.value]), [[0, 1.0], [2, 0.5], [4, 0.3]]);
    assert.deepEqual(series(run, 'val_loss').points.map((p) => [p.epoch, p.value]), [[2, 0.6], [4, 0.7]]);
  });

  it('says what is wrong with empty, header-only and foreign files', async () => {
    const empty = path.join(dir, 'empty.log');
    fs.writeFileSync(empty, '');
    assert.deepEqual(await readRunLog(empty), { ok: false, error: `${empty}: empty file` });
    const headerOnly = path.join(dir, 'header.log');
    fs.writeFileSync(headerOnly, 'epoch,loss,val_loss\n');
    assert.deepEqual((await read(headerOnly)).warnings, ['no rows yet: the header only']);
    const data = path.join(FIXTURES, '../../test/fixtures/logs/generate_logs.py');
    const foreign = await readRunLog(data);
    assert.ok(!foreign.ok && foreign.error.startsWith(`${data}: not a training log`), JSON.stringify(foreign));
    const missing = path.join(dir, 'missing.log');
    assert.deepEqual(await readRunLog(missing), { ok: false, error: `${missing}: cannot read: ENOENT` });
  });
});
