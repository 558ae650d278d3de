import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import type { TrainingLength } from './script-facts';

/** Beyond this an epoch count is a sentinel (`range(10**9)` with a break), not a plan. */
const MAX_EPOCHS = 100_000;

/** Calls and the keyword that carries the epoch count. */
const EPOCH_KEYWORDS: Readonly<Record<string, string>> = {
  fit: 'epochs',
  Trainer: 'max_epochs',
  TrainingArguments: 'num_train_epochs',
};

/**
 * How many epochs the script trains for: Keras `fit(epochs=N)`, Lightning `Trainer(max_epochs=N)`,
 * Hugging Face `TrainingArguments(num_train_epochs=N)`, or a `for epoch in range(N)` loop (the loop
 * variable must name epochs; other `range` loops count batches). The first one that resolves wins.
 */
export function trainingLength(file: PythonFile): TrainingLength | undefined {
  for (const call of file.calls) {
    const tail = file.calleeTail(call);
    const keyword = tail && Object.hasOwn(EPOCH_KEYWORDS, tail) ? EPOCH_KEYWORDS[tail] : undefined;
    const node = keyword && file.keywordArgument(call, keyword);
    const found = node ? resolved(file, node, `\`${keyword}=\` of ${tail}`) : undefined;
    if (found) return found;
  }
  for (const loop of file.nodesOfType('for_statement')) {
    const variable = loop.childForFieldName('left');
    const source = loop.childForFieldName('right');
    if (variable?.type !== 'identifier' || !/epoch/i.test(variable.text) || source?.type !== 'call') continue;
    if (source.childForFieldName('function')?.text !== 'range') continue;
    const args = file.positionalArguments(source);
    if (args.length === 1) {
      const found = resolved(file, args[0], '`range` of the epoch loop');
      if (found) return found;
    } else if (args.length === 2) {
      const start = file.evaluate(args[0])?.value;
      const stop = resolved(file, args[1], '`range` of the epoch loop');
      if (typeof start === 'number' && stop) return bounded(stop.epochs - start, stop);
    }
  }
  return undefined;
}

function resolved(file: PythonFile, node: Node, what: string): TrainingLength | undefined {
  const value = file.evaluate(node);
  if (typeof value?.value !== 'number') return undefined;
  return bounded(value.value, { epochs: value.value, via: `${what} (line ${node.startPosition.row + 1})${value.via ? `, ${value.via}` : ''}`, range: file.range(node) });
}

function bounded(epochs: number, length: TrainingLength): TrainingLength | undefined {
  return Number.isInteger(epochs) && epochs >= 1 && epochs <= MAX_EPOCHS ? { ...length, epochs } : undefined;
}
