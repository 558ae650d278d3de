import type { ModelEstimate } from '../../cost/model-estimate';
import type { PythonFile } from '../python-file';
import { knownArchitectures } from './known-architectures';
import { kerasModels } from './keras-models';
import { pytorchModels } from './pytorch-models';

/**
 * Every model a script builds that DL Doctor can size: catalogue architectures first (their counts are
 * exact tables), then the script's own PyTorch modules and Keras models. One estimate per construction;
 * `sampleShape` (one data sample, channels-first) lets the PyTorch estimate count MACs.
 */
export function estimateModels(file: PythonFile, sampleShape?: number[]): ModelEstimate[] {
  const found = [...knownArchitectures(file), ...pytorchModels(file, sampleShape), ...kerasModels(file)];
  return dedupe(found);
}

/** Two estimators may recognise the same call; the first (the more exact) keeps it. */
function dedupe(estimates: ModelEstimate[]): ModelEstimate[] {
  const seen = new Set<string>();
  return estimates.filter((e) => {
    const key = `${e.range.start.line}:${e.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
