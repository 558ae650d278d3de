import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';
import { kerasValidationSplit, randomSplit, rangeLength, sliceLength, trainTestSplit } from './split-arithmetic';

/** The training data as it flows through a script: the names that hold it and how many samples. */
export interface Flow {
  /** Names holding the training samples, all with `samples` rows (X, y, the DataFrame, the Dataset). */
  names: Set<string>;
  /** Training samples at this point; undefined once a step could not be followed. */
  samples?: number;
  heldOut?: number;
  notes: string[];
}

/** Steps followed per data set; a generated script with more assignments stops being followed. */
const MAX_STEPS = 5_000;
const MAX_IDENTIFIERS = 200;

/** Methods that keep one row per sample (pandas, NumPy, torch). `drop` is checked separately. */
const ROW_PRESERVING_METHODS = new Set([
  'values', 'to_numpy', 'astype', 'copy', 'fillna', 'reset_index', 'replace', 'rename', 'map', 'apply', 'float', 'double', 'long', 'int',
  'numpy', 'to', 'cpu', 'cuda', 'squeeze', 'unsqueeze', 'select_dtypes', 'infer_objects', 'clip', 'abs', 'round', 'batch', 'prefetch', 'cache', 'shuffle',
]);
/** Functions whose first argument's rows become the result's rows. */
const ROW_PRESERVING_FUNCTIONS = new Set([
  'array', 'asarray', 'tensor', 'from_numpy', 'FloatTensor', 'LongTensor', 'Tensor', 'as_tensor', 'convert_to_tensor', 'get_dummies', 'to_categorical',
  'TensorDataset', 'DataLoader', 'fit_transform', 'transform', 'from_tensor_slices', 'stack', 'float32',
]);
/** Functions that pair arrays of one length, sample by sample. */
const PAIRING_FUNCTIONS = new Set(['TensorDataset', 'from_tensor_slices', 'zip']);
/** Keys that select a held-out part of a split result (`split["test"]`). */
const HELD_OUT_KEYS = new Set(['test', 'validation', 'valid', 'val', 'dev']);

/**
 * Follows the training data from where it is loaded (`start`) through the statements after it:
 * count-preserving steps (`df.drop(columns=...)`, `.values`, `np.array(x)`, `x / 255.0`) carry the
 * count to new names; `train_test_split`, `random_split`, `Subset`, row slices and Keras
 * `fit(validation_split=...)` change it, each with a note. A step the flow cannot follow (a boolean mask,
 * `df.sample(...)`, `dropna()`) makes the names it produces unknown; a split of those drops the count
 * rather than report one that may be wrong.
 */
export function followFlow(file: PythonFile, start: Node, flow: Flow): void {
  const unknown = new Set<string>();
  const sized = new Map<string, number>();
  const events = [
    ...file.assignments.filter((a) => a.startIndex >= start.endIndex),
    ...file.calls.filter((c) => c.startIndex >= start.endIndex && file.calleeTail(c) === 'fit'),
  ].sort((a, b) => a.startIndex - b.startIndex);
  for (const event of events.slice(0, MAX_STEPS)) {
    if (event.type === 'call') {
      kerasFit(file, event, flow, unknown, sized);
      continue;
    }
    const left = event.childForFieldName('left');
    const right = event.childForFieldName('right');
    if (!left || !right) continue;
    const targets = targetNames(left);
    if (right.type === 'call' && split(file, right, left, targets, flow, unknown, sized)) continue;
    const slice = rowSlice(file, right, flow);
    if (slice !== undefined) {
      const [name, length] = slice;
      if (targets.length === 1 && targets[0] === name) {
        if (flow.samples !== undefined && length !== flow.samples) {
          flow.notes.push(`${right.text} (line ${event.startPosition.row + 1}) → ${length.toLocaleString('en-US')} training samples`);
          flow.samples = length;
        }
      } else for (const t of targets) sized.set(t, length);
      continue;
    }
    const carried = [...sized].find(([name]) => mentions(right, new Set([name])) && preservesRows(file, right, new Set([name])));
    if (carried) {
      // `loader = DataLoader(subset)`: the subset's size goes with it.
      for (const t of targets) sized.set(t, carried[1]);
      continue;
    }
    if (mentions(right, flow.names)) {
      if (preservesRows(file, right, flow.names)) for (const t of targets) flow.names.add(t);
      else
        for (const t of targets) {
          flow.names.delete(t);
          unknown.add(t);
        }
    } else if (mentions(right, unknown)) {
      for (const t of targets) unknown.add(t);
    }
  }
}

