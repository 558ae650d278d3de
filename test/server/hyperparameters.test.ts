import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Hover, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../support/edits';
import { TestLspClient, uri } from '../support/lsp-client';

const TRAIN = `import argparse
import torch
from torch.optim import Adam

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.5)
args = parser.parse_args()
torch.manual_seed(0)
model = torch.nn.Linear(10, 2)
optimizer = Adam(model.parameters(), lr=args.lr, weight_decay=1e-4)
`;

describe('hyperparameter findings over LSP', () => {
  let root: string;
  let client: TestLspClient;
  const trainUri = () => uri(path.join(root, 'train.py'));

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-hp-lsp-'));
    fs.writeFileSync(path.join(root, 'train.py'), TRAIN);
    client = new TestLspClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes lr-out-of-range and adam-weight-decay on the optimizer line', async () => {
    const diagnostics = await client.waitForDiagnostics(trainUri(), (d) => d.length === 2);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.range.start.line]).sort(),
      [
        ['adam-weight-decay', 3, 9],
        ['lr-out-of-range', 2, 9],
      ],
    );
  });

  it("the hover of lr-out-of-range lists the resolved rate, where it came from and Adam's range", async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: trainUri() }, position: { line: 9, character: 45 } })) as Hover;
    const text = (hover.contents as { value: string }).value;
    const section = text.slice(text.indexOf('**DL Doctor · lr-out-of-range**'));
    const [header, evidence] = section.split('\n\n');
    assert.equal(header, '**DL Doctor · lr-out-of-range** (hyperparameters, warning)');
    assert.equal(evidence, ['- `lr` = 0.5 from --lr default (line 6)', "- range used in practice for Adam-type optimizers: 1e-7 … 0.05; Adam's default 1e-3"].join('\n'));
  });

  it('Use AdamW rewrites the call and the import; the weight-decay finding goes away', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: trainUri(), languageId: 'python', version: 1, text: TRAIN } });
    const diagnostics = await client.waitForDiagnostics(trainUri(), (d) => d.length === 2);
    const decay = diagnostics.find((d) => d.code === 'adam-weight-decay')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: trainUri() },
      range: decay.range,
      context: { diagnostics: [decay] },
    })) as CodeAction[];
    assert.equal(actions[0].title, 'Use AdamW');
    assert.equal(actions[0].isPreferred, true);
    const fixed = applyEdits(TRAIN, (actions[0].edit!.documentChanges![0] as TextDocumentEdit).edits);
    assert.equal(fixed.split('\n')[2], 'from torch.optim import Adam, AdamW');
    assert.equal(fixed.split('\n')[9], 'optimizer = AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: trainUri(), version: 2 }, contentChanges: [{ text: fixed }] });
    const after = await client.waitForDiagnostics(trainUri(), (d) => d.length === 1);
    assert.equal(after[0].code, 'lr-out-of-range');
    assert.match(after[0].message, /for PyTorch AdamW \(1e-7 … 0\.05\)/);
  });
});
