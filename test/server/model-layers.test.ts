import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { ModelLayersRequest } from '../../src/protocol/model-layers';
import { ListRulesRequest } from '../../src/protocol/requests';
import { FIXTURES } from '../support/engine';
import { TestLspClient, uri } from '../support/lsp-client';

function nativeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('dlDoctor/modelLayers over stdio', () => {
  let root: string;
  let client: TestLspClient;

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-doctor-layers-'));
    fs.copyFileSync(path.join(FIXTURES, 'models/keras/churn-ann-keras.h5'), path.join(root, 'churn.h5'));
    fs.copyFileSync(path.join(FIXTURES, 'models/keras/convnet.keras'), path.join(root, 'convnet.keras'));
    client = new TestLspClient();
    await client.initialize(root);
  });

  after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers with per-layer shapes, parameters and MACs computed by the bundled worker, naming the backend', async () => {
    const result = await client.connection.sendRequest(ModelLayersRequest, { uri: uri(path.join(root, 'churn.h5')) });
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    const { analysis } = result;
    // tfjs-node is optional (its install downloads libtensorflow); without it the wasm backend runs.
    const skipped = analysis.backend === 'wasm' ? ['tensorflow: optional dependency @tensorflow/tfjs-node is not installed'] : [];
    assert.equal(analysis.backend, nativeInstalled() ? 'tensorflow' : 'wasm');
    assert.deepEqual(analysis.backendsSkipped, skipped);
    assert.deepEqual(
      analysis.layers.map((l) => [l.name, l.outputShape, l.parameters, l.macs]),
      [
        ['input_layer_4', [null, 12], 0, 0],
        ['dense_12', [null, 64], 832, 12 * 64],
        ['dense_13', [null, 32], 2080, 64 * 32],
        ['dense_14', [null, 1], 33, 32 * 1],
      ],
    );
    assert.equal(analysis.totalMacs, 2848);
    assert.equal(analysis.parameters, 2945);
  });

  it('keeps answering other requests while TensorFlow.js works', async () => {
    const order: string[] = [];
    const layers = client.connection.sendRequest(ModelLayersRequest, { uri: uri(path.join(root, 'convnet.keras')) }).then((r) => {
      order.push('layers');
      return r;
    });
    const rules = client.connection.sendRequest(ListRulesRequest).then((r) => {
      order.push('rules');
      return r;
    });
    const [result, list] = await Promise.all([layers, rules]);
    assert.deepEqual(order, ['rules', 'layers']);
    assert.ok(list.length > 0);
    assert.equal(result.ok && result.analysis.totalMacs, 1_020_224);
  });

  it('ends the analysis when the client cancels the request', async () => {
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(ModelLayersRequest, { uri: uri(path.join(root, 'convnet.keras')) }, source.token);
    setTimeout(() => source.cancel(), 50);
    await assert.rejects(pending, (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled && error.message === 'the layer analysis was cancelled');
  });

  it('gives a typed error for a model file without layers', async () => {
    const file = path.join(root, 'weights.safetensors');
    fs.copyFileSync(path.join(FIXTURES, 'models/safetensors/mlp.safetensors'), file);
    assert.deepEqual(await client.connection.sendRequest(ModelLayersRequest, { uri: uri(file) }), {
      ok: false,
      error: { file, kind: 'no-topology', message: 'no layer topology to analyse: weights.safetensors is a safetensors file, which stores tensors, not Keras layers' },
    });
  });
});
