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

describe('Lightning CSVLogger metrics.csv', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-lightning-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('splits the sparse rows into step and epoch series, and reads hparams.yaml', async () => {
    const run = await read(path.join(LOGS, 'overfit/lightning_logs/version_0/metrics.csv'), LOGS);
    assert.equal(run.format, 'lightning-csv');
    assert.equal(run.run, 'overfit/lightning_logs/version_0');
    assert.deepEqual(run.series.map((s) => `${s.name}:${s.split}:${s.metric}:${s.granularity}:${s.points.length}`).sort(), [
      'train_acc_epoch:train:accuracy:epoch:120',
      'train_acc_step:train:accuracy:step:240',
      'train_loss_epoch:train:loss:epoch:120',
      'train_loss_step:train:loss:step:240',
      'val_acc:validation:accuracy:epoch:120',
      'val_loss:validation:loss:epoch:120',
    ]);
    const valLoss = run.series.find((s) => s.name === 'val_loss')!;
    assert.deepEqual(valLoss.points.at(-1), { step: 479, epoch: 119, value: 1.313269853591919 });
    // The same measurement the Keras-layout log of this training holds.
    assert.equal(valLoss.points[3].value, Math.min(...valLoss.points.map((p) => p.value)));
    assert.deepEqual(run.hyperparameters, { batch_size: 16, hidden: 512, lr: 0.001, max_epochs: 120, n_train: 64, optimizer: 'Adam', weight_decay: 0 });
    assert.deepEqual(run.warnings, []);
  });

  it('leaves nested and Python-tagged hyperparameters out, and says so', async () => {
    const version = path.join(dir, 'version_1');
    fs.mkdirSync(version);
    const metrics = path.join(version, 'metrics.csv');
    fs.writeFileSync(metrics, 'epoch,step,val_loss\n0,9,0.5\n');
    fs.writeFileSync(path.join(version, 'hparams.yaml'), 'lr: 0.01\nlayers:\n- 64\n- 32\noptim:\n  name: sgd\n');
    let run = await read(metrics);
    assert.deepEqual(run.hyperparameters, { lr: 0.01 });
    assert.deepEqual(run.warnings, ['hparams.yaml: 2 nested or empty value(s) left out']);
    fs.writeFileSync(path.join(version, 'hparams.yaml'), 'args: !!python/object:argparse.Namespace\n  lr: 0.1\n');
    run = await read(metrics);
    assert.equal(run.hyperparameters, undefined);
    assert.match(run.warnings[0], /^hparams\.yaml: not read \(unknown tag !<tag:yaml\.org,2002:python\/object:argparse\.Namespace>/);
    fs.writeFileSync(path.join(version, 'hparams.yaml'), `a: "${'x'.repeat(300 * 1024)}"\n`);
    run = await read(metrics);
    assert.deepEqual(run.warnings, ['hparams.yaml: 307,206 bytes, more than 256 KiB: not read']);
  });
});
