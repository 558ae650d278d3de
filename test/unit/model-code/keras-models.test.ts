import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadPythonParser } from '../../../src/engine/python/parser';
import { PythonFile } from '../../../src/engine/python/python-file';
import { analyseKerasModels, kerasModels } from '../../../src/engine/python/models/keras-models';
import { FIXTURES, py } from '../../support/engine';

const KERAS = path.join(FIXTURES, 'model-code/keras');

interface Truth {
  parameters: number;
  trainableParameters: number;
  outputShapes: (number | null)[][];
  macsPerSample: number | null;
}

const expected = JSON.parse(fs.readFileSync(path.join(KERAS, 'expected.json'), 'utf8')) as { models: Record<string, Truth[]> };

async function parse(source: string, file = '/w/train.py'): Promise<PythonFile> {
  const parser = await loadPythonParser();
  return new PythonFile(file, source, parser.parse(source), { roots: ['/w'], reader: { read: () => undefined }, parser, memo: new Map() });
}

async function estimates(source: string) {
  return kerasModels(await parse(source));
}

describe('Keras models from the code match TensorFlow.js building the same architectures', () => {
  for (const [name, truths] of Object.entries(expected.models)) {
    it(name, async () => {
      const source = fs.readFileSync(path.join(KERAS, name), 'utf8');
      const analyses = analyseKerasModels(await parse(source, path.join(KERAS, name)));
      assert.equal(analyses.length, truths.length, `models found in ${name}`);
      analyses.forEach(({ estimate, outputShapes }, i) => {
        const truth = truths[i];
        assert.deepEqual(estimate.parameters, { count: truth.parameters, exact: true }, estimate.notes.join('\n'));
        assert.equal(estimate.trainableParameters, truth.trainableParameters);
        assert.deepEqual(
          outputShapes.map((s) => s.dims),
          truth.outputShapes,
        );
        assert.equal(estimate.macsPerSample, truth.macsPerSample ?? undefined);
        assert.equal(estimate.framework, 'keras');
      });
    });
  }

  it('reports the range of the expression that builds the model, its input shape and its notes', async () => {
    const source = fs.readFileSync(path.join(KERAS, 'mnist_convnet.py'), 'utf8');
    const [estimate] = kerasModels(await parse(source));
    const lines = source.split('\n');
    assert.ok(lines[estimate.range.start.line].slice(estimate.range.start.character).startsWith('keras.Sequential('));
    assert.equal(lines[estimate.range.end.line].slice(0, estimate.range.end.character), ')');
    assert.deepEqual(estimate.inputShape, [28, 28, 1]);
    assert.equal(estimate.name, 'Sequential');
    assert.equal(estimate.pretrained, false);
    assert.ok(estimate.notes.some((n) => n.includes('channels last')));
    assert.ok(estimate.notes.some((n) => n.startsWith('MACs count')));
  });

  it('says that BatchNormalization moving statistics are in the count and do not train', async () => {
    const source = fs.readFileSync(path.join(KERAS, 'mlp_batchnorm.py'), 'utf8');
    const [estimate] = kerasModels(await parse(source));
    // 2 × (256 + 128) moving means and variances.
    assert.equal(estimate.parameters.count - estimate.trainableParameters!, 768);
    assert.ok(estimate.notes.some((n) => n.includes('768 non-trainable BatchNormalization')));
    assert.ok(estimate.notes.some((n) => n.includes('--hidden default')), estimate.notes.join('\n'));
  });
});