function split(file: PythonFile, call: Node, left: Node, targets: string[], flow: Flow, unknown: Set<string>, sized: Map<string, number>): boolean {
  const tail = file.calleeTail(call);
  const fn = call.childForFieldName('function');
  const line = call.startPosition.row + 1;
  if (tail === 'train_test_split') {
    const isMethod = fn?.type === 'attribute' && !file.calleeName(call)?.startsWith('sklearn.');
    const subject = isMethod ? fn.childForFieldName('object') : file.positionalArguments(call)[0];
    const n = subjectSamples(subject, flow, unknown, sized);
    if (n === 'unrelated') return false;
    if (n === undefined) return lose(flow, `train_test_split (line ${line}) splits data whose row count is not known here`);
    const testSize = number(file, file.keywordArgument(call, 'test_size'));
    const trainSize = number(file, file.keywordArgument(call, 'train_size'));
    if (testSize === 'unresolved' || trainSize === 'unresolved') return lose(flow, `train_test_split (line ${line}): test_size/train_size does not resolve statically`);
    const counts = trainTestSplit(n, testSize, trainSize);
    if (!counts) return lose(flow, `train_test_split (line ${line}): sizes do not fit ${n.toLocaleString('en-US')} samples`);
    const given = testSize !== undefined ? `test_size=${testSize}` : trainSize !== undefined ? `train_size=${trainSize}` : 'default test_size=0.25';
    flow.notes.push(`train_test_split ${given} (line ${line}) → ${counts.train.toLocaleString('en-US')} train / ${counts.heldOut.toLocaleString('en-US')} held out`);
    flow.samples = counts.train;
    flow.heldOut = counts.heldOut;
    // Arrays come back as (X_train, X_test, y_train, y_test, ...): the even positions are training data.
    flow.names = new Set(isMethod || !isPattern(left) ? targets : targets.filter((_, i) => i % 2 === 0));
    return true;
  }
  if (tail === 'random_split') {
    const args = file.positionalArguments(call);
    const n = subjectSamples(args[0], flow, unknown, sized);
    if (n === 'unrelated') return false;
    if (n === undefined) return lose(flow, `random_split (line ${line}) splits a dataset whose size is not known here`);
    const lengthsNode = args[1] ?? file.keywordArgument(call, 'lengths');
    const lengths = numberList(file, lengthsNode);
    const counts = lengths && randomSplit(n, lengths);
    if (!counts) return lose(flow, `random_split (line ${line}): lengths ${lengthsNode?.text ?? ''} do not resolve to a split of ${n.toLocaleString('en-US')}`);
    flow.samples = counts[0];
    flow.heldOut = counts.slice(1).reduce((a, b) => a + b, 0);
    flow.notes.push(`random_split ${lengthsNode!.text} (line ${line}) → ${counts.map((c) => c.toLocaleString('en-US')).join(' / ')} (the first is taken as training)`);
    flow.names = new Set(isPattern(left) ? targets.slice(0, 1) : targets);
    return true;
  }
  if (tail === 'Subset') {
    const args = file.positionalArguments(call);
    const n = subjectSamples(args[0] ?? file.keywordArgument(call, 'dataset'), flow, unknown, sized);
    if (n === 'unrelated') return false;
    const indices = args[1] ?? file.keywordArgument(call, 'indices');
    const length = indicesLength(file, indices);
    if (n === undefined || length === undefined) return lose(flow, `Subset (line ${line}): the number of indices does not resolve`);
    const kept = Math.min(n, length);
    const subject = args[0] ?? file.keywordArgument(call, 'dataset');
    if (targets.length === 1 && subject?.type === 'identifier' && subject.text === targets[0] && flow.names.has(targets[0])) {
      // `ds = Subset(ds, ...)`: the training data itself shrinks.
      flow.notes.push(`Subset(..., ${indices!.text}) (line ${line}) → ${kept.toLocaleString('en-US')} training samples`);
      flow.samples = kept;
    } else {
      flow.notes.push(`Subset(..., ${indices!.text}) (line ${line}) → ${kept.toLocaleString('en-US')} samples`);
      for (const t of targets) sized.set(t, kept);
    }
    return true;
  }
  return false;
}

/** Keras `model.fit(x, y, validation_split=v)` on the training names. */
function kerasFit(file: PythonFile, call: Node, flow: Flow, unknown: Set<string>, sized: Map<string, number>): void {
  const x = file.positionalArguments(call)[0] ?? file.keywordArgument(call, 'x');
  const n = subjectSamples(x, flow, unknown, sized);
  if (n === 'unrelated') return;
  const line = call.startPosition.row + 1;
  if (n === undefined) {
    lose(flow, `fit (line ${line}) trains on data whose row count is not known here`);
    return;
  }
  if (n !== flow.samples) {
    flow.notes.push(`fit (line ${line}) trains on ${x!.text}: ${n.toLocaleString('en-US')} samples`);
    flow.samples = n;
  }
  const v = number(file, file.keywordArgument(call, 'validation_split'));
  if (v === undefined) return;
  if (v === 'unresolved') {
    lose(flow, `fit (line ${line}): validation_split does not resolve statically`);
    return;
  }
  const counts = kerasValidationSplit(n, v);
  if (!counts) return;
  flow.notes.push(`fit validation_split=${v} (line ${line}) → ${counts.train.toLocaleString('en-US')} train / ${counts.heldOut.toLocaleString('en-US')} held out (the last ${counts.heldOut.toLocaleString('en-US')})`);
  flow.samples = counts.train;
  flow.heldOut = counts.heldOut;
}

