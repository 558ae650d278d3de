import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import type { Resolved } from '../values';
import { resolveValue } from './config-values';

/** How a script sets its number of training epochs. */
export type EpochSource = 'keras-fit' | 'lightning' | 'hugging-face' | 'loop';

export interface EpochSetting {
  source: EpochSource;
  /** The epoch count as it resolves. */
  epochs: Resolved & { value: number };
  /** The expression stating it (the argument, or the range bound). */
  node: Node;
  /** The call (fit, Trainer, TrainingArguments) or the for loop. */
  site: Node;
}

const LIGHTNING_TRAINER = /^(?:lightning\.pytorch|pytorch_lightning|lightning)\.(?:trainer\.(?:trainer\.)?)?Trainer$/;
const TRAINING_ARGUMENTS = /^transformers\.(?:training_args(?:_seq2seq)?\.)?(Seq2Seq)?TrainingArguments$/;
const PROGRESS = new Set(['tqdm', 'trange', 'track']);

/**
 * Every epoch count the file states and that resolves: Keras `fit(epochs=…)`, Lightning
 * `Trainer(max_epochs=…)`, `TrainingArguments(num_train_epochs=…)`, and PyTorch loops
 * `for epoch in range(…)` (also through `tqdm`/`trange`) that train — they call `.backward()` directly
 * or through a function of this file.
 */
export function epochSettings(file: PythonFile): EpochSetting[] {
  const memo = file.memo.get('epoch-settings');
  if (memo) return memo as EpochSetting[];
  const found: EpochSetting[] = [];
  const usesKeras = [...file.imports.values()].some((b) => /^(keras|tensorflow|tf_keras)(\.|$)/.test(b.qualified));
  for (const call of file.calls) {
    const name = file.calleeName(call) ?? '';
    let source: EpochSource | undefined;
    let node: Node | undefined;
    if (usesKeras && file.calleeTail(call) === 'fit' && call.childForFieldName('function')?.type === 'attribute') {
      source = 'keras-fit';
      node = file.keywordArgument(call, 'epochs');
    } else if (LIGHTNING_TRAINER.test(name)) {
      source = 'lightning';
      node = file.keywordArgument(call, 'max_epochs');
    } else if (TRAINING_ARGUMENTS.test(name)) {
      source = 'hugging-face';
      node = file.keywordArgument(call, 'num_train_epochs');
    }
    if (!source || !node) continue;
    const epochs = resolveValue(file, node);
    if (typeof epochs?.value === 'number') found.push({ source, epochs: epochs as EpochSetting['epochs'], node, site: call });
  }
  for (const loop of file.nodesOfType('for_statement')) {
    const setting = loopEpochs(file, loop);
    if (setting) found.push(setting);
  }
  found.sort((a, b) => a.node.startIndex - b.node.startIndex);
  file.memo.set('epoch-settings', found);
  return found;
}

function loopEpochs(file: PythonFile, loop: Node): EpochSetting | undefined {
  const variable = loop.childForFieldName('left');
  let iterable = loop.childForFieldName('right');
  if (!variable || iterable?.type !== 'call') return undefined;
  let callee = plainCallee(file, iterable);
  // `tqdm(range(n))` → `range(n)`; `trange(n)` counts like `range(n)`.
  if (callee && PROGRESS.has(callee) && callee !== 'trange') {
    const inner = file.positionalArguments(iterable)[0];
    if (inner?.type !== 'call') return undefined;
    iterable = inner;
    callee = plainCallee(file, iterable);
  }
  if (callee !== 'range' && callee !== 'trange') return undefined;
  const args = file.positionalArguments(iterable);
  if (args.length === 0 || args.length > 2 || file.hasSplat(iterable)) return undefined;
  const stop = args.at(-1)!;
  // An epoch loop names itself: `for epoch in …`, or `for _ in range(args.epochs)`.
  if (!/epoch/i.test(variable.text) && !/epoch/i.test(stop.text)) return undefined;
  if (!trains(file, loop)) return undefined;
  const end = resolveValue(file, stop);
  const start = args.length === 2 ? resolveValue(file, args[0]) : { value: 0 };
  if (typeof end?.value !== 'number' || typeof start?.value !== 'number') return undefined;
  const count = Math.max(0, Math.ceil(end.value - start.value));
  return { source: 'loop', epochs: { value: count, via: end.via }, node: stop, site: loop };
}

/** The function name of `range(…)`, `tqdm(…)`, `tqdm.tqdm(…)`, `trange(…)`, when it is that builtin or that library. */
function plainCallee(file: PythonFile, call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') {
    if (fn.text === 'range') return file.imports.has('range') ? undefined : 'range';
    const qualified = file.imports.get(fn.text)?.qualified ?? '';
    return /^(tqdm|rich\.progress)(\.|$)/.test(qualified) ? qualified.split('.').at(-1) : undefined;
  }
  const name = file.calleeName(call) ?? '';
  return /^(tqdm|rich\.progress)\./.test(name) ? name.split('.').at(-1) : undefined;
}

/** The loop body calls `.backward()` itself or through a function defined in this file. */
function trains(file: PythonFile, loop: Node): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  const calls = body.descendantsOfType('call').filter((c): c is Node => c !== null);
  if (calls.some((c) => file.calleeTail(c) === 'backward')) return true;
  return calls.some((c) => {
    const fn = file.localCallee(c);
    return !!fn && fn.descendantsOfType('call').some((inner) => inner !== null && file.calleeTail(inner) === 'backward');
  });
}
