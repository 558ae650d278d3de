import type { Node } from 'web-tree-sitter';
import type { DatasetEstimate } from '../../data/dataset-estimate';
import type { PythonFile } from '../python-file';

/**
 * The data set a script's models train on, for the data rules: the one with the most training samples
 * when several resolve (a script that loads train and test separately has both), so a rule compares a
 * model with the largest amount of data it may see and errs towards silence.
 */
export function trainingData(datasets: readonly DatasetEstimate[]): (DatasetEstimate & { trainSamples: number }) | undefined {
  let best: (DatasetEstimate & { trainSamples: number }) | undefined;
  for (const d of datasets) {
    if (d.trainSamples !== undefined && d.trainSamples > 0 && (!best || d.trainSamples > best.trainSamples)) best = d as DatasetEstimate & { trainSamples: number };
  }
  return best;
}

/** Calls that show a script trains (not only evaluates): a backward pass or a framework's fit/train loop. */
const TRAINING_CALLS = new Set(['backward', 'fit', 'train_on_batch', 'fit_generator']);

/** Whether the script trains a model: `loss.backward()`, `model.fit(...)`, Lightning's `trainer.fit`, a transformers `Trainer`. */
export function trainsModel(file: PythonFile): boolean {
  for (const call of file.calls) {
    const tail = file.calleeTail(call);
    if (tail && TRAINING_CALLS.has(tail)) return true;
    if (tail === 'Trainer' && file.calleeName(call) === 'transformers.Trainer') return true;
  }
  return false;
}

/** Calls that put trained weights into a model the script built (`model.load_state_dict(torch.load(...))`). */
const LOADS_WEIGHTS = new Set(['load_state_dict', 'load_weights', 'load_model', 'load_from_checkpoint']);

/**
 * The first call that may load trained weights into a model, other than the constructors the estimates
 * already read (`from_pretrained`, `weights=`): a model it fills is not trained from scratch.
 */
export function weightsLoad(file: PythonFile): Node | undefined {
  return file.calls.find((call) => LOADS_WEIGHTS.has(file.calleeTail(call) ?? '') || file.calleeName(call) === 'torch.load');
}