function lose(flow: Flow, why: string): true {
  if (flow.samples !== undefined) flow.notes.push(`${why}: training samples unknown`);
  flow.samples = undefined;
  flow.heldOut = undefined;
  return true;
}

/** Rows of the data a split or fit receives: the flow's count, a sliced name's count, unknown, or unrelated data. */
function subjectSamples(node: Node | null | undefined, flow: Flow, unknown: Set<string>, sized: Map<string, number>): number | undefined | 'unrelated' {
  if (!node) return 'unrelated';
  if (node.type === 'identifier' && sized.has(node.text)) return sized.get(node.text);
  if (mentions(node, flow.names)) return flow.samples;
  if (mentions(node, unknown)) return undefined;
  return 'unrelated';
}

/** `x[:1000]`, `df.iloc[:500]`, `x[100:]` on a training name: [name, rows]. */
function rowSlice(file: PythonFile, node: Node, flow: Flow): [string, number] | undefined {
  if (node.type !== 'subscript' || flow.samples === undefined) return undefined;
  let value = node.childForFieldName('value');
  if (value?.type === 'attribute' && ['iloc', 'loc'].includes(value.childForFieldName('attribute')?.text ?? '')) value = value.childForFieldName('object');
  if (value?.type !== 'identifier' || !flow.names.has(value.text)) return undefined;
  // `x[a:b, ...]` has several subscript children; `x[(a, b)]`-style tuples one.
  let index: Node | null | undefined = node.childrenForFieldName('subscript')[0];
  if (index?.type === 'tuple' || index?.type === 'expression_list') index = index.namedChildren[0];
  if (index?.type !== 'slice') return undefined;
  const parts = sliceParts(index);
  if (!parts) return undefined;
  const start = parts[0] && file.evaluate(parts[0])?.value;
  const stop = parts[1] && file.evaluate(parts[1])?.value;
  if ((parts[0] && typeof start !== 'number') || (parts[1] && typeof stop !== 'number') || parts[2]) return undefined;
  if (!parts[0] && !parts[1]) return undefined; // `x[:]`, a full slice
  return [value.text, sliceLength(flow.samples, start as number | undefined, stop as number | undefined)];
}

/** The start, stop and step expressions of a slice (`a:b`, `:b`, `a:`, `::s`). */
function sliceParts(slice: Node): [Node | undefined, Node | undefined, Node | undefined] | undefined {
  const parts: Array<Node | undefined> = [undefined];
  for (const child of slice.children) {
    if (!child) continue;
    if (child.type === ':') parts.push(undefined);
    else parts[parts.length - 1] = child;
  }
  if (parts.length > 3) return undefined;
  return [parts[0], parts[1], parts[2]];
}

