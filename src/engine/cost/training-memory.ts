/**
 * Memory to train a model in fp32 with a given optimizer: weights, gradients and optimizer state,
 * per parameter. Activations depend on batch size and architecture and are not included.
 * SGD with momentum keeps one buffer per parameter (4 + 4 + 4 = 12 B); Adam and AdamW keep two
 * moments (4 + 4 + 8 = 16 B). Source: Rajbhandari et al., "ZeRO: Memory Optimizations Toward
 * Training Trillion Parameter Models" (SC 2020), section 3.1, which counts model states the same way.
 */
export const BYTES_PER_PARAMETER = { sgdMomentum: 12, adam: 16 } as const;

export interface TrainingMemory {
  sgdMomentumBytes: number;
  adamBytes: number;
}

export function trainingMemory(parameters: number): TrainingMemory {
  return { sgdMomentumBytes: parameters * BYTES_PER_PARAMETER.sgdMomentum, adamBytes: parameters * BYTES_PER_PARAMETER.adam };
}

/** "124.4M", "1.2B", "25,000": parameter counts as people say them. */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  return n.toLocaleString('en-US');
}

/** Decimal units, as GPU memory is sold. */
export function formatGB(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e3).toFixed(1)} KB`;
}
