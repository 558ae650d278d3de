import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import { FIXTURES } from '../support/engine';
import { TestLspClient, uri } from '../support/lsp-client';

const PROJECTS = path.join(FIXTURES, 'model-code/projects');

describe('cost code lens and data findings over LSP', () => {
  let root: string;
  let client: TestLspClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-cost-'));
    fs.copyFileSync(path.join(PROJECTS, 'mnist_cnn/train.py'), path.join(root, 'mnist.py'));
    fs.copyFileSync(path.join(PROJECTS, 'vit_cifar/train.py'), path.join(root, 'vit.py'));
    client = new TestLspClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function lenses(file: string): Promise<CodeLens[]> {
    const fileUri = uri(path.join(root, file));
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'python', version: 1, text } });
    return (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: fileUri } })) as CodeLens[];
  }

  it('puts parameters, MACs, training memory and energy on the line that builds the MNIST CNN; the hover lists the assumptions', async () => {
    const found = await lenses('mnist.py');
    assert.deepEqual(
      found.map((l) => [l.range.start.line, l.command?.title, l.command?.command, l.command?.arguments]),
      [[36, 'DL Doctor: ≈1.2M params · 12.0 MMAC/sample · train mem ≈ 19.2 MB (AdamW, fp32, excl. activations) · ≈1.1 Wh, ≈0.6 g CO2e for 14 epochs of 60,000 samples on A100', 'dlDoctor.explainRule', ['high-param-count']]],
    );
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uri(path.join(root, 'mnist.py')) }, position: { line: 36, character: 10 } })) as Hover;
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /\*\*Net\*\*: 1,199,882 parameters, trained from scratch/);
    assert.match(text, /epochs: 14 from `range` of the epoch loop \(line 39\), EPOCHS \(line 7\)/);
    assert.match(text, /time = FLOPs \/ \(NVIDIA A100 SXM 19\.5 TFLOPS fp32 × 30% utilisation\)/);
    assert.match(text, /emissions = energy × 480 gCO2e\/kWh/);
  });

  it('follows dlDoctor.cost.gpu and dlDoctor.cost.gridIntensity', async () => {
    client.settings = { cost: { gpu: 'T4', gridIntensity: 100 } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const [lens] = await lenses('mnist.py');
    // 8.1 TFLOPS at 70 W instead of 19.5 at 400 W: less energy; 100 g/kWh instead of 480
    assert.equal(lens.command?.title, 'DL Doctor: ≈1.2M params · 12.0 MMAC/sample · train mem ≈ 19.2 MB (AdamW, fp32, excl. activations) · ≈0.5 Wh, <0.1 g CO2e for 14 epochs of 60,000 samples on T4');
    client.settings = {};
  });

  it('publishes tiny-dataset on the ViT line and says less in its lens when MACs are unknown', async () => {
    const [diagnostic] = await client.waitForDiagnostics(uri(path.join(root, 'vit.py')), (d) => d.some((x) => x.code === 'tiny-dataset'));
    assert.equal(diagnostic.range.start.line, 9);
    const [lens] = await lenses('vit.py');
    assert.equal(lens.command?.title, 'DL Doctor: ≈85.8M params · train mem ≈ 1.37 GB (AdamW, fp32, excl. activations)');
  });
});
