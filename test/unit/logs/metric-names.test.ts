import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMetricName } from '../../../src/engine/logs/metric-names';

describe('metric names: split, metric and granularity', () => {
  const cases: [string, ReturnType<typeof parseMetricName>['split'], string, 'epoch' | 'step' | undefined, Parameters<typeof parseMetricName>[1]?][] = [
    ['val_loss', 'validation', 'loss', undefined],
    ['loss', 'train', 'loss', undefined, 'train'], // Keras, Hugging Face: bare names are training metrics
    ['loss', 'other', 'loss', undefined], // Lightning leaves a bare name open
    ['eval_loss', 'validation', 'loss', undefined],
    ['train/loss', 'train', 'loss', undefined],
    ['val/acc_epoch', 'validation', 'accuracy', 'epoch'],
    ['valid_loss', 'validation', 'loss', undefined],
    ['train_acc_step', 'train', 'accuracy', 'step'],
    ['test_loss', 'test', 'loss', undefined],
    ['Loss/train', 'train', 'Loss', undefined],
    ['Loss/test', 'test', 'Loss', undefined],
    ['Logloss', 'train', 'Logloss', undefined, 'train'], // CatBoost, under a `learn` run folder
    ['Logloss', 'test', 'Logloss', undefined, 'test'], // … and under `test`
    ['epoch_loss', 'validation', 'loss', 'epoch', 'validation'], // Keras TensorBoard, `validation` folder
    ['batch_accuracy', 'train', 'accuracy', 'step', 'train'],
    ['val_accuracy', 'validation', 'accuracy', undefined],
    ['learning_rate', 'other', 'learning_rate', undefined, 'train'],
    ['lr-Adam', 'other', 'lr-Adam', undefined],
    ['eval_runtime', 'other', 'runtime', undefined],
    ['grad_norm', 'other', 'grad_norm', undefined, 'train'],
  ];
  for (const [name, split, metric, granularity, unprefixed] of cases) {
    it(`${name}${unprefixed ? ` (bare names: ${unprefixed})` : ''} → ${split} ${metric}${granularity ? ` per ${granularity}` : ''}`, () => {
      assert.deepEqual(parseMetricName(name, unprefixed), { split, metric, granularity });
    });
  }
});
