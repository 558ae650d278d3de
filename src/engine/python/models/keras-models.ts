import type { ModelEstimate } from '../../cost/model-estimate';
import type { PythonFile } from '../python-file';
import { estimateModel, type KerasModelAnalysis } from './keras/estimate';
import { KerasInterpreter } from './keras/interpreter';

/** Files that never name Keras build no Keras model: skip them without walking anything. */
const MENTIONS_KERAS = /\bkeras\b/;

/**
 * Keras / tf.keras models a script builds — `keras.Sequential([...])` and `model.add(...)`,
 * functional `keras.Model(inputs, outputs)`, subclasses of `keras.Model` — with their parameters,
 * MACs per sample and input shape, worked out from the code alone (see keras/interpreter.ts for what
 * is followed, keras/layer-catalog.ts for the layers). Models nested in another one (an encoder inside
 * an autoencoder) are reported as part of it.
 */
export function kerasModels(file: PythonFile): ModelEstimate[] {
  return analyseKerasModels(file).map((a) => a.estimate);
}

/** The estimates with the input and output shapes they were computed for. */
export function analyseKerasModels(file: PythonFile): KerasModelAnalysis[] {
  const cached = file.memo.get('keras-models');
  if (cached) return cached as KerasModelAnalysis[];
  const result = analyse(file);
  file.memo.set('keras-models', result);
  return result;
}

function analyse(file: PythonFile): KerasModelAnalysis[] {
  if (!MENTIONS_KERAS.test(file.text)) return [];
  const interpreter = new KerasInterpreter(file);
  interpreter.run();
  const byRange = new Map<string, KerasModelAnalysis>();
  for (const registered of interpreter.models) {
    if (registered.model.nested) continue;
    const key = `${registered.model.node.startIndex}:${registered.model.node.endIndex}`;
    const analysis = estimateModel(file, registered, interpreter.budgetExceeded);
    if (!analysis) continue;
    const previous = byRange.get(key);
    // The same code can build a model more than once (a function called twice): keep the first
    // build, and say when another one differed.
    if (!previous) byRange.set(key, analysis);
    else if (previous.estimate.parameters.count !== analysis.estimate.parameters.count && !previous.estimate.notes.some((n) => n.startsWith('built more than once'))) {
      previous.estimate.notes.push('built more than once in this file with different arguments; the first build is shown');
    }
  }
  return [...byRange.values()];
}
