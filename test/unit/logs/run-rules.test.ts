import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RuleConfig } from '../../../src/engine/config';
import { findDivergence, runningMedian } from '../../../src/engine/logs/curve-analysis';
import { readRunLog } from '../../../src/engine/logs/read-run-log';
import type { MetricSeries, RunHistory } from '../../../src/engine/logs/run-history';
import { RUN_RULES } from '../../../src/engine/rules';
import { engine, FIXTURES } from '../../support/engine';

/**
 * The run rules on logs of real (tiny) trainings: test/fixtures/runs/generate_runs.py and the
 * log-readers' test/fixtures/logs/generate_logs.py trained PyTorch models and wrote what Keras'
 * CSVLogger writes. Expected numbers are the generators' own printout (argmin of val_loss, last row).
 */
const RUNS = path.join(FIXTURES, 'runs');
const LOGS = path.join(FIXTURES, 'logs');

async function read(file: string): Promise<RunHistory> {
  const result = await readRunLog(file, { root: RUNS });
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.run;
}

async function hits(file: string, config?: RuleConfig) {
  const run = await read(file);
  return RUN_RULES.flatMap((rule) => rule.checkRun(run, config).map((hit) => ({ rule: rule.code, ...hit })));
}

describe('val-divergence, generalization-gap, loss-nan, suspicious-validation on real runs', () => {
  it('overfitting run: validation loss best at epoch 3 (0.4538), 1.622 after 60 epochs, while training loss fell', async () => {
    const found = await hits(path.join(RUNS, 'overfitting/training_log.csv'));
    assert.deepEqual(found.map((h) => h.rule), ['val-divergence', 'generalization-gap']);
    const divergence = found[0];
    assert.match(divergence.message, /^val_loss was best at epoch 3 \(0\.4538\) and ended at 1\.622 \(smoothed \+242%\) while loss fell from 0\.4119 to 1\.08e-4: the model is overfitting; 56 evaluations \(95% of the run\) ran past it\./);
    assert.match(divergence.message, /EarlyStopping\(patience=3, restore_best_weights=True\)/);
    assert.equal(divergence.at?.point.epoch, 3);
    assert.equal(divergence.data?.divergenceStep, 6, 'the smoothed loss first exceeds best × 1.1 at epoch 6');
    assert.ok(divergence.evidence?.some((e) => e.includes('running median of 3 there = 0.4727')));
    assert.ok(divergence.evidence?.some((e) => e.includes('Keras prints epoch 3 as "Epoch 4/…"')));
    assert.match(found[1].message, /^accuracy 100\.0% vs val_accuracy 78\.0% at the end of the run \(mean of the last 3 evaluations\): a 22\.0-point generalisation gap/);
  });

  it("the log-readers' overfitting run (120 epochs): best at epoch 3 (0.5211)", async () => {
    const found = await hits(path.join(LOGS, 'overfit/training.log'));
    assert.deepEqual(found.map((h) => h.rule), ['val-divergence', 'generalization-gap']);
    assert.match(found[0].message, /^val_loss was best at epoch 3 \(0\.5211\) and ended at 1\.313/);
    assert.match(found[1].message, /a 27\.7-point generalisation gap/);
  });

  it("the log-readers' overfitting run as Lightning metrics.csv, trainer_state.json and Keras History JSON: the same verdict", async () => {
    const lightning = await hits(path.join(LOGS, 'overfit/lightning_logs/version_0/metrics.csv'));
    assert.deepEqual(lightning.map((h) => h.rule), ['val-divergence', 'generalization-gap']);
    assert.match(lightning[0].message, /^val_loss was best at epoch 3, step 15 \(0\.5211\) and ended at 1\.313 \(smoothed \+149%\) while train_loss_epoch fell/);
    assert.match(lightning[1].message, /^train_acc_epoch 100\.0% vs val_acc 72\.3%/);
    const hf = await hits(path.join(LOGS, 'overfit/trainer_state.json'));
    assert.deepEqual(hf.map((h) => h.rule), ['val-divergence', 'generalization-gap']);
    assert.match(hf[0].message, /^eval_loss was best at epoch 4, step 16 \(0\.5211\)/);
    // Hugging Face logs no training accuracy: the loss ratio speaks, capped in words (the trainer rounds the loss to 4 decimals).
    assert.match(hf[1].message, /^eval_loss 1\.311 is over 100× loss 1\.00e-4 at the end of the run/);
    const history = await hits(path.join(LOGS, 'overfit/history.json'));
    assert.deepEqual(history.map((h) => h.rule), ['val-divergence', 'generalization-gap']);
  });

  for (const [name, file] of [
    ["the log-readers' healthy run as Lightning metrics.csv", path.join(LOGS, 'healthy/lightning_logs/version_0/metrics.csv')],
    ["the log-readers' healthy run as trainer_state.json", path.join(LOGS, 'healthy/trainer_state.json')],
    ["the log-readers' healthy run as Keras History JSON", path.join(LOGS, 'healthy/history.json')],

    ['healthy run (25 epochs, weight decay, 4,000 samples)', path.join(RUNS, 'healthy/training_log.csv')],
    ["the log-readers' healthy run", path.join(LOGS, 'healthy/training.log')],
    ['noisy validation (40 samples): val_loss wanders +14% above its best, the median stays within 10%', path.join(RUNS, 'noisy-validation/training_log.csv')],
    ['a run stopped after 4 epochs, too short to judge', path.join(RUNS, 'too-short/training_log.csv')],
  ] as const) {
    it(`no finding: ${name}`, async () => {
      assert.deepEqual(await hits(file), []);
    });
  }

  it('loss-nan: the first NaN of the training loss at epoch 4, after 0.4879; val_loss followed', async () => {
    const found = await hits(path.join(RUNS, 'nan-loss/training_log.csv'));
    assert.deepEqual(found.map((h) => h.rule), ['loss-nan']);
    assert.match(found[0].message, /^loss is NaN at epoch 4 \(last finite value 0\.4879 at epoch 3\); 1 more loss series followed: training diverged/);
    assert.deepEqual(found[0].evidence?.slice(0, 3), ['first non-finite `loss`: NaN at epoch 4', 'value before it: 0.4879 at epoch 3', 'also non-finite: `val_loss` at epoch 4']);
  });

  it('suspicious-validation: validation copies of training samples, trained with dropout and noise, score higher in 18 of 20 epochs', async () => {
    const found = await hits(path.join(RUNS, 'leaky-validation/training_log.csv'));
    assert.deepEqual(found.map((h) => h.rule), ['suspicious-validation']);
    assert.match(found[0].message, /^val_accuracy was above accuracy by more than 5 points in 18 of 20 evaluations .*at the end 86\.0% vs 77\.5%\)\. Dropout or augmentation can explain it/);
  });

  it('thresholds change the verdicts: patience 100, an accuracy gap of 0.25, a share of 0.95', async () => {
    const overfit = await hits(path.join(RUNS, 'overfitting/training_log.csv'), { thresholds: { 'val-divergence.patience': 100, 'generalization-gap.accuracy-gap': 0.25 } });
    assert.deepEqual(overfit, []);
    const leaky = await hits(path.join(RUNS, 'leaky-validation/training_log.csv'), { thresholds: { 'suspicious-validation.share': 0.95 } });
    assert.deepEqual(leaky, []);
    const strict = await hits(path.join(RUNS, 'healthy/training_log.csv'), { thresholds: { 'val-divergence.margin': 0.01, 'val-divergence.patience': 2 } });
    assert.deepEqual(strict.map((h) => h.rule), ['val-divergence'], 'the healthy run rose 6% above its best at the end: only a 1% margin reports it');
  });
});

