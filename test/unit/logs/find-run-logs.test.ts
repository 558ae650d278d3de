import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findRunLogs, isRunLogCandidate, readRunLog } from '../../../src/engine/logs/read-run-log';
import { FIXTURES } from '../../support/engine';

const LOGS = path.join(FIXTURES, 'logs');

describe('finding the training logs under a folder', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-find-logs-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds every fixture log by content, TensorBoard subfolders grouped into their run', async () => {
    const found = await findRunLogs(LOGS);
    assert.deepEqual(found.map((f) => `${f.format} ${f.run}`), [
      'keras-history-json healthy/history.json',
      'hf-trainer-state healthy',
      'keras-csv healthy/training.log',
      'lightning-csv healthy/lightning_logs/version_0',
      'keras-history-json overfit/history.json',
      'hf-trainer-state overfit',
      'keras-csv overfit/training.log',
      'lightning-csv overfit/lightning_logs/version_0',
      'tensorboard real/catboost_info',
    ]);
    // Every one of them reads.
    for (const log of found) assert.ok((await readRunLog(log.path, { root: LOGS })).ok, log.path);
  });

  it('names candidates by file name', () => {
    for (const name of ['training.log', 'metrics.csv', 'trainer_state.json', 'history.json', 'events.out.tfevents.1700000000.host', 'events.out.tfevents']) assert.ok(isRunLogCandidate(`/w/${name}`), name);
    for (const name of ['config.json', 'train.py', 'model.pt', 'hparams.yaml']) assert.ok(!isRunLogCandidate(`/w/${name}`), name);
  });

  it('skips node_modules, .git and virtualenvs, does not follow symlink loops, and stops at its bounds', async () => {
    const log = 'epoch,loss\n0,1\n';
    for (const folder of ['node_modules/pkg', '.git', 'env', 'a/b/c/d']) fs.mkdirSync(path.join(dir, folder), { recursive: true });
    fs.writeFileSync(path.join(dir, 'env/pyvenv.cfg'), 'home = /usr/bin\n');
    for (const folder of ['node_modules/pkg', '.git', 'env', 'a', 'a/b/c/d']) fs.writeFileSync(path.join(dir, folder, 'training.log'), log);
    fs.writeFileSync(path.join(dir, 'data.csv'), 'id,age,label\n1,30,0\n'); // a data set, not a log
    fs.symlinkSync(dir, path.join(dir, 'a/loop'));
    // A folder's files before its subfolders.
    assert.deepEqual((await findRunLogs(dir)).map((f) => f.run), ['a/training.log', 'a/b/c/d/training.log']);
    assert.deepEqual((await findRunLogs(dir, { maxDepth: 1 })).map((f) => f.run), ['a/training.log']);
    // maxFiles counts candidates looked at: data.csv, then a/training.log.
    assert.deepEqual((await findRunLogs(dir, { maxFiles: 1 })).map((f) => f.run), []);
    assert.deepEqual((await findRunLogs(dir, { maxFiles: 2 })).map((f) => f.run), ['a/training.log']);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(findRunLogs(dir, { signal: controller.signal }), { name: 'AbortError' });
  });
});
