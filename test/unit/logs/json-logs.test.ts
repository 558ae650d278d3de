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

const shape = (run: RunHistory) => run.series.map((s) => `${s.name}:${s.split}:${s.metric}:${s.granularity}:${s.points.length}`).sort();

describe('Hugging Face trainer_state.json', () => {
  it('reads training and evaluation entries by global step, without the closing summary', async () => {
    const run = await read(path.join(LOGS, 'healthy/trainer_state.json'), LOGS);
    assert.equal(run.format, 'hf-trainer-state');
    assert.equal(run.run, 'healthy');
    // 800 steps logged every 20: 40 training entries; 25 evaluations, one per epoch of 32 steps.
    assert.deepEqual(shape(run), [
      'eval_accuracy:validation:accuracy:step:25',
      'eval_loss:validation:loss:step:25',
      'eval_runtime:other:runtime:step:25',
      'eval_samples_per_second:other:samples_per_second:step:25',
      'eval_steps_per_second:other:steps_per_second:step:25',
      'grad_norm:other:grad_norm:step:40',
      'learning_rate:other:learning_rate:step:40',
      'loss:train:loss:step:40',
    ]);
    const loss = run.series.find((s) => s.name === 'loss')!;
    assert.deepEqual(loss.points[0], { step: 20, epoch: 0.625, value: 0.6839 });
    const evalLoss = run.series.find((s) => s.name === 'eval_loss')!;
    assert.deepEqual(evalLoss.points.at(-1)?.step, 800);
    assert.equal(run.hyperparameters?.train_batch_size, 64);
    assert.equal(run.hyperparameters?.num_train_epochs, 25);
    assert.deepEqual(run.warnings, []);
  });
});

describe('Keras History saved as JSON', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-json-logs-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads one point per epoch for each metric', async () => {
    const run = await read(path.join(LOGS, 'overfit/history.json'), LOGS);
    assert.equal(run.format, 'keras-history-json');
    assert.deepEqual(shape(run), ['accuracy:train:accuracy:epoch:120', 'loss:train:loss:epoch:120', 'val_accuracy:validation:accuracy:epoch:120', 'val_loss:validation:loss:epoch:120']);
    // The same training as overfit/training.log, so the same last validation loss.
    assert.deepEqual(run.series.find((s) => s.name === 'val_loss')!.points.at(-1), { step: 119, epoch: 119, value: 1.313269853591919 });
  });

  it("keeps Python's NaN and Infinity (a diverged loss) and warns about lists of different lengths", async () => {
    const file = path.join(dir, 'history.json');
    fs.writeFileSync(file, '{"loss": [0.5, NaN, Infinity], "val_loss": [0.6, -Infinity], "note": []}');
    const run = await read(file);
    assert.deepEqual(run.series.find((s) => s.name === 'loss')!.points.map((p) => p.value), [0.5, NaN, Infinity]);
    assert.deepEqual(run.series.find((s) => s.name === 'val_loss')!.points.map((p) => p.value), [0.6, -Infinity]);
    assert.deepEqual(run.warnings, ['metrics have different lengths (loss: 3, val_loss: 2, note: 0): epochs are counted from the start of each list']);
  });

  it('says what is wrong with JSON that is not a training log, broken JSON and oversized JSON', async () => {
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, '{"lr": 0.1, "layers": [64, "relu"]}');
    assert.deepEqual(await readRunLog(config), {
      ok: false,
      error: `${config}: not a training log DL Doctor reads: a JSON file that is neither a Hugging Face trainer_state.json nor a Keras History ("lr" is not a list)`,
    });
    const broken = path.join(dir, 'trainer_state.json');
    fs.writeFileSync(broken, '{"log_history": [{"loss": 0.5, "step": 1},');
    const result = await readRunLog(broken);
    assert.ok(!result.ok && result.error.startsWith(`${broken}: not valid JSON (`), JSON.stringify(result));
    const huge = path.join(dir, 'huge_history.json');
    fs.writeFileSync(huge, '{');
    fs.truncateSync(huge, 65 * 2 ** 20);
    assert.deepEqual(await readRunLog(huge), { ok: false, error: `${huge}: 65.0 MiB of JSON, more than 64 MiB: not read` });
  });
});