describe('divergence analysis edge cases', () => {
  const series = (name: string, split: MetricSeries['split'], values: number[]): MetricSeries => ({
    name,
    metric: 'loss',
    split,
    granularity: 'epoch',
    points: values.map((value, step) => ({ step, epoch: step, value })),
  });

  it('the running median ignores one outlier and lags a trend by one evaluation', () => {
    assert.deepEqual(runningMedian([1, 9, 1, 1, 2, 3, 4]), [1, 5, 1, 1, 1, 2, 3]);
  });

  it('both losses rising is instability, not overfitting: nothing', () => {
    const pair = { train: series('loss', 'train', [1, 0.8, 0.7, 0.9, 1.2, 1.5, 1.9]), validation: series('val_loss', 'validation', [1, 0.8, 0.7, 0.9, 1.2, 1.5, 1.9]) };
    assert.equal(findDivergence(pair, { margin: 0.1, patience: 3 }), undefined);
  });

  it('a negative loss (a relative margin means nothing) gives nothing', () => {
    const pair = { train: series('loss', 'train', [0, -1, -2, -3, -4, -5, -6]), validation: series('val_loss', 'validation', [0, -1, -2, -1, 0, 1, 2]) };
    assert.equal(findDivergence(pair, { margin: 0.1, patience: 3 }), undefined);
  });

  it('a rise that came back below the margin by the end is not reported', () => {
    const pair = { train: series('loss', 'train', [1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]), validation: series('val_loss', 'validation', [1, 0.8, 0.6, 0.9, 0.9, 0.9, 0.62, 0.62]) };
    assert.equal(findDivergence(pair, { margin: 0.1, patience: 3 }), undefined);
  });
});