describe('Keras layers: formulas the fixtures do not reach, arithmetic spelled out', () => {
  it('grouped Conv2D divides the input channels by groups', async () => {
    const [e] = await estimates(py`
      from tensorflow import keras
      m = keras.Sequential([keras.Input((16, 16, 8)), keras.layers.Conv2D(16, 3, groups=4, padding="same")])
    `);
    assert.deepEqual(e.parameters, { count: 3 * 3 * (8 / 4) * 16 + 16, exact: true });
    assert.equal(e.macsPerSample, 16 * 16 * 16 * 9 * 2);
  });

  it('GRU with reset_after=False has one bias; Bidirectional(merge_mode="sum") keeps the units', async () => {
    const [e] = await estimates(py`
      import tensorflow as tf
      inp = tf.keras.Input(shape=(10, 4))
      out = tf.keras.layers.Bidirectional(tf.keras.layers.GRU(8, reset_after=False), merge_mode="sum")(inp)
      out = tf.keras.layers.Dense(3)(out)
      model = tf.keras.Model(inp, out)
    `);
    assert.deepEqual(e.parameters, { count: 2 * 3 * (4 * 8 + 8 * 8 + 8) + (8 * 3 + 3), exact: true });
  });

  it('MultiHeadAttention: query, key and value projections plus the output projection', async () => {
    const [e] = await estimates(py`
      import keras
      from keras import layers
      x = keras.Input(shape=(20, 32))
      y = layers.MultiHeadAttention(num_heads=4, key_dim=16)(x, x)
      model = keras.Model(x, y)
    `);
    assert.deepEqual(e.parameters, { count: 3 * (32 * 4 * 16 + 4 * 16) + (4 * 16 * 32 + 32), exact: true });
    assert.equal(e.macsPerSample, undefined);
  });

  it('Conv1D with causal padding keeps the length; Conv2D with channels_first reads channels from axis 1', async () => {
    const [a, b] = await estimates(py`
      from tensorflow import keras
      from tensorflow.keras import layers
      a = keras.Sequential([layers.Conv1D(8, 4, padding="causal", dilation_rate=2, input_shape=(100, 3)), layers.Flatten(), layers.Dense(1)])
      b = keras.Sequential([layers.Conv2D(4, 3, data_format="channels_first", input_shape=(2, 10, 10)), layers.Flatten(), layers.Dense(1)])
    `);
    assert.equal(a.parameters.count, 4 * 3 * 8 + 8 + (100 * 8 + 1));
    assert.equal(b.parameters.count, 9 * 2 * 4 + 4 + (4 * 8 * 8 + 1));
  });
});

