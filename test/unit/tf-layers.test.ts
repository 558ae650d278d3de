import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyseModel } from '../../src/engine/tf/analyse-model';
import { analyzeLayers } from '../../src/engine/tf/analyze-layers';
import type { BackendName } from '../../src/engine/tf/backend';
import type { LayerAnalysis } from '../../src/engine/tf/layer-analysis-types';
import { FIXTURES } from '../support/engine';

const KERAS = path.join(FIXTURES, 'models/keras');
const CHURN = path.join(KERAS, 'churn-ann-keras.h5');

/** [name, class, output shape, parameters, trainable parameters, MACs per sample, source] per layer. */
function table(analysis: LayerAnalysis) {
  return analysis.layers.map((l) => [l.name, l.className, l.outputShape, l.parameters, l.trainableParameters, l.macs, l.source]);
}

async function analysed(file: string, backend: BackendName): Promise<LayerAnalysis> {
  const result = await analyseModel({ file, prefer: [backend] });
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  assert.equal(result.analysis.backend, backend);
  return result.analysis;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`per-layer analysis with TensorFlow.js on the ${backend} backend`, () => {
    it('the real Keras 3.9 churn model: 2,945 parameters, 2,848 MACs per sample', async () => {
      const analysis = await analysed(CHURN, backend);
      assert.deepEqual(analysis.inputShapes, [[null, 12]]);
      // Dense MACs = inputs × units: 12×64, 64×32, 32×1.
      assert.deepEqual(table(analysis), [
        ['input_layer_4', 'InputLayer', [null, 12], 0, 0, 0, 'tfjs'],
        ['dense_12', 'Dense', [null, 64], 832, 832, 768, 'tfjs'],
        ['dense_13', 'Dense', [null, 32], 2080, 2080, 2048, 'tfjs'],
        ['dense_14', 'Dense', [null, 1], 33, 33, 32, 'tfjs'],
      ]);
      assert.equal(analysis.parameters, 2945);
      assert.equal(analysis.trainableParameters, 2945);
      assert.equal(analysis.totalMacs, 768 + 2048 + 32);
      assert.equal(analysis.macsComplete, true);
      assert.deepEqual(analysis.unsupported, []);
      assert.deepEqual(analysis.notes, []);
      assert.equal(typeof analysis.inferenceMs, 'number');
    });

    it('the TF.js Layers classifier: 259 parameters, 240 MACs per sample', async () => {
      const analysis = await analysed(path.join(FIXTURES, 'models/tfjs/classifier/model.json'), backend);
      assert.deepEqual(table(analysis), [
        ['dense_Dense1', 'Dense', [null, 16], 208, 208, 12 * 16, 'tfjs'],
        ['dropout_Dropout1', 'Dropout', [null, 16], 0, 0, 0, 'tfjs'],
        ['dense_Dense2', 'Dense', [null, 3], 51, 51, 16 * 3, 'tfjs'],
      ]);
      assert.equal(analysis.parameters, 259);
      assert.equal(analysis.totalMacs, 240);
    });

    it('a Keras 3 functional convnet (.keras): conv, depthwise, pointwise, separable, a merge node', async () => {
      const analysis = await analysed(path.join(KERAS, 'convnet.keras'), backend);
      const s = [null, 32, 32, 16];
      assert.deepEqual(table(analysis), [
        ['input_layer', 'InputLayer', [null, 32, 32, 3], 0, 0, 0, 'tfjs'],
        // Conv2D: Hout·Wout·Cout·(kh·kw·Cin) = 32·32·16·(3·3·3); params 3·3·3·16 + 16.
        ['conv1', 'Conv2D', s, 448, 448, 32 * 32 * 16 * 27, 'tfjs'],
        // BatchNorm: gamma, beta trainable; moving mean and variance not. 0 MACs.
        ['bn1', 'BatchNormalization', s, 64, 32, 0, 'tfjs'],
        ['relu1', 'Activation', s, 0, 0, 0, 'tfjs'],
        // Depthwise: Hout·Wout·Cin·multiplier·kh·kw = 32·32·16·1·9; params 3·3·16 + 16.
        ['dw', 'DepthwiseConv2D', s, 160, 160, 32 * 32 * 16 * 9, 'tfjs'],
        // Pointwise 1×1: 32·32·16·16; params 16·16 + 16.
        ['pw', 'Conv2D', s, 272, 272, 32 * 32 * 16 * 16, 'tfjs'],
        ['add', 'Add', s, 0, 0, 0, 'tfjs'],
        ['pool', 'MaxPooling2D', [null, 16, 16, 16], 0, 0, 0, 'tfjs'],
        // Separable: depthwise 16·16·16·9 + pointwise 16·16·16·32; params 3·3·16 + 16·32 + 32.
        ['sep', 'SeparableConv2D', [null, 16, 16, 32], 688, 688, 16 * 16 * 16 * 9 + 16 * 16 * 16 * 32, 'tfjs'],
        ['gap', 'GlobalAveragePooling2D', [null, 32], 0, 0, 0, 'tfjs'],
        ['logits', 'Dense', [null, 10], 330, 330, 32 * 10, 'tfjs'],
      ]);
      assert.equal(analysis.parameters, 1962);
      assert.equal(analysis.trainableParameters, 1930);
      assert.equal(analysis.totalMacs, 1_020_224);
      assert.deepEqual(analysis.notes, []);
    });

    it('a Keras 2 recurrent model (.h5): Embedding, Bidirectional LSTM, GRU with reset_after, TimeDistributed', async () => {
      const analysis = await analysed(path.join(KERAS, 'recurrent.h5'), backend);
      assert.deepEqual(table(analysis), [
        ['embedding_input', 'InputLayer', [null, 20], 0, 0, 0, 'tfjs'],
        ['embedding', 'Embedding', [null, 20, 16], 16_000, 16_000, 0, 'tfjs'],
        // LSTM per direction: 20 steps × 4 gates × 16 units × (16 inputs + 16 units); params 4·16·(16+16) + 4·16.
        ['bidirectional', 'Bidirectional', [null, 20, 32], 2 * 2112, 2 * 2112, 2 * 20 * 4 * 16 * 32, 'tfjs'],
        // GRU: 20 × 3 gates × 8 × (32 + 8); params 3·8·(32+8) + 2·3·8 (Keras's reset_after keeps two biases).
        ['gru', 'GRU', [null, 20, 8], 1008, 1008, 20 * 3 * 8 * 40, 'tfjs'],
        // Dense(4) on each of 20 steps: 20 × 8 × 4.
        ['time_distributed', 'TimeDistributed', [null, 20, 4], 36, 36, 20 * 8 * 4, 'tfjs'],
        ['flatten', 'Flatten', [null, 80], 0, 0, 0, 'tfjs'],
        ['dense_1', 'Dense', [null, 1], 81, 81, 80, 'tfjs'],
      ]);
      assert.equal(analysis.parameters, 21_349);
      assert.equal(analysis.totalMacs, 101_840);
      assert.deepEqual(analysis.notes, ["TensorFlow.js has no GRU with reset_after=True; 'gru' was built without it and its second bias (24 parameters) added to the count"]);
    });
  });
}

