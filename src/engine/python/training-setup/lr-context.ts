import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { bindingOf } from './config-values';

/**
 * Schedulers and code that replace the optimizer's learning rate rather than decay it: LambdaLR and
 * MultiplicativeLR multiply it by a user function (the Transformer's "Noam" schedule uses lr=1.0 as a
 * scale), OneCycleLR and CyclicLR set it from their own arguments, Keras' LearningRateScheduler sets it
 * every epoch, and `group["lr"] = …` / `optimizer.learning_rate = …` set it by hand.
 */
const REPLACING_SCHEDULERS = new Set(['LambdaLR', 'MultiplicativeLR', 'OneCycleLR', 'CyclicLR', 'LearningRateScheduler']);
const LR_NAMES = new Set(['lr', 'learning_rate', 'initial_lr']);

/** The first call or assignment in the file that sets learning rates itself, if any. */
export function learningRateReplaced(file: PythonFile): Node | undefined {
  for (const call of file.calls) {
    const tail = file.calleeTail(call) ?? '';
    if (REPLACING_SCHEDULERS.has(tail)) return call;
    // keras.backend.set_value(model.optimizer.lr, …), optimizer.learning_rate.assign(…)
    if (tail === 'set_value' || tail === 'assign') {
      const target = tail === 'assign' ? call.childForFieldName('function')?.childForFieldName('object') : file.positionalArguments(call)[0];
      if (target?.type === 'attribute' && LR_NAMES.has(target.childForFieldName('attribute')?.text ?? '')) return call;
    }
  }
  for (const assignment of file.assignments) {
    const left = assignment.childForFieldName('left');
    if (left?.type === 'subscript') {
      const key = file.evaluate(left.childForFieldName('subscript'))?.value;
      // `param_group["lr"] = …`; a config dict entry written once is handled by the value resolver instead.
      if (typeof key === 'string' && LR_NAMES.has(key) && /group|optim/i.test(left.childForFieldName('value')?.text ?? '')) return assignment;
    } else if (left?.type === 'attribute' && LR_NAMES.has(left.childForFieldName('attribute')?.text ?? '') && /optim/i.test(left.childForFieldName('object')?.text ?? '')) {
      return assignment;
    }
  }
  return undefined;
}

/** A pretrained transformer the script fine-tunes as a whole. */
export interface PretrainedModel {
  /** The `from_pretrained` call. */
  call: Node;
  /** The name the model is bound to (`model`), when it is a plain name. */
  variable?: string;
}

const MODEL_CLASS = /(Model|For[A-Z]\w*|LMHead\w*)$/;
/** T5-style models are fine-tuned at 1e-4 … 3e-4 with AdamW (Hugging Face T5 docs), outside the BERT range. */
const T5_LIKE = /t5|t0|bart|pegasus/i;

/**
 * The Hugging Face model the file loads with `from_pretrained` and fine-tunes in full — not a
 * tokenizer or config, not a T5-style seq2seq model, and not when the file freezes weights
 * (`requires_grad = False`, `trainable = False`) or trains adapters (`peft`), where larger rates are normal.
 */
export function fullyFineTunedTransformer(file: PythonFile): PretrainedModel | undefined {
  if (file.memo.has('fine-tuned-transformer')) return file.memo.get('fine-tuned-transformer') as PretrainedModel | undefined;
  const found = findFineTuned(file);
  file.memo.set('fine-tuned-transformer', found);
  return found;
}

function findFineTuned(file: PythonFile): PretrainedModel | undefined {
  if ([...file.imports.values()].some((b) => /^(peft|adapters|bitsandbytes)(\.|$)/.test(b.qualified))) return undefined;
  if (freezesWeights(file)) return undefined;
  for (const call of file.calls) {
    if (file.calleeTail(call) !== 'from_pretrained') continue;
    const name = file.calleeName(call);
    if (!name?.startsWith('transformers.')) continue;
    const klass = name.split('.').at(-2) ?? '';
    if (!MODEL_CLASS.test(klass) || T5_LIKE.test(klass)) continue;
    const checkpoint = file.evaluate(file.positionalArguments(call)[0] ?? file.keywordArgument(call, 'pretrained_model_name_or_path'))?.value;
    if (typeof checkpoint === 'string' && T5_LIKE.test(checkpoint)) continue;
    const parent = call.parent;
    const left = parent?.type === 'assignment' ? parent.childForFieldName('left') : undefined;
    return { call, variable: left?.type === 'identifier' ? left.text : undefined };
  }
  return undefined;
}

function freezesWeights(file: PythonFile): boolean {
  for (const assignment of file.assignments) {
    const left = assignment.childForFieldName('left');
    const attribute = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
    if ((attribute === 'requires_grad' || attribute === 'trainable') && assignment.childForFieldName('right')?.type === 'false') return true;
  }
  return file.calls.some((call) => file.calleeTail(call) === 'requires_grad_' && file.positionalArguments(call)[0]?.type === 'false');
}

/**
 * Whether an optimizer's parameters are the whole pretrained model's: `model.parameters()`, or a name
 * bound to an expression built from `model.named_parameters()` (the usual weight-decay groups).
 */
export function optimizesWholeModel(file: PythonFile, params: Node | undefined, model: PretrainedModel): boolean {
  if (!params || !model.variable) return false;
  if (params.type === 'call') return parametersOf(params, model.variable);
  if (params.type !== 'identifier') return false;
  const value = bindingOf(file, params);
  return !!value && value.descendantsOfType('call').some((c) => c !== null && parametersOf(c, model.variable!, 'named_parameters'));
}

function parametersOf(call: Node, variable: string, only?: string): boolean {
  const fn = call.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (only ? method !== only : method !== 'parameters' && method !== 'named_parameters') return false;
  return fn!.childForFieldName('object')?.text === variable && (call.childForFieldName('arguments')?.namedChildren.length ?? 0) === 0;
}