describe('Keras models that only partly resolve', () => {
  it('a Sequential without an input shape gives a lower bound from the layers after the first', async () => {
    const [e] = await estimates(py`
      from tensorflow.keras import Sequential
      from tensorflow.keras.layers import Dense
      model = Sequential()
      model.add(Dense(64, activation="relu"))
      model.add(Dense(10))
      model.fit(x_train, y_train)
    `);
    assert.deepEqual(e.parameters, { count: 64 * 10 + 10, exact: false });
    assert.equal(e.macsPerSample, undefined);
    assert.equal(e.trainableParameters, undefined);
    assert.ok(e.notes.some((n) => n.startsWith('no input shape in the code')));
  });

  it('units that do not resolve are named, and only the known layers count', async () => {
    const [e] = await estimates(py`
      import keras
      def build_model(hp):
          model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(32), keras.layers.Dense(hp.Int("units", 32, 512)), keras.layers.Dense(5)])
          return model
    `);
    assert.deepEqual(e.parameters, { count: 20 * 32 + 32, exact: false });
    assert.ok(e.notes.some((n) => n.includes('line 3') && n.includes('units=hp.Int("units", 32, 512)')), e.notes.join('\n'));
    assert.ok(e.notes[0].startsWith('at least 672 parameters'));
  });

  it('gives no estimate when nothing of the model resolves', async () => {
    const result = await estimates(py`
      import keras
      def build_model(hp):
          return keras.Sequential([keras.layers.Dense(hp.Int("units", 32, 512)), keras.layers.Dense(5)])
    `);
    assert.deepEqual(result, []);
  });

  it('a wrapped keras.applications model is named, not counted, and marks the estimate pretrained', async () => {
    const [e] = await estimates(py`
      from tensorflow import keras
      base = keras.applications.ResNet50(weights="imagenet", include_top=False, input_shape=(224, 224, 3))
      base.trainable = False
      inputs = keras.Input(shape=(224, 224, 3))
      x = base(inputs, training=False)
      x = keras.layers.GlobalAveragePooling2D()(x)
      x = keras.layers.Dense(256, activation="relu")(x)
      outputs = keras.layers.Dense(10)(x)
      model = keras.Model(inputs, outputs)
    `);
    assert.deepEqual(e.parameters, { count: 256 * 10 + 10, exact: false });
    assert.equal(e.pretrained, true);
    assert.ok(e.notes.some((n) => n.includes('keras.applications.ResNet50')), e.notes.join('\n'));
  });

  it('a custom layer stops the count at that point and is named', async () => {
    const [e] = await estimates(py`
      import tensorflow as tf
      class Scale(tf.keras.layers.Layer):
          def call(self, x):
              return x * 2.0
      inputs = tf.keras.Input(shape=(8,))
      x = tf.keras.layers.Dense(4)(inputs)
      x = Scale()(x)
      outputs = tf.keras.layers.Dense(2)(x)
      model = tf.keras.Model(inputs, outputs)
    `);
    assert.deepEqual(e.parameters, { count: 8 * 4 + 4, exact: false });
    assert.ok(e.notes.some((n) => n.includes('Scale is not a layer DL Doctor counts')), e.notes.join('\n'));
  });

  it('a layer added under a condition that does not resolve makes the count a lower bound', async () => {
    const [e] = await estimates(py`
      import sys
      from tensorflow import keras
      model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(8)])
      if len(sys.argv) > 2:
          model.add(keras.layers.Dense(8))
      model.add(keras.layers.Dense(1))
    `);
    assert.equal(e.parameters.exact, false);
    assert.ok(e.notes.some((n) => n.includes('line 5') && n.includes('a layer is added where')), e.notes.join('\n'));
  });

  it('a subclassed model whose call() does not resolve gives no number claimed as exact', async () => {
    const result = await estimates(py`
      import tensorflow as tf
      class Net(tf.keras.Model):
          def __init__(self):
              super().__init__()
              self.d = tf.keras.layers.Dense(4)
          def call(self, x):
              return tf.nn.relu(self.d(x))
      model = Net()
    `);
    assert.ok(result.every((e) => !e.parameters.exact));
  });

  it('a subclassed model without model.build counts only what does not depend on the input', async () => {
    const [e] = await estimates(py`
      import tensorflow as tf
      class Net(tf.keras.Model):
          def __init__(self):
              super().__init__()
              self.a = tf.keras.layers.Dense(16)
              self.b = tf.keras.layers.Dense(4)
          def call(self, x):
              return self.b(self.a(x))
      model = Net()
    `);
    assert.deepEqual(e.parameters, { count: 16 * 4 + 4, exact: false });
    assert.equal(e.name, 'Net');
  });

  it('a model whose builder is called with another argument does not assume the default', async () => {
    const result = await estimates(py`
      import keras
      def build(units=64):
          return keras.Sequential([keras.Input((10,)), keras.layers.Dense(units)])
      model = build(units=128)
    `);
    assert.equal(result.length, 1);
    assert.deepEqual(result[0].parameters, { count: 10 * 128 + 128, exact: true });
  });
});

describe('Keras models from bad input', () => {
  it('a loop of 10**9 iterations adding layers is not unrolled: lower bound, quickly', async () => {
    const started = performance.now();
    const [e] = await estimates(py`
      from tensorflow import keras
      model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
      for i in range(10**9):
          model.add(keras.layers.Dense(4))
    `);
    assert.ok(performance.now() - started < 2000);
    assert.deepEqual(e.parameters, { count: 20, exact: false });
    assert.ok(e.notes.some((n) => n.includes('loop on line 3')), e.notes.join('\n'));
  });

  it('huge dimensions and recursion give no wrong number', async () => {
    const result = await estimates(py`
      from tensorflow import keras
      huge = keras.Sequential([keras.Input((10**12,)), keras.layers.Dense(10**12)])
      def f(x):
          return f(x)
      inputs = keras.Input((3,))
      outputs = keras.layers.Dense(2)(f(inputs))
      rec = keras.Model(inputs, outputs)
    `);
    for (const e of result) assert.equal(e.parameters.exact, false);
  });

  it('files without Keras, and scripts that never build a model, give nothing', async () => {
    assert.deepEqual(await estimates('import torch\nmodel = torch.nn.Linear(2, 2)\n'), []);
    assert.deepEqual(await estimates('from tensorflow import keras\nmodel = keras.models.load_model("m.keras")\n'), []);
    assert.deepEqual(await estimates('from tensorflow import keras\nmodel = keras.Sequential(\n'), []);
  });
});
