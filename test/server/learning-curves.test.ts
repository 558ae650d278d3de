import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { ListRunsRequest, RunChangedNotification, RunCurvesRequest } from '../../src/protocol/learning-curves';
import { FIXTURES } from '../support/engine';
import { TestLspClient, uri } from '../support/lsp-client';

const RUNS = path.join(FIXTURES, 'runs');
const OVERFIT_LOG = fs.readFileSync(path.join(RUNS, 'overfitting/training_log.csv'), 'utf8');
const OVERFIT_SCRIPT = fs.readFileSync(path.join(RUNS, 'overfitting/train.py'), 'utf8');

describe('training logs over LSP: diagnostics on the log and its script, curves, live re-reads', () => {
  let root: string;
  let client: TestLspClient;
  const file = (...parts: string[]) => path.join(root, ...parts);
  const changed: string[] = [];

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-runs-lsp-'));
    fs.mkdirSync(file('overfit'));
    fs.writeFileSync(file('overfit', 'training_log.csv'), OVERFIT_LOG);
    fs.writeFileSync(file('overfit', 'train.py'), OVERFIT_SCRIPT);
    // A run in progress: its first 6 epochs so far (header + rows 0-5), the same script beside it.
    fs.mkdirSync(file('live'));
    fs.writeFileSync(file('live', 'training_log.csv'), OVERFIT_LOG.split('\n').slice(0, 7).join('\n') + '\n');
    fs.writeFileSync(file('live', 'train.py'), OVERFIT_SCRIPT);
    fs.writeFileSync(file('labels.csv'), 'image,label\na.png,cat\n');
    client = new TestLspClient();
    client.connection.onNotification(RunChangedNotification, ({ uri: changedUri }) => changed.push(changedUri));
    await client.initialize(root);
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the workspace scan puts val-divergence on the best epoch\'s row of the log and on the model.fit line of the script', async () => {
    const onLog = await client.waitForDiagnostics(uri(file('overfit', 'training_log.csv')), (d) => d.length === 2);
    assert.deepEqual(onLog.map((d) => [d.code, d.range.start.line]), [['val-divergence', 4], ['generalization-gap', 60]]);
    assert.match(onLog[0].message, /^Run `overfit\/training_log\.csv` \(log modified \d{4}-\d\d-\d\d \d\d:\d\d UTC\): val_loss was best at epoch 3 \(0\.4538\)/);
    const onScript = await client.waitForDiagnostics(uri(file('overfit', 'train.py')), (d) => d.some((x) => x.code === 'val-divergence'));
    const divergence = onScript.find((d) => d.code === 'val-divergence')!;
    assert.deepEqual([divergence.range.start.line, divergence.range.start.character, divergence.range.end.character], [13, 10, 19]);
    assert.equal(divergence.severity, 2);
    assert.equal(client.diagnostics.get(uri(file('labels.csv')))?.length ?? 0, 0, 'a data CSV is not a training log');
  });

  it('a growing log is read again when it changes: the finding appears on the log and the script, and panels are told', async () => {
    const log = file('live', 'training_log.csv');
    await client.waitForDiagnostics(uri(log), (d) => d.length === 0);
    await client.waitForDiagnostics(uri(file('live', 'train.py')), (d) => !d.some((x) => x.code === 'val-divergence'));
    fs.writeFileSync(log, OVERFIT_LOG.split('\n').slice(0, 21).join('\n') + '\n'); // epochs 0-19
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(log), type: 2 }] });
    const [onLog] = await client.waitForDiagnostics(uri(log), (d) => d.length > 0);
    assert.equal(onLog.code, 'val-divergence');
    assert.match(onLog.message, /val_loss was best at epoch 3 \(0\.4538\).*16 evaluations \(84% of the run\) ran past it/);
    await client.waitForDiagnostics(uri(file('live', 'train.py')), (d) => d.some((x) => x.code === 'val-divergence'));
    assert.ok(changed.includes(uri(log)), 'RunChanged was sent for the log');
  });

  it('serves the curves with the best point and where the divergence starts, and lists the runs', async () => {
    const result = await client.connection.sendRequest(RunCurvesRequest, { uri: uri(file('overfit', 'training_log.csv')) });
    assert.ok('curves' in result, JSON.stringify(result));
    const { curves } = result;
    assert.equal(curves.run, 'overfit/training_log.csv');
    assert.deepEqual(curves.series.map((s) => `${s.name}:${s.split}:${s.steps.length}`).sort(), ['accuracy:train:60', 'loss:train:60', 'val_accuracy:validation:60', 'val_loss:validation:60']);
    assert.deepEqual(curves.markers.map((m) => [m.kind, m.series, m.step]), [['best', 'val_loss', 3], ['divergence', 'val_loss', 6]]);
    assert.equal(curves.markers[0].label, 'best val_loss 0.4538 at epoch 3');
    const runs = await client.connection.sendRequest(ListRunsRequest);
    assert.deepEqual(runs.map((r) => r.run).sort(), ['live/training_log.csv', 'overfit/training_log.csv']);
    const notLog = await client.connection.sendRequest(RunCurvesRequest, { uri: uri(file('labels.csv')) });
    assert.ok('error' in notLog);
  });

  it('a curves request reads a log that grew again even when no file event came', async () => {
    const log = file('live', 'training_log.csv');
    fs.writeFileSync(log, OVERFIT_LOG.split('\n').slice(0, 31).join('\n') + '\n'); // epochs 0-29, no didChangeWatchedFiles
    const result = await client.connection.sendRequest(RunCurvesRequest, { uri: uri(log) });
    assert.ok('curves' in result, JSON.stringify(result));
    assert.equal(result.curves.series.find((s) => s.name === 'val_loss')?.steps.length, 30);
  });

  it('puts a "Show learning curves" lens on the model.fit line', async () => {
    const scriptUri = uri(file('overfit', 'train.py'));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: scriptUri, languageId: 'python', version: 1, text: OVERFIT_SCRIPT } });
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: scriptUri } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]),
      [
        // The cost lens on the model line: the first Dense layer's input size is unknown, so a lower bound.
        [10, 'DL Doctor: ≥66,306 params · train mem ≥ 1.1 MB (AdamW, fp32, excl. activations)', 'dlDoctor.explainRule', ['high-param-count']],
        [13, 'DL Doctor: Show learning curves (overfit/training_log.csv)', 'dlDoctor.showLearningCurves', [uri(file('overfit', 'training_log.csv'))]],
      ],
    );
  });
});
