import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO } from '../support/engine';

const CLI = path.join(REPO, 'dist/cli.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('dl-doctor check lists training logs', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-cli-logs-'));
    fs.cpSync(path.join(REPO, 'test/fixtures/logs/overfit'), path.join(dir, 'overfit'), { recursive: true });
    fs.cpSync(path.join(REPO, 'test/fixtures/logs/real/catboost_info'), path.join(dir, 'catboost_info'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'broken.log'), 'epoch,loss\n0,1\n');
    fs.writeFileSync(path.join(dir, 'events.out.tfevents.1.corrupt'), Buffer.alloc(40, 7));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('in text: each run with its format, series and point counts', () => {
    const { code, stdout } = run(['check', '.', '--fail-on', 'none'], dir); // the overfitting run's findings would fail the check
    assert.equal(code, 0);
    assert.ok(stdout.includes('Training logs'), stdout);
    const section = stdout.slice(stdout.indexOf('Training logs'), stdout.indexOf('\n\n', stdout.indexOf('Training logs')));
    assert.equal(
      section,
      [
        'Training logs (6 runs)',
        '  broken.log: Keras CSVLogger, loss ×1',
        '  catboost_info: TensorBoard, learn/Logloss ×100',
        '  overfit: Hugging Face trainer_state.json, grad_norm ×120, learning_rate ×120, loss ×120, eval_accuracy ×120, eval_loss ×120, eval_runtime ×120, eval_samples_per_second ×120, eval_steps_per_second ×120',
        '  overfit/history.json: Keras History JSON, accuracy ×120, loss ×120, val_accuracy ×120, val_loss ×120',
        '  overfit/lightning_logs/version_0: Lightning metrics.csv, train_acc_step ×240, train_loss_step ×240, val_acc ×120, val_loss ×120, train_acc_epoch ×120, train_loss_epoch ×120',
        '  overfit/training.log: Keras CSVLogger, accuracy ×120, learning_rate ×120, loss ×120, val_accuracy ×120, val_loss ×120',
      ].join('\n'),
    );
    // The folder holding only a corrupt event file is a run that could not be read: said, not hidden.
    assert.match(stdout, /^skipped \.: events\.out\.tfevents\.1\.corrupt: corrupt record at byte 0: the length's checksum does not match; the rest of the file is not read$/m);
  });

  it('in JSON: run, format, series with split, metric, granularity and points, hyperparameters', () => {
    const { code, stdout } = run(['check', 'overfit', '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as { runs: { file: string; run: string; format: string; series: { name: string; split: string; metric: string; granularity: string; points: number }[]; hyperparameters?: Record<string, unknown> }[] };
    const lightning = report.runs.find((r) => r.format === 'lightning-csv');
    assert.deepEqual(lightning && { ...lightning, series: lightning.series.filter((s) => s.name.startsWith('val')) }, {
      file: 'overfit/lightning_logs/version_0/metrics.csv',
      run: 'lightning_logs/version_0',
      format: 'lightning-csv',
      series: [
        { name: 'val_acc', split: 'validation', metric: 'accuracy', granularity: 'epoch', points: 120 },
        { name: 'val_loss', split: 'validation', metric: 'loss', granularity: 'epoch', points: 120 },
      ],
      hyperparameters: { batch_size: 16, hidden: 512, lr: 0.001, max_epochs: 120, n_train: 64, optimizer: 'Adam', weight_decay: 0 },
      warnings: [],
    });
    assert.deepEqual(report.runs.map((r) => r.format).sort(), ['hf-trainer-state', 'keras-csv', 'keras-history-json', 'lightning-csv']);
  });
});
