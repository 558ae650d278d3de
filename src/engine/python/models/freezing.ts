import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';

/** How a script freezes a model it built, when it does. */
export interface Freezing {
  /** The whole model (`model.parameters()`), or only part of it (`model.features.parameters()`). */
  whole: boolean;
  line: number;
}

/**
 * The name a construction is bound to: `model = resnet18()` → `model`, `self.backbone = …` → `self.backbone`.
 * Undefined when the call is not the whole right-hand side of a plain assignment.
 */
export function boundName(call: Node): string | undefined {
  const parent = call.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id) return undefined;
  const left = parent.childForFieldName('left');
  return left && (left.type === 'identifier' || left.type === 'attribute') ? left.text : undefined;
}

/**
 * Whether the script freezes the model bound to `name`: `for p in name.parameters(): p.requires_grad = False`,
 * `name.requires_grad_(False)` (PyTorch) or `name.trainable = False` (Keras), also on a submodule
 * (`name.features.parameters()`). Read from the syntax tree; a freeze inside a function that is never
 * called still counts, which only makes the data rules quieter.
 */
export function freezing(file: PythonFile, name: string): Freezing | undefined {
  const within = (receiver: Node | null | undefined) => !!receiver && (receiver.text === name || receiver.text.startsWith(`${name}.`));
  for (const loop of file.nodesOfType('for_statement')) {
    const variable = loop.childForFieldName('left');
    const source = loop.childForFieldName('right');
    if (variable?.type !== 'identifier' || source?.type !== 'call') continue;
    const fn = source.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'parameters') continue;
    const receiver = fn.childForFieldName('object');
    if (!within(receiver)) continue;
    const body = loop.childForFieldName('body');
    const sets = body?.descendantsOfType('assignment').some((a) => a !== null && isFalseAssignment(file, a, `${variable.text}.requires_grad`));
    if (sets) return { whole: receiver!.text === name, line: loop.startPosition.row };
  }
  for (const call of file.calls) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'requires_grad_') continue;
    const receiver = fn.childForFieldName('object');
    const arg = file.positionalArguments(call)[0] ?? file.keywordArgument(call, 'requires_grad');
    if (within(receiver) && arg && file.evaluate(arg)?.value === false) return { whole: receiver!.text === name, line: call.startPosition.row };
  }
  for (const assignment of file.assignments) {
    if (isFalseAssignment(file, assignment, `${name}.trainable`)) return { whole: true, line: assignment.startPosition.row };
  }
  return undefined;
}

function isFalseAssignment(file: PythonFile, assignment: Node, target: string): boolean {
  return assignment.childForFieldName('left')?.text === target && file.evaluate(assignment.childForFieldName('right'))?.value === false;
}