/** Whether an expression keeps one row per sample of the training names it mentions. */
function preservesRows(file: PythonFile, node: Node, names: Set<string>, depth = 0): boolean {
  if (depth > 32) return false;
  switch (node.type) {
    case 'identifier':
      return names.has(node.text);
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c?.type !== 'comment');
      return !!inner && preservesRows(file, inner, names, depth + 1);
    }
    case 'binary_operator': {
      const l = node.childForFieldName('left');
      const r = node.childForFieldName('right');
      return (!!l && preservesRows(file, l, names, depth + 1)) || (!!r && preservesRows(file, r, names, depth + 1));
    }
    case 'attribute': {
      const attribute = node.childForFieldName('attribute')?.text;
      const object = node.childForFieldName('object');
      return attribute !== 'T' && !!object && preservesRows(file, object, names, depth + 1);
    }
    case 'subscript': {
      const value = node.childForFieldName('value');
      if (!value || !preservesRows(file, value, names, depth + 1)) return false;
      const indices = node.childrenForFieldName('subscript').filter((c) => c !== null);
      const index = indices[0];
      if (!index) return false;
      // `x[:, 0]`, `df.iloc[:, 3:13]`: every row, some columns.
      if (indices.length > 1) return index.type === 'slice' && index.text.trim() === ':';
      if (index.type === 'string') return !HELD_OUT_KEYS.has(String(file.evaluate(index)?.value));
      if (index.type === 'list') return index.namedChildren.every((c) => c?.type === 'string');
      if (index.type === 'tuple' || index.type === 'expression_list') {
        const first = index.namedChildren[0];
        return first?.type === 'slice' && first.text.trim() === ':';
      }
      return false;
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const tail = file.calleeTail(node) ?? '';
      const args = file.positionalArguments(node);
      if (fn?.type === 'attribute') {
        const object = fn.childForFieldName('object');
        if (object && preservesRows(file, object, names, depth + 1)) {
          if (ROW_PRESERVING_METHODS.has(tail)) return true;
          if (tail === 'drop') return dropsColumns(file, node);
          if (tail === 'reshape' || tail === 'view') return firstDimKept(file, args);
          return false;
        }
      }
      // TensorDataset(x, y) and from_tensor_slices((x, y)) pair tensors of the same length: any of them counts.
      if (PAIRING_FUNCTIONS.has(tail)) return args.some((a) => preservesRows(file, a.type === 'tuple' ? (a.namedChildren[0] ?? a) : a, names, depth + 1) || (a.type === 'tuple' && a.namedChildren.some((c) => c !== null && preservesRows(file, c, names, depth + 1))));
      if (ROW_PRESERVING_FUNCTIONS.has(tail) && args[0]) return preservesRows(file, args[0], names, depth + 1);
      if (tail === 'expand_dims' && args[0]) {
        const axis = file.evaluate(args[1] ?? file.keywordArgument(node, 'axis'))?.value;
        return axis !== 0 && preservesRows(file, args[0], names, depth + 1);
      }
      return false;
    }
    default:
      return false;
  }
}

/** `df.drop("label", axis=1)`, `df.drop(columns=[...])`: columns, not rows. */
function dropsColumns(file: PythonFile, call: Node): boolean {
  if (file.keywordArgument(call, 'columns')) return true;
  const axis = file.evaluate(file.keywordArgument(call, 'axis') ?? file.positionalArguments(call)[1])?.value;
  return axis === 1 || axis === 'columns';
}

/** `x.reshape(-1, 28, 28, 1)` or `x.reshape((-1, 784))` keeps the first dimension. */
function firstDimKept(file: PythonFile, args: Node[]): boolean {
  let first: Node | undefined = args[0];
  if (first?.type === 'tuple' || first?.type === 'list') first = first.namedChildren[0] ?? undefined;
  return !!first && file.evaluate(first)?.value === -1;
}

function indicesLength(file: PythonFile, node: Node | null | undefined): number | undefined {
  if (!node) return undefined;
  if (node.type === 'list') return node.namedChildren.filter((c) => c?.type !== 'comment').length;
  if (node.type !== 'call') return undefined;
  const fn = node.childForFieldName('function');
  const args = file.positionalArguments(node);
  if (fn?.type === 'identifier' && fn.text === 'list' && args.length === 1) return indicesLength(file, args[0]);
  if (fn?.type === 'identifier' && fn.text === 'range' && args.length >= 1 && args.length <= 3) {
    const values = args.map((a) => file.evaluate(a)?.value);
    if (!values.every((v) => typeof v === 'number')) return undefined;
    const [a, b, c] = values as number[];
    return args.length === 1 ? rangeLength(0, a, 1) : rangeLength(a, b, c ?? 1);
  }
  return undefined;
}

function number(file: PythonFile, node: Node | undefined): number | undefined | 'unresolved' {
  if (!node) return undefined;
  const value = file.evaluate(node)?.value;
  if (value === null) return undefined; // an explicit None is the default
  return typeof value === 'number' ? value : 'unresolved';
}

function numberList(file: PythonFile, node: Node | null | undefined): number[] | undefined {
  if (node?.type !== 'list' && node?.type !== 'tuple') return undefined;
  const values = node.namedChildren.filter((c) => c !== null && c.type !== 'comment').map((c) => file.evaluate(c)?.value);
  return values.every((v) => typeof v === 'number') ? (values as number[]) : undefined;
}

function isPattern(left: Node): boolean {
  return left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern';
}

/** Names bound by an assignment target, flattening `(a, b), (c, d)` in order. */
export function targetNames(left: Node): string[] {
  if (left.type === 'identifier') return [left.text];
  if (isPattern(left) || left.type === 'parenthesized_expression') {
    return left.namedChildren.flatMap((c) => (c ? targetNames(c) : []));
  }
  return [];
}

/** Whether an expression reads any of `names` (not as an attribute or keyword name). */
export function mentions(node: Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  if (node.type === 'identifier') return names.has(node.text);
  const ids = node.descendantsOfType('identifier');
  let checked = 0;
  for (const id of ids) {
    if (!id || ++checked > MAX_IDENTIFIERS) break;
    if (!names.has(id.text)) continue;
    const parent = id.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.equals(id)) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.equals(id)) continue;
    return true;
  }
  return false;
}
