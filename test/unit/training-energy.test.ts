import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GPUS } from '../../src/engine/cost/gpus';
import { trainingEnergy } from '../../src/engine/cost/training-energy';

describe('training energy and emissions (Lacoste et al. 2019 method)', () => {
  it('ResNet-18 at 224×224 for 30 epochs of 50,000 images on an A100: FLOPs, hours, kWh and kg CO2e from first principles', () => {
    const energy = trainingEnergy({ macsPerSample: 1_814_073_344, samples: 50_000, epochs: 30, gpu: 'A100', gridIntensity: 480 });
    // 2 FLOPs per MAC × 3 passes × 1.814 GMAC × 50,000 × 30 = 1.633e16 FLOPs
    assert.equal(energy.flops, 2 * 3 * 1_814_073_344 * 50_000 * 30);
    // at 19.5 TFLOPS × 30% = 5.85e12 FLOP/s: 2,791 s; × 400 W = 0.31 kWh; × 480 g/kWh = 0.149 kg
    assert.equal(Math.round(energy.seconds), 2791);
    assert.equal(energy.kWh.toFixed(3), '0.310');
    assert.equal(energy.kgCO2e.toFixed(3), '0.149');
    assert.deepEqual(energy.assumptions.slice(1), [
      'time = FLOPs / (NVIDIA A100 SXM 19.5 TFLOPS fp32 × 30% utilisation) ≈ 47 min',
      'energy = 400 W (board power) × time ≈0.31 kWh; CPU, memory and cooling not included',
      'emissions = energy × 480 gCO2e/kWh (`dlDoctor.cost.gridIntensity`) ≈0.15 kg CO2e (method: Lacoste et al. 2019, ML CO2 Impact)',
    ]);
  });

  it('scales with the GPU: an H100 is faster but draws more power', () => {
    const input = { macsPerSample: 4e9, samples: 1_281_167, epochs: 90, gridIntensity: 480 } as const;
    const a100 = trainingEnergy({ ...input, gpu: 'A100' });
    const h100 = trainingEnergy({ ...input, gpu: 'H100' });
    assert.equal((a100.seconds / h100.seconds).toFixed(6), (GPUS.H100.fp32Flops / GPUS.A100.fp32Flops).toFixed(6));
    assert.equal((h100.kWh / a100.kWh).toFixed(3), ((700 / 67) / (400 / 19.5)).toFixed(3));
  });
});
