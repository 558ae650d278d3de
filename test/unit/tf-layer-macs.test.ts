import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layerCallMacs } from '../../src/engine/tf/layer-macs';

/** Formulas the fixture models do not reach, with the arithmetic spelled out. */
describe('MACs per layer call', () => {
  it('Conv1D: output steps × filters × kernel × input channels', () => {
    assert.equal(layerCallMacs('Conv1D', { filters: 8, kernelSize: [5] }, [[null, 100, 3]], [[null, 96, 8]]), 96 * 8 * 5 * 3);
  });

  it('Conv2D in channels_first layout reads channels from axis 1', () => {
    const config = { filters: 4, kernelSize: [3, 3], dataFormat: 'channelsFirst' };
    assert.equal(layerCallMacs('Conv2D', config, [[null, 2, 10, 10]], [[null, 4, 8, 8]]), 8 * 8 * 4 * 3 * 3 * 2);
  });

  it('Conv2DTranspose: input positions × input channels × kernel area × filters', () => {
    assert.equal(layerCallMacs('Conv2DTranspose', { filters: 6, kernelSize: [2, 2] }, [[null, 7, 7, 3]], [[null, 14, 14, 6]]), 7 * 7 * 3 * 4 * 6);
  });

  it('SimpleRNN and LSTM: timesteps × gates × units × (inputs + units)', () => {
    assert.equal(layerCallMacs('SimpleRNN', { units: 10 }, [[null, 5, 4]], [[null, 10]]), 5 * 1 * 10 * 14);
    assert.equal(layerCallMacs('LSTM', { units: 10 }, [[null, 5, 4]], [[null, 10]]), 5 * 4 * 10 * 14);
  });

  it('ConvLSTM2D: timesteps × 4 × output positions × filters × kernel area × (input channels + filters)', () => {
    const macs = layerCallMacs('ConvLSTM2D', { filters: 2, kernelSize: [3, 3] }, [[null, 6, 8, 8, 1]], [[null, 6, 8, 8, 2]]);
    assert.equal(macs, 6 * 4 * 64 * 2 * 9 * 3);
  });

  it('Dot: output elements × contracted length', () => {
    assert.equal(layerCallMacs('Dot', { axes: [2, 2] }, [[null, 5, 16], [null, 7, 16]], [[null, 5, 7]]), 35 * 16);
  });

  it('gives no count when a dimension besides the batch is unknown, or for a layer without a formula', () => {
    assert.equal(layerCallMacs('LSTM', { units: 10 }, [[null, null, 4]], [[null, 10]]), undefined);
    assert.equal(layerCallMacs('Conv2D', { filters: 4, kernelSize: [3, 3] }, [[null, null, null, 3]], [[null, null, null, 4]]), undefined);
    assert.equal(layerCallMacs('Attention', {}, [[null, 4, 4]], [[null, 4, 4]]), undefined);
  });
});
