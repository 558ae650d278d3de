import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeTopology, TopologyError, type TfjsVocabulary } from '../../src/engine/tf/keras-config';

/** The vocabulary of a small TensorFlow.js: enough layer classes and activations for these configs. */
const TFJS: TfjsVocabulary = {
  isLayerClass: (name) => ['InputLayer', 'Dense', 'Conv2D', 'GlobalAveragePooling2D', 'Concatenate'].includes(name),
  isActivation: (name) => ['relu', 'linear', 'hardSigmoid'].includes(name),
};

const dense = (name: string, extra: Record<string, unknown> = {}) => ({ module: 'keras.layers', class_name: 'Dense', config: { name, units: 4, ...extra }, registered_name: null });
const input = { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', name: 'in' }, registered_name: null };

describe('Keras configs for tfjs-layers', () => {
  it('cuts a Sequential model before a Lambda layer, so the Lambda never reaches TensorFlow.js', () => {
    const lambda = { module: 'keras.layers', class_name: 'Lambda', config: { name: 'shift', function: { class_name: '__lambda__', config: { code: '4wEAAAAAAAAA' } } } };
    const topology = normalizeTopology({ class_name: 'Sequential', config: { name: 's', layers: [input, dense('d1'), lambda, dense('d2')] } }, TFJS);
    assert.equal(topology.builtLayers, 2);
    assert.deepEqual(topology.unsupported, [{ layer: 'shift', className: 'Lambda', reason: 'a Lambda layer holds Python bytecode; DL Doctor never loads or runs it' }]);
    assert.doesNotMatch(JSON.stringify(topology.config), /Lambda|__lambda__|4wEAAAAAAAAA/);
    assert.deepEqual((topology.config!.config as { layers: { config: unknown }[] }).layers[0].config, { batch_input_shape: [null, 3], dtype: 'float32', name: 'in' });
  });

  it('builds nothing of a functional model with an unsupported layer', () => {
    const topology = normalizeTopology(
      { class_name: 'Functional', config: { name: 'f', layers: [{ ...input, name: 'in', inbound_nodes: [] }, { ...dense('d', { groups: 2 }), class_name: 'Conv2D', name: 'd', inbound_nodes: [] }], input_layers: ['in', 0, 0], output_layers: ['d', 0, 0] } },
      TFJS,
    );
    assert.equal(topology.config, undefined);
    assert.deepEqual(topology.unsupported, [{ layer: 'd', className: 'Conv2D', reason: 'grouped convolution (groups=2) is not in TensorFlow.js' }]);
  });

  it('turns Keras 3 nodes, dict inputs and dtype policies into the Keras 2 form', () => {
    const tensor = (layer: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: [layer, 0, 0] } });
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' }, registered_name: null };
    const topology = normalizeTopology(
      {
        class_name: 'Functional',
        config: {
          name: 'f',
          layers: [
            { ...input, name: 'b', config: { ...input.config, name: 'b' }, inbound_nodes: [] },
            { ...input, name: 'a', config: { ...input.config, name: 'a' }, inbound_nodes: [] },
            { module: 'keras.layers', class_name: 'Concatenate', name: 'cat', config: { name: 'cat', axis: -1, dtype: policy }, inbound_nodes: [{ args: [[tensor('a'), tensor('b')]], kwargs: {} }] },
          ],
          input_layers: { b: ['b', 0, 0], a: ['a', 0, 0] },
          output_layers: ['cat', 0, 0],
        },
      },
      TFJS,
    );
    const config = topology.config!.config as { layers: { inbound_nodes: unknown; config: { dtype?: string } }[]; input_layers: unknown; output_layers: unknown };
    assert.deepEqual(config.layers[2].inbound_nodes, [[['a', 0, 0, {}], ['b', 0, 0, {}]]]);
    assert.equal(config.layers[2].config.dtype, 'float32');
    assert.deepEqual(config.input_layers, [['a', 0, 0], ['b', 0, 0]]);
    assert.deepEqual(config.output_layers, [['cat', 0, 0]]);
  });

  it('leaves out an activation TensorFlow.js lacks, and says so', () => {
    const topology = normalizeTopology({ class_name: 'Sequential', config: { layers: [input, dense('d', { activation: 'silu' }), dense('e', { activation: 'hard_sigmoid' })] } }, TFJS);
    assert.deepEqual(topology.notes, ["activation 'silu' of 'd' is not in TensorFlow.js; it changes neither shapes nor MACs, so it was left out"]);
    const layers = (topology.config!.config as { layers: { config: { activation?: string } }[] }).layers;
    assert.deepEqual(layers.map((l) => l.config.activation), [undefined, 'linear', 'hard_sigmoid']);
  });

  it('refuses what is not a Keras model config', () => {
    assert.throws(() => normalizeTopology({ class_name: 'Dense', config: {} }, TFJS), new TopologyError('the stored config describes a Dense, not a Sequential or functional Keras model'));
    assert.throws(() => normalizeTopology([1, 2], TFJS), new TopologyError('the stored config is not a JSON object'));
  });
});