describe('layers TensorFlow.js cannot build', () => {
  it('names the unsupported layer, builds the layers before it and keeps the static numbers after it', async () => {
    const analysis = await analysed(path.join(KERAS, 'group_norm.keras'), 'cpu');
    assert.deepEqual(analysis.unsupported, [{ layer: 'group_normalization', className: 'GroupNormalization', reason: 'TensorFlow.js has no GroupNormalization layer' }]);
    assert.deepEqual(table(analysis), [
      ['input_layer', 'InputLayer', [null, 8], 0, 0, 0, 'tfjs'],
      ['dense', 'Dense', [null, 16], 144, 144, 8 * 16, 'tfjs'],
      ['group_normalization', 'GroupNormalization', undefined, 32, undefined, undefined, 'static'],
      ['dense_1', 'Dense', undefined, 68, undefined, undefined, 'static'],
    ]);
    assert.equal(analysis.parameters, 244);
    assert.equal(analysis.trainableParameters, undefined);
    assert.equal(analysis.totalMacs, 128);
    assert.equal(analysis.macsComplete, false);
    assert.deepEqual(analysis.notes, ["TensorFlow.js built the first 2 of 4 layers; the layers from 'group_normalization' on have the file's parameter counts only"]);
  });

  it('never builds a Lambda layer: it is named, and the model keeps its static numbers', async () => {
    const analysis = await analysed(path.join(KERAS, 'lambda_layer.h5'), 'cpu');
    assert.deepEqual(analysis.unsupported, [{ layer: 'shift', className: 'Lambda', reason: 'a Lambda layer holds Python bytecode; DL Doctor never loads or runs it' }]);
    assert.deepEqual(table(analysis), [
      ['dense', 'Dense', undefined, 16, undefined, undefined, 'static'],
      ['shift', 'Lambda', undefined, 0, undefined, undefined, 'static'],
    ]);
    assert.equal(analysis.totalMacs, undefined);
  });

  it('names a custom layer from a module outside Keras', async () => {
    const analysis = await analysed(path.join(KERAS, 'module_reference.keras'), 'cpu');
    assert.deepEqual(analysis.unsupported, [{ layer: '?', className: 'system', reason: "a custom layer from the Python module 'os', which only Python can build" }]);
    assert.deepEqual(analysis.layers.map((l) => [l.name, l.parameters, l.source]), [['dense', 12, 'static'], ['?', 0, 'static']]);
  });

  it('gives a typed error for a file that stores tensors, not layers', async () => {
    const file = path.join(FIXTURES, 'models/safetensors/mlp.safetensors');
    assert.deepEqual(await analyseModel({ file, prefer: ['cpu'] }), {
      ok: false,
      error: { file, kind: 'no-topology', message: 'no layer topology to analyse: mlp.safetensors is a safetensors file, which stores tensors, not Keras layers' },
    });
  });
});

describe('the analysis worker', () => {
  it('runs off the caller\'s thread on the fastest backend that starts, and says which', async () => {
    const result = await analyzeLayers(CHURN);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    let nativeInstalled = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      nativeInstalled = false;
    }
    assert.equal(result.analysis.backend, nativeInstalled ? 'tensorflow' : 'wasm');
    if (!nativeInstalled) assert.deepEqual(result.analysis.backendsSkipped, ['tensorflow: optional dependency @tensorflow/tfjs-node is not installed']);
    assert.equal(result.analysis.totalMacs, 2848);
  });

  it('ends the worker at the timeout with a typed error', async () => {
    assert.deepEqual(await analyzeLayers(CHURN, { timeoutMs: 50 }), {
      ok: false,
      error: { file: CHURN, kind: 'timeout', message: 'the layer analysis did not finish within 0.05 s' },
    });
  });

  it('ends the worker when cancelled, and does not start one for an already-cancelled request', async () => {
    const controller = new AbortController();
    const pending = analyzeLayers(CHURN, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const cancelled = { ok: false, error: { file: CHURN, kind: 'cancelled', message: 'the layer analysis was cancelled' } };
    assert.deepEqual(await pending, cancelled);
    assert.deepEqual(await analyzeLayers(CHURN, { signal: AbortSignal.abort() }), cancelled);
  });
});
