import type { ModelEstimate } from '../../../cost/model-estimate';
import type { PythonFile } from '../../python-file';
import type { Tally } from './graph';
import { FunctionalModel } from './functional';
import type { RegisteredModel } from './interpreter';
import { SequentialModel } from './sequential';
import { closed, formatShape, UNKNOWN_SHAPE, type Shape } from './shapes';
import { SubclassedModel } from './subclassed';

/** A model estimate with the output shapes DL Doctor worked out (the tests compare them with TensorFlow.js'). */
export interface KerasModelAnalysis {
  estimate: ModelEstimate;
  inputShapes: Shape[];
  outputShapes: Shape[];
}

export const MACS_NOTE =
  'MACs count the weight multiplications of Dense, convolution (incl. depthwise, separable, transposed) and recurrent layers per sample; pooling, activations, normalisation and merges count 0';

/** Turns a followed model into the estimate the rules, the code lens and the CLI read. */
export function estimateModel(file: PythonFile, registered: RegisteredModel, budgetExceeded: boolean): KerasModelAnalysis | undefined {
  const { model } = registered;
  const notes: string[] = [];
  let inputs: Shape[];
  if (model instanceof SequentialModel) {
    const declared = model.declaredInput();
    const first = model.entries[0];
    if (declared) inputs = [declared];
    else if (first?.kind === 'layer' && first.layer.className === 'Embedding') {
      // An Embedding's weights do not depend on the input; the layers after it only need its output
      // size. A (batch, sequence) input of unknown length is what every valid use feeds it.
      inputs = [closed([null])];
      notes.push('no input shape in the code: assumed integer sequences of unknown length for the first Embedding (the MACs need the length)');
    } else {
      inputs = [UNKNOWN_SHAPE];
      notes.push('no input shape in the code (no keras.Input, input_shape= or model.build): the first layer’s input size comes from the training data');
    }
  } else if (model instanceof FunctionalModel) {
    inputs = model.inputs.map((t) => t.shape);
  } else if (model instanceof SubclassedModel) {
    inputs = [model.buildShape ?? UNKNOWN_SHAPE];
    if (!model.buildShape) notes.push('no model.build(input_shape) in the code: layers whose weights depend on the input size do not resolve');
  } else return undefined;

  const { outputs, tally } = model.apply(inputs, 0);
  const count = countParameters(tally);
  const exact = count.exact && !budgetExceeded;
  if (!exact && count.total === 0) return undefined;

  notes.unshift(
    exact
      ? `parameters counted from the code as Keras' count_params() reports them (${tally.layers.size} layers)`
      : `at least ${count.total.toLocaleString('en-US')} parameters: part of the model does not resolve from the code`,
  );
  if (count.nonTrainable > 0) {
    notes.push(`includes ${count.nonTrainable.toLocaleString('en-US')} non-trainable BatchNormalization moving means and variances, as Keras counts them`);
  }
  if (registered.assumed) notes.push(registered.assumed);
  if (budgetExceeded) notes.push('the script is larger than DL Doctor follows: the count stops where it stopped');
  for (const problem of tally.problems.slice(0, 8)) notes.push(`not resolved: ${problem}`);
  if (tally.problems.length > 8) notes.push(`… and ${tally.problems.length - 8} more parts that do not resolve`);
  if (inputs.length === 1 && !inputs[0].open) notes.push(`input shape ${formatShape(inputs[0])}, channels last as Keras writes it`);
  else if (inputs.length > 1) notes.push(`inputs ${inputs.map(formatShape).join(', ')}, channels last as Keras writes them`);
  const vias = [...new Set([...tally.layers].flatMap((l) => l.vias))];
  if (vias.length) notes.push(`values from ${vias.slice(0, 6).join('; ')}`);
  for (const name of tally.pretrained) notes.push(`wraps the pretrained ${name}, not counted here`);

  const macs = exact && tally.macs !== undefined ? tally.macs : undefined;
  if (macs !== undefined) notes.push(MACS_NOTE);
  const single = inputs.length === 1 && !inputs[0].open && inputs[0].dims.every((d) => d !== null) ? (inputs[0].dims as number[]) : undefined;
  const estimate: ModelEstimate = {
    range: file.range(model.node),
    name: model.name,
    framework: 'keras',
    parameters: { count: count.total, exact },
    ...(exact ? { trainableParameters: count.trainable } : {}),
    ...(macs !== undefined ? { macsPerSample: macs } : {}),
    ...(single ? { inputShape: single } : {}),
    pretrained: tally.pretrained.size > 0,
    notes,
  };
  return { estimate, inputShapes: inputs, outputShapes: outputs };
}

function countParameters(tally: Tally): { total: number; trainable: number; nonTrainable: number; exact: boolean } {
  let total = 0;
  let trainable = 0;
  let nonTrainable = 0;
  let exact = tally.problems.length === 0;
  for (const layer of tally.layers) {
    if (layer.params === undefined) {
      exact = false;
      continue;
    }
    total += layer.params;
    nonTrainable += layer.nonTrainable ?? 0;
    if (layer.trainable) trainable += layer.params - (layer.nonTrainable ?? 0);
  }
  if (!Number.isSafeInteger(total)) return { total: 0, trainable: 0, nonTrainable: 0, exact: false };
  return { total, trainable, nonTrainable, exact };
}
