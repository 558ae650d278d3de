import { GPUS, type GpuId } from './gpus';

/**
 * Share of the GPU's peak fp32 throughput a training run sustains. 30% is a round, middle-of-the-road
 * figure: large language model runs report 21% (GPT-3) to 46% (PaLM) model FLOPs utilisation
 * (Chowdhery et al. 2022, "PaLM", table 3); small models with data loading in the loop often do worse. It is shown with every estimate.
 */
export const UTILISATION = 0.3;
/** A backward pass costs about twice the forward one: training ≈ 3 × forward FLOPs (Kaplan et al. 2020, section 2.1). */
export const TRAINING_PASSES = 3;

export interface EnergyInput {
  macsPerSample: number;
  samples: number;
  epochs: number;
  gpu: GpuId;
  /** gCO2e per kWh. */
  gridIntensity: number;
}

export interface EnergyEstimate {
  /** Total training FLOPs: 2 FLOPs per MAC × 3 passes × MACs × samples × epochs. */
  flops: number;
  seconds: number;
  kWh: number;
  kgCO2e: number;
  /** Every assumption, one line each, for hovers. */
  assumptions: string[];
}

/**
 * Energy and emissions of a training run, following the ML CO2 Impact method (Lacoste et al. 2019,
 * "Quantifying the Carbon Emissions of Machine Learning"): GPU power × hours × the grid's carbon
 * intensity. Hours are not measured but derived from the work: FLOPs / (peak fp32 FLOP/s × utilisation).
 * Leaves out the CPU, memory, cooling (PUE) and idle time, so it is a floor for one GPU, not a bill.
 */
export function trainingEnergy(input: EnergyInput): EnergyEstimate {
  const gpu = GPUS[input.gpu];
  const flops = 2 * TRAINING_PASSES * input.macsPerSample * input.samples * input.epochs;
  const seconds = flops / (gpu.fp32Flops * UTILISATION);
  const kWh = (gpu.watts * seconds) / 3.6e6;
  const kgCO2e = (kWh * input.gridIntensity) / 1000;
  return {
    flops,
    seconds,
    kWh,
    kgCO2e,
    assumptions: [
      `training FLOPs = 2 × ${TRAINING_PASSES} (forward + backward) × ${formatMacs(input.macsPerSample)} × ${input.samples.toLocaleString('en-US')} samples × ${input.epochs.toLocaleString('en-US')} epochs ≈ ${flops.toExponential(2)}`,
      `time = FLOPs / (${gpu.name} ${(gpu.fp32Flops / 1e12).toFixed(1)} TFLOPS fp32 × ${Math.round(UTILISATION * 100)}% utilisation) ≈ ${formatDuration(seconds)}`,
      `energy = ${gpu.watts} W (board power) × time ${approx(formatKWh(kWh))}; CPU, memory and cooling not included`,
      `emissions = energy × ${input.gridIntensity} gCO2e/kWh (\`dlDoctor.cost.gridIntensity\`) ${approx(formatKg(kgCO2e))} (method: Lacoste et al. 2019, ML CO2 Impact)`,
    ],
  };
}

export function formatMacs(macs: number): string {
  if (macs >= 1e9) return `${(macs / 1e9).toFixed(macs >= 1e11 ? 0 : macs >= 1e10 ? 1 : 2)} GMAC`;
  if (macs >= 1e6) return `${(macs / 1e6).toFixed(1)} MMAC`;
  return `${Math.round(macs).toLocaleString('en-US')} MAC`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86400).toLocaleString('en-US')} days`;
}

/** "≈1.1 Wh", "<0.1 Wh": the approximate sign belongs to the number, and a tiny one is only bounded. */
export function approx(formatted: string): string {
  return formatted.startsWith('<') ? formatted : `≈${formatted}`;
}

export function formatKWh(kWh: number): string {
  if (kWh < 1e-4) return '<0.1 Wh';
  return kWh >= 10 ? `${Math.round(kWh).toLocaleString('en-US')} kWh` : kWh >= 0.01 ? `${kWh.toFixed(2)} kWh` : `${(kWh * 1000).toFixed(1)} Wh`;
}

export function formatKg(kg: number): string {
  if (kg < 1e-4) return '<0.1 g CO2e';
  return kg >= 10 ? `${Math.round(kg).toLocaleString('en-US')} kg CO2e` : kg >= 0.01 ? `${kg.toFixed(2)} kg CO2e` : `${(kg * 1000).toFixed(1)} g CO2e`;
}