describe('Engine: findings on the log and on the script that wrote it', () => {
  it('checkRunLog puts val-divergence on the best epoch\'s row and names the run and its modified time', async () => {
    const log = path.join(RUNS, 'overfitting/training_log.csv');
    const result = await (await engine()).checkRunLog(log, undefined, RUNS);
    assert.ok(result?.run);
    const divergence = result.findings.find((f) => f.rule === 'val-divergence');
    assert.ok(divergence);
    assert.equal(divergence.severity, 'warning');
    assert.equal(divergence.range.start.line, 4, 'line 5 of the file: header, then epochs 0-3');
    assert.equal(fs.readFileSync(log, 'utf8').split('\n')[4].split(',')[0], '3');
    assert.match(divergence.message, /^Run `overfitting\/training_log\.csv` \(log modified \d{4}-\d\d-\d\d \d\d:\d\d UTC\): val_loss was best at epoch 3/);
    const nan = await (await engine()).checkRunLog(path.join(RUNS, 'nan-loss/training_log.csv'), undefined, RUNS);
    assert.deepEqual(nan?.findings.map((f) => [f.rule, f.severity, f.range.start.line]), [['loss-nan', 'error', 5]]);
  });

  it('checkRunLog leaves a CSV that is not a training log alone', async () => {
    assert.equal(await (await engine()).checkRunLog(path.join(RUNS, 'not-a-log/labels.csv')), undefined);
  });

  it('a Keras script with CSVLogger("training_log.csv") gets the run\'s findings on its model.fit line', async () => {
    const script = path.join(RUNS, 'overfitting/train.py');
    const result = await (await engine()).checkPython(script, fs.readFileSync(script, 'utf8'), { roots: [RUNS] });
    const run = result.findings.filter((f) => f.rule === 'val-divergence' || f.rule === 'generalization-gap');
    assert.deepEqual(run.map((f) => [f.rule, f.range.start.line, f.range.start.character, f.range.end.character]), [
      ['val-divergence', 13, 10, 19],
      ['generalization-gap', 13, 10, 19],
    ]);
    assert.match(run[0].message, /^Run `overfitting\/training_log\.csv` \(log modified [^)]+\): val_loss was best at epoch 3/);
    assert.equal(run[0].evidence?.[0], 'log: `overfitting/training_log.csv`, written by `keras.callbacks.CSVLogger("training_log.csv")` (line 20)');
    assert.ok(result.dependencies.includes(path.join(RUNS, 'overfitting/training_log.csv')), 'a change to the log re-checks the script');
  });

  it('a healthy run\'s script (tf.keras, the path in a constant) has no run finding but depends on its log', async () => {
    const script = path.join(RUNS, 'healthy/train.py');
    const result = await (await engine()).checkPython(script, fs.readFileSync(script, 'utf8'), { roots: [RUNS] });
    assert.deepEqual(result.findings.filter((f) => f.drawback === 'overfitting'), []);
    assert.ok(result.dependencies.includes(path.join(RUNS, 'healthy/training_log.csv')));
  });
});
