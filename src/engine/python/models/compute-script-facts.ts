import { datasetEstimates } from '../../data/dataset-estimates';
import type { PythonFile } from '../python-file';
import { estimateModels } from './estimate-models';
import type { ScriptFacts } from './script-facts';
import { trainingLength } from './training-length';

/**
 * Works out what a script builds, trains on and for how long. Data sets first (they may read files), so
 * the PyTorch estimate can count MACs at the data's sample shape.
 */
export async function computeScriptFacts(file: PythonFile): Promise<ScriptFacts> {
  const datasets = await datasetEstimates(file);
  const sampleShape = datasets.find((d) => d.inputShape)?.inputShape;
  const models = estimateModels(file, sampleShape);
  const training = models.length ? trainingLength(file) : undefined;
  return { models, datasets, ...(training ? { training } : {}) };
}
