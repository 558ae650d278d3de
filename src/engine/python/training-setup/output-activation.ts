import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { assignmentsTo, constructorOf } from './assignments';
import { enclosingFunction, receiver } from './reachable-calls';
import { localClass } from './lightning-modules';

/** Which normalisation a PyTorch expression's value already went through. */
export type Normalisation = 'softmax' | 'log_softmax';

/** Where the normalisation happens, for messages and evidence. */
export interface NormalisedOutput {
  kind: Normalisation;
  /** The softmax call or layer: `F.softmax(self.out(x), dim=1)`, `nn.LogSoftmax(dim=1)`. */
  at: Node;
  /** The model class or variable that applies it, when it is inside a model. */
  model?: string;
}

/** Variables followed back to their assignment, models into their `forward`: bounded. */
const MAX_DEPTH = 4;

/**
 * Whether the value of an expression is already a softmax (or log-softmax) output: a softmax call, a
 * variable assigned one in the same function, or the call of a model whose every `forward` return (or
 * whose `nn.Sequential`'s last layer) is one. Undefined when it is anything else or does not resolve.
 */
export function normalisedOutput(file: PythonFile, expr: Node, depth = 0): NormalisedOutput | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (expr.type === 'parenthesized_expression') {
    const inner = expr.namedChildren.find((c) => c !== null);
    return inner ? normalisedOutput(file, inner, depth + 1) : undefined;
  }
  if (expr.type === 'identifier') {
    const value = latestAssignmentBefore(file, expr);
    return value ? normalisedOutput(file, value, depth + 1) : undefined;
  }
  if (expr.type !== 'call') return undefined;
  const direct = softmaxCall(file, expr);
  if (direct) return { kind: direct, at: expr };
  // `nn.Softmax(dim=1)(x)` or `self.softmax(x)` with `self.softmax = nn.Softmax(dim=1)`.
  const fn = expr.childForFieldName('function');
  if (!fn) return undefined;
  const module = fn.type === 'call' ? fn : fn.type === 'identifier' || fn.type === 'attribute' ? constructorOf(file, fn.text) : undefined;
  if (!module) return undefined;
  const layer = softmaxLayer(file, module);
  if (layer) return { kind: layer, at: module };
  return modelOutput(file, module, fn.text, depth + 1);
}

/** `F.softmax(x, 1)`, `torch.softmax(x, 1)`, `x.softmax(1)` and the log variants. */
function softmaxCall(file: PythonFile, call: Node): Normalisation | undefined {
  const qualified = file.calleeName(call);
  const tail = file.calleeTail(call);
  if (tail !== 'softmax' && tail !== 'log_softmax') return undefined;
  if (qualified && !/^torch(\.nn\.functional|\.special)?\.(log_)?softmax$/.test(qualified)) return undefined;
  // An unresolved `x.softmax(dim)` is the tensor method; a bare unresolved `softmax(...)` could be anything.
  if (!qualified && !receiver(call)) return undefined;
  return tail;
}

/** `nn.Softmax(...)` / `nn.LogSoftmax(...)` as a module. */
function softmaxLayer(file: PythonFile, call: Node): Normalisation | undefined {
  const name = file.calleeName(call) ?? '';
  if (/^torch\.nn(\.modules(\.activation)?)?\.Softmax$/.test(name)) return 'softmax';
  if (/^torch\.nn(\.modules(\.activation)?)?\.LogSoftmax$/.test(name)) return 'log_softmax';
  return undefined;
}

/** A model built by `constructor`: `nn.Sequential(..., nn.Softmax(1))` or a class of this file whose `forward` ends in softmax. */
function modelOutput(file: PythonFile, constructor: Node, name: string, depth: number): NormalisedOutput | undefined {
  if (/^torch\.nn(\.modules(\.container)?)?\.Sequential$/.test(file.calleeName(constructor) ?? '')) {
    const last = file.positionalArguments(constructor).pop();
    const kind = last?.type === 'call' ? softmaxLayer(file, last) : undefined;
    return kind && last ? { kind, at: last, model: name } : undefined;
  }
  const callee = constructor.childForFieldName('function');
  const cls = callee?.type === 'identifier' ? localClass(file, callee.text) : undefined;
  const forward = cls && method(cls, 'forward');
  if (!forward) return undefined;
  const returns = forward.descendantsOfType('return_statement').filter((r): r is Node => r !== null && enclosingFunction(r)?.startIndex === forward.startIndex);
  let found: NormalisedOutput | undefined;
  for (const statement of returns) {
    const value = statement.namedChildren.find((c) => c !== null);
    const output = value ? normalisedOutput(file, value, depth + 1) : undefined;
    if (!output || (found && found.kind !== output.kind)) return undefined;
    found ??= { ...output, model: callee!.text };
  }
  return found;
}

function method(cls: Node, name: string): Node | undefined {
  for (const statement of cls.childForFieldName('body')?.namedChildren ?? []) {
    const fn = statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (fn?.type === 'function_definition' && fn.childForFieldName('name')?.text === name) return fn;
  }
  return undefined;
}

/** The value last assigned to a plain variable before `use`, in the same function (or at module level). */
export function latestAssignmentBefore(file: PythonFile, use: Node): Node | undefined {
  const scope = enclosingFunction(use)?.startIndex;
  let latest: Node | undefined;
  for (const assignment of assignmentsTo(file, use.text)) {
    if (assignment.startIndex >= use.startIndex) break;
    if (enclosingFunction(assignment)?.startIndex !== scope) continue;
    latest = assignment.childForFieldName('right') ?? undefined;
  }
  return latest;
}
