/**
 * GPUs the cost estimate can assume, with their board power and dense fp32 throughput (no tensor cores,
 * no sparsity), from the vendors' datasheets:
 * - T4: NVIDIA T4 Tensor Core GPU datasheet — 70 W, 8.1 TFLOPS FP32.
 * - V100: NVIDIA Tesla V100 datasheet, SXM2 — 300 W, 15.7 TFLOPS FP32.
 * - A100: NVIDIA A100 Tensor Core GPU datasheet, SXM — 400 W, 19.5 TFLOPS FP32.
 * - RTX 3090: NVIDIA Ampere GA102 GPU architecture whitepaper (GeForce RTX 3090) — 350 W, 35.6 TFLOPS FP32.
 * - RTX 4090: NVIDIA Ada Lovelace GPU architecture whitepaper (GeForce RTX 4090) — 450 W, 82.6 TFLOPS FP32.
 * - H100: NVIDIA H100 Tensor Core GPU datasheet, SXM — 700 W, 67 TFLOPS FP32.
 */
export interface Gpu {
  id: GpuId;
  name: string;
  /** Thermal design power, watts. */
  watts: number;
  /** Peak dense fp32 throughput, FLOP/s. */
  fp32Flops: number;
}

export const GPU_IDS = ['T4', 'V100', 'A100', 'RTX 3090', 'RTX 4090', 'H100'] as const;
export type GpuId = (typeof GPU_IDS)[number];

export const GPUS: Readonly<Record<GpuId, Gpu>> = {
  T4: { id: 'T4', name: 'NVIDIA T4', watts: 70, fp32Flops: 8.1e12 },
  V100: { id: 'V100', name: 'NVIDIA V100 SXM2', watts: 300, fp32Flops: 15.7e12 },
  A100: { id: 'A100', name: 'NVIDIA A100 SXM', watts: 400, fp32Flops: 19.5e12 },
  'RTX 3090': { id: 'RTX 3090', name: 'NVIDIA GeForce RTX 3090', watts: 350, fp32Flops: 35.6e12 },
  'RTX 4090': { id: 'RTX 4090', name: 'NVIDIA GeForce RTX 4090', watts: 450, fp32Flops: 82.6e12 },
  H100: { id: 'H100', name: 'NVIDIA H100 SXM', watts: 700, fp32Flops: 67e12 },
};

export const DEFAULT_GPU: GpuId = 'A100';

export function isGpuId(value: unknown): value is GpuId {
  return typeof value === 'string' && (GPU_IDS as readonly string[]).includes(value);
}

/**
 * World-average carbon intensity of electricity generation, 2023: 480 gCO2e/kWh (Ember, "Global
 * Electricity Review 2024"). Users set their own region's figure in `dlDoctor.cost.gridIntensity`.
 */
export const DEFAULT_GRID_INTENSITY = 480;
