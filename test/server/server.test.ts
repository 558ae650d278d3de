import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CodeLens, Hover, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { ModelReportRequest } from '../../src/protocol/model-report';
import { AnalyzeWorkspaceRequest } from '../../src/protocol/requests';
import { applyEdits } from '../support/edits';
import { FIXTURES } from '../support/engine';
import { TestLspClient, uri } from '../support/lsp-client';

const TRAIN = `import numpy as np
import torch
from torch import nn

model = nn.Linear(784, 10)
batch = np.random.rand(32, 784)
`;
const HELPER_SCRIPT = `import torch
from utils.seeding import fix_seeds

fix_seeds(0)
x = torch.rand(3)
`;

describe('language server over stdio', () => {
  let root: string;
  let client: TestLspClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-lsp-'));
    fs.writeFileSync(path.join(root, 'train.py'), TRAIN);
    fs.writeFileSync(path.join(root, 'on_disk.py'), 'import random\nrandom.shuffle(items)\n');
    fs.writeFileSync(path.join(root, 'binary.py'), Buffer.from([0x00, 0xff, 0x10, 0x00]));
    fs.writeFileSync(path.join(root, 'latin1.py'), Buffer.from('# caf\xe9\n', 'latin1'));
    fs.copyFileSync(path.join(FIXTURES, 'models/unsafe/os_system.pkl'), path.join(root, 'downloaded_weights.pkl'));
    fs.copyFileSync(path.join(FIXTURES, 'models/pytorch/lightning.ckpt'), path.join(root, 'last.ckpt'));
    fs.writeFileSync(path.join(root, 'generated.py'), 'import random\n' + 'x = 1\n'.repeat(900_000) + 'random.random()\n');
    fs.mkdirSync(path.join(root, 'utils'));
    fs.writeFileSync(path.join(root, 'utils', '__init__.py'), '');
    fs.writeFileSync(path.join(root, 'utils', 'seeding.py'), 'import torch\n\ndef fix_seeds(s):\n    torch.manual_seed(s)\n');
    fs.writeFileSync(path.join(root, 'uses_helper.py'), HELPER_SCRIPT);
    fs.mkdirSync(path.join(root, '.venv', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(root, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
    fs.writeFileSync(path.join(root, '.venv', 'lib', 'vendored.py'), 'import random\nrandom.random()\n');
    client = new TestLspClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('scans the workspace at start: files never opened get diagnostics, virtualenvs and binaries do not', async () => {
    const [diagnostic] = await client.waitForDiagnostics(uri(path.join(root, 'on_disk.py')), (d) => d.length === 1);
    assert.equal(diagnostic.code, 'unset-seed');
    assert.equal(diagnostic.source, 'dl-doctor');
    assert.equal(diagnostic.codeDescription?.href, 'dl-doctor-rule:/unset-seed.md');
    await client.waitForDiagnostics(uri(path.join(root, 'uses_helper.py')), (d) => d.length === 0);
    assert.equal(client.diagnostics.get(uri(path.join(root, '.venv', 'lib', 'vendored.py'))), undefined);
    assert.equal(client.diagnostics.get(uri(path.join(root, 'binary.py')))?.length ?? 0, 0);
    assert.ok(client.logs.some((l) => l.includes('binary.py') && l.includes('binary, not Python source')), 'a log line names the binary file');
    assert.ok(client.logs.some((l) => l.includes('latin1.py') && l.includes('not valid UTF-8')), 'a log line names the non-UTF-8 file');
    assert.ok(
      client.logs.some((l) => l.includes('generated.py') && l.includes('file is 5.1 MB, above the 2.0 MB limit (dlDoctor.maxFileSizeMB)')),
      'a log line names the oversized file and the setting',
    );
    assert.equal(client.diagnostics.get(uri(path.join(root, 'generated.py')))?.length ?? 0, 0);
  });

  it('publishes an error on a model file whose pickle would run code, without running it', async () => {
    const [diagnostic] = await client.waitForDiagnostics(uri(path.join(root, 'downloaded_weights.pkl')), (d) => d.length === 1);
    assert.equal(diagnostic.code, 'unsafe-pickle');
    assert.equal(diagnostic.severity, 1);
    assert.match(diagnostic.message, /^Loading this file imports and calls os\.system \(posix\.system\)/);
    assert.equal(fs.existsSync('/tmp/dl-doctor-pickle-payload-ran'), false);
  });

  it('puts a code lens with the checkpoint facts on a torch.load line, and serves the Model Report', async () => {
    const scriptUri = uri(path.join(root, 'resume.py'));
    const text = 'import torch\n\nstate = torch.load("last.ckpt")\n';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: scriptUri, languageId: 'python', version: 1, text } });
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: scriptUri } })) as CodeLens[];
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]),
      [[2, 'DL Doctor: 1,498 parameters · training checkpoint · 24.8 KB', 'dlDoctor.openModelReport', [uri(path.join(root, 'last.ckpt'))]]],
    );
    const result = await client.connection.sendRequest(ModelReportRequest, { uri: uri(path.join(root, 'last.ckpt')) });
    assert.ok('report' in result, JSON.stringify(result));
    const { report } = result;
    assert.equal(report.summary.kind, 'checkpoint');
    assert.equal(report.summary.optimizerValues, 2996);
    assert.deepEqual([report.trainable, report.statistics], [1498, 8], 'BatchNorm running mean and variance are statistics, not parameters');
    const model = report.tree.children[0].children[0];
    assert.equal(model.path, 'state_dict.model');
    assert.deepEqual(model.children.map((m) => [m.name, m.parameters, m.tensorCount]), [['conv', 40, 2], ['bn', 8, 5], ['fc', 1450, 2]]);
    assert.deepEqual(report.findings, []);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: scriptUri } });
  });

  it('serves a Model Report for an unreadable file with the reason and the finding', async () => {
    const page = path.join(os.tmpdir(), `dl-doctor-report-${process.pid}.pt`);
    fs.writeFileSync(page, '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head></html>\n');
    try {
      const result = await client.connection.sendRequest(ModelReportRequest, { uri: uri(page) });
      assert.ok('error' in result, JSON.stringify(result).slice(0, 500));
      assert.equal(result.error, 'looks like an HTML page (a download error page?) titled "404 Not Found", not a model');
      assert.deepEqual(result.findings.map((f) => [f.rule, f.title]), [['model-file-unreadable', 'A model file is corrupt or not what its extension says']]);
    } finally {
      fs.rmSync(page, { force: true });
    }
  });

  it('puts a code lens with the TensorFlow.js model facts on a tf.loadLayersModel line of a .js script, and checks nothing else there', async () => {
    fs.cpSync(path.join(FIXTURES, 'models/tfjs/classifier'), path.join(root, 'web_model'), { recursive: true });
    const scriptUri = uri(path.join(root, 'predict.js'));
    const text = "const tf = require('@tensorflow/tfjs-node');\n\nasync function main() {\n  const model = await tf.loadLayersModel('file://./web_model/model.json');\n}\n";
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: scriptUri, languageId: 'javascript', version: 1, text } });
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: scriptUri } })) as CodeLens[];
    const size = fs.statSync(path.join(root, 'web_model/model.json')).size + fs.statSync(path.join(root, 'web_model/group1-shard1of1.bin')).size;
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.range.start.character, l.command?.title, l.command?.command, l.command?.arguments]),
      [[3, 22, `DL Doctor: 259 parameters · TensorFlow.js · ${(size / 1024).toFixed(1)} KB`, 'dlDoctor.openModelReport', [uri(path.join(root, 'web_model/model.json'))]]],
    );
    // A script is read for the models it loads; no Python rule runs on it, so nothing is published for it.
    await client.waitForDiagnostics(uri(path.join(root, 'web_model/model.json')), (d) => d.length === 0);
    assert.equal(client.diagnostics.get(scriptUri), undefined);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: scriptUri } });
  });

  it('counts a sharded Hugging Face checkpoint whole on a from_pretrained line, and opens its first shard', async () => {
    const folder = path.join(root, 'checkpoints', 'finetuned');
    fs.mkdirSync(folder, { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'models/safetensors/mlp.safetensors'), path.join(folder, 'model-00001-of-00002.safetensors'));
    fs.copyFileSync(path.join(FIXTURES, 'models/safetensors/mixed_dtypes.safetensors'), path.join(folder, 'model-00002-of-00002.safetensors'));
    const weightMap = { 'fc1.weight': 'model-00001-of-00002.safetensors', 'embed.weight': 'model-00002-of-00002.safetensors' };
    fs.writeFileSync(path.join(folder, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 3552 }, weight_map: weightMap }));
    const scriptUri = uri(path.join(root, 'serve.py'));
    const text = 'from transformers import AutoModelForCausalLM, AutoTokenizer\n\nmodel = AutoModelForCausalLM.from_pretrained("checkpoints/finetuned")\ntok = AutoTokenizer.from_pretrained("checkpoints/finetuned")\n';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: scriptUri, languageId: 'python', version: 1, text } });
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: scriptUri } })) as CodeLens[];
    // 676 + 104 parameters (safetensors/expected.json), 3,016 + 536 bytes.
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.arguments]),
      [[2, 'DL Doctor: 780 parameters · safetensors · 2 shards · 3.5 KB', [uri(path.join(folder, 'model-00001-of-00002.safetensors'))]]],
    );
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: scriptUri } });
  });

  it('publishes a warning on open, offers the seeding quick fix, and clears the warning once applied', async () => {
    const fileUri = uri(path.join(root, 'train.py'));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'python', version: 1, text: TRAIN } });
    const [diagnostic] = await client.waitForDiagnostics(fileUri, (d) => d.length === 1);
    assert.deepEqual(diagnostic.range, { start: { line: 4, character: 8 }, end: { line: 4, character: 26 } });
    assert.equal(diagnostic.severity, 2);
    assert.match(diagnostic.message, /^NumPy and PyTorch randomness is never seeded/);

    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: fileUri }, position: { line: 4, character: 12 } })) as Hover;
    const hoverText = (hover.contents as { value: string }).value;
    assert.match(hoverText, /DL Doctor · unset-seed/);
    assert.match(hoverText, /## How to fix/);

    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: fileUri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ['Seed all random number generators used in this file', 'Ignore unset-seed on this line', 'Ignore unset-seed in this file']);
    const change = actions[0].edit!.documentChanges![0] as TextDocumentEdit;
    const fixed = applyEdits(TRAIN, change.edits);
    assert.match(fixed, /\nSEED = 42\nnp\.random\.seed\(SEED\)\ntorch\.manual_seed\(SEED\)\ntorch\.cuda\.manual_seed_all\(SEED\)\n/);

    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: fileUri, version: 2 },
      contentChanges: [{ text: fixed }],
    });
    await client.waitForDiagnostics(fileUri, (d) => d.length === 0);
  });

  it('applies incremental edits: re-introducing randomness brings the warning back', async () => {
    const fileUri = uri(path.join(root, 'train.py'));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: fileUri, version: 3 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import random\nrandom.shuffle(data)\n' }],
    });
    const [diagnostic] = await client.waitForDiagnostics(fileUri, (d) => d.length === 1);
    assert.match(diagnostic.message, /^Python's random randomness is never seeded/);
    assert.equal(diagnostic.range.start.line, 1);
  });

  it('re-checks a script when the helper it imports changes on disk', async () => {
    const helper = path.join(root, 'utils', 'seeding.py');
    const scriptUri = uri(path.join(root, 'uses_helper.py'));
    fs.writeFileSync(helper, 'import numpy as np\n\ndef fix_seeds(s):\n    np.random.seed(s)\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(helper), type: 2 }] });
    const [diagnostic] = await client.waitForDiagnostics(scriptUri, (d) => d.length === 1);
    assert.match(diagnostic.message, /^PyTorch randomness is never seeded/);
  });

  it('turns a rule off when the settings change', async () => {
    client.settings = { rules: { 'unset-seed': 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri(path.join(root, 'on_disk.py')), (d) => d.length === 0);
    client.settings = { rules: { 'unset-seed': 'error' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const [diagnostic] = await client.waitForDiagnostics(uri(path.join(root, 'on_disk.py')), (d) => d.length === 1);
    assert.equal(diagnostic.severity, 1);
  });

  it('leaves out files matching dlDoctor.exclude', async () => {
    client.settings = { exclude: ['on_*.py'] };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri(path.join(root, 'on_disk.py')), (d) => d.length === 0);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(uri(path.join(root, 'on_disk.py')), (d) => d.length === 1);
  });

  it('clears a file deleted while it is being checked and keeps serving the others', async () => {
    const doomed = path.join(root, 'doomed.py');
    fs.writeFileSync(doomed, 'import random\nrandom.random()\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(doomed), type: 1 }] });
    fs.rmSync(doomed); // gone before the debounced check reads it
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(doomed), type: 3 }] });
    await client.waitForDiagnostics(uri(doomed), (d) => d.length === 0);
    const result = await client.connection.sendRequest(AnalyzeWorkspaceRequest);
    assert.equal(result.cancelled, false);
    assert.equal(
      result.filesChecked,
      10,
      'train, on_disk, uses_helper, utils/__init__, utils/seeding, downloaded_weights.pkl, last.ckpt, web_model/model.json, two safetensors shards; nothing deleted, no JavaScript checked',
    );
    assert.equal(result.skipped, 4, 'binary.py, latin1.py, the 5 MB generated.py and the TF.js weight shard (a .bin that is not a pickle)');
    assert.equal(client.exited, false);
  });
});
