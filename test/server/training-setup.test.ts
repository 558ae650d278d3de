import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { TestLspClient, uri } from '../support/lsp-client';

const NOTEBOOK = `import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("heart.csv")
X = df.drop(columns=["target"]).values
y = df["target"].values
X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2)
`;

describe('training-setup findings over LSP', () => {
  let root: string;
  let client: TestLspClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-training-setup-'));
    fs.writeFileSync(path.join(root, 'notebook.py'), NOTEBOOK);
    client = new TestLspClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes preprocessing-leakage on the fit and shows its evidence in the hover', async () => {
    const file = uri(path.join(root, 'notebook.py'));
    const [finding] = await client.waitForDiagnostics(file, (d) => d.some((x) => x.code === 'preprocessing-leakage'));
    assert.equal(finding.code, 'preprocessing-leakage');
    assert.equal(finding.severity, 2);
    assert.deepEqual(finding.range, { start: { line: 7, character: 11 }, end: { line: 7, character: 44 } });
    assert.equal(
      finding.message,
      'StandardScaler is fitted on X before train_test_split splits it (line 9): statistics of the held-out rows leak into training and the held-out score comes out optimistic. Split first and fit StandardScaler on the training part only (or use a Pipeline).',
    );
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: file }, position: { line: 7, character: 20 } })) as Hover;
    const [header, evidence, explanation] = (hover.contents as { value: string }).value.split('\n\n');
    assert.equal(header, '**DL Doctor · preprocessing-leakage** (data, warning)');
    assert.equal(
      evidence,
      [
        '- `StandardScaler().fit_transform(X)` (line 8) fits `StandardScaler` on all of `X`',
        '- the fitted values flow into `X_scaled`',
        '- `train_test_split(X_scaled, y, test_size=0.2)` (line 9) splits `X_scaled` afterwards',
      ].join('\n'),
    );
    assert.match(explanation, /^A scaler, imputer, feature selector or vectorizer \*learns\*/);
  });
});
