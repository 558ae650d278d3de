import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { enclosingFunction, receiver } from './reachable-calls';

/**
 * scikit-learn transformers that learn statistics of the rows they are fitted on. Left out on purpose:
 * `Normalizer`, `Binarizer`, `PolynomialFeatures`, `FunctionTransformer`, `HashingVectorizer` (stateless:
 * each row is transformed on its own) and the encoders (`LabelEncoder` on the target, `OneHotEncoder`'s
 * category list), whose fit on the whole data set learns nothing that inflates a test score.
 */
const LEARNING_TRANSFORMERS = new Set([
  'StandardScaler', 'MinMaxScaler', 'RobustScaler', 'MaxAbsScaler', 'QuantileTransformer', 'PowerTransformer', 'KBinsDiscretizer',
  'SimpleImputer', 'KNNImputer', 'IterativeImputer',
  'PCA', 'IncrementalPCA', 'KernelPCA', 'TruncatedSVD', 'FastICA', 'FactorAnalysis',
  'SelectKBest', 'SelectPercentile', 'SelectFpr', 'SelectFdr', 'SelectFwe', 'GenericUnivariateSelect', 'SelectFromModel', 'RFE', 'RFECV', 'VarianceThreshold',
  'TfidfVectorizer', 'CountVectorizer', 'TfidfTransformer', 'TargetEncoder',
]);
/** Functions and splitter classes that divide rows into training and held-out parts. */
const SPLIT_FUNCTIONS = /^sklearn\.model_selection(\.\w+)*\.(train_test_split|cross_val_score|cross_validate|cross_val_predict|learning_curve|validation_curve)$/;
const SPLITTERS = /^sklearn\.model_selection(\.\w+)*\.(KFold|StratifiedKFold|GroupKFold|StratifiedGroupKFold|RepeatedKFold|RepeatedStratifiedKFold|ShuffleSplit|StratifiedShuffleSplit|GroupShuffleSplit|TimeSeriesSplit|LeaveOneOut|LeavePOut)$/;
/** Calls that keep the rows of their argument: `np.array(X)`, `pd.DataFrame(X, columns=...)`, `X.astype(float)`. */
const ROW_PRESERVING_FUNCTIONS = /^(numpy\.(array|asarray|float32|nan_to_num)|pandas\.DataFrame|torch\.(tensor|from_numpy|as_tensor))$/;
const ROW_PRESERVING_METHODS = new Set(['astype', 'copy', 'toarray', 'todense', 'reshape', 'to_numpy', 'values']);
/** Bound on the events scanned per file. */
const MAX_EVENTS = 20_000;

/** A transformer fitted on data that is split afterwards. */
export interface LeakyFit {
  /** `scaler.fit_transform(X)` or `scaler.fit(X)`. */
  fit: Node;
  transformer: string;
  /** The data it was fitted on, as written: `X`. */
  fittedOn: string;
  /** The call that splits (or cross-validates) the fitted values. */
  split: Node;
  /** The variable handed to the split. */
  splitData: string;
  /** Variables the fitted values went through, in order: `X_scaled`. */
  through: string[];
}

interface Taint {
  fit: Node;
  transformer: string;
  fittedOn: string;
  through: string[];
}

/**
 * Follows, within each function (and the module's top level) in document order, the values produced
 * by a fitted transformer through plain assignments, and reports those later handed to a split.
 * Only what the file spells out: a variable reassigned in between loses its taint, and nothing crosses
 * function boundaries.
 */
export function leakyFits(file: PythonFile): LeakyFit[] {
  if (![...file.imports.values()].some((b) => b.qualified.startsWith('sklearn'))) return [];
  const events = [...file.assignments, ...file.calls].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex).slice(0, MAX_EVENTS);
  const scopes = new Map<number, { transformers: Map<string, string>; fitted: Map<string, Taint>; tainted: Map<string, Taint> }>();
  const found: LeakyFit[] = [];
  const reported = new Set<number>();
  for (const node of events) {
    const key = enclosingFunction(node)?.startIndex ?? -1;
    let scope = scopes.get(key);
    if (!scope) scopes.set(key, (scope = { transformers: new Map(), fitted: new Map(), tainted: new Map() }));
    if (node.type === 'call') {
      const split = splitData(file, node);
      for (const data of split) {
        const taint = taintOf(file, data, scope);
        if (taint && !reported.has(taint.fit.startIndex)) {
          reported.add(taint.fit.startIndex);
          found.push({ fit: taint.fit, transformer: taint.transformer, fittedOn: taint.fittedOn, split: node, splitData: data.text, through: taint.through });
        }
      }
      // `scaler.fit(X)` as a statement: remember what the scaler saw.
      const fit = fitCall(file, node, scope.transformers);
      if (fit && node.parent?.type === 'expression_statement') {
        const name = receiver(node)?.text;
        if (name) scope.fitted.set(name, fit);
      }
      continue;
    }
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) continue;
    if (left.type !== 'identifier' && left.type !== 'attribute') {
      for (const name of left.namedChildren) if (name) scope.tainted.delete(name.text);
      continue;
    }
    const transformer = transformerClass(file, right);
    if (transformer) scope.transformers.set(left.text, transformer);
    else scope.transformers.delete(left.text);
    // `scaler = StandardScaler().fit(X)`: a fitted transformer bound to a name.
    const chainedFit = fitCall(file, right, scope.transformers);
    if (chainedFit && file.calleeTail(right) === 'fit') {
      scope.fitted.set(left.text, chainedFit);
      scope.transformers.set(left.text, chainedFit.transformer);
    }
    const taint = taintOf(file, right, scope);
    if (taint) scope.tainted.set(left.text, { ...taint, through: [...taint.through, left.text] });
    else scope.tainted.delete(left.text);
  }
  return found;
}

/**
 * The data arguments of a split: `train_test_split(X, y)` → X, y; `kf.split(X, y)` → X;
 * `cross_val_score(est, X, y)` → X; Keras `model.fit(X, y, validation_split=0.1)` → X.
 */
function splitData(file: PythonFile, call: Node): Node[] {
  const name = file.calleeName(call) ?? '';
  const positional = file.positionalArguments(call);
  if (SPLIT_FUNCTIONS.test(name)) {
    if (name.endsWith('train_test_split')) return positional;
    const x = file.keywordArgument(call, 'X') ?? positional[1];
    return x ? [x] : [];
  }
  // Keras `model.fit(X, y, validation_split=0.2)` holds out the last rows of X for validation.
  if (file.calleeTail(call) === 'fit') {
    const fraction = file.evaluate(file.keywordArgument(call, 'validation_split'))?.value;
    const x = file.keywordArgument(call, 'x') ?? positional[0];
    return typeof fraction === 'number' && fraction > 0 && x ? [x] : [];
  }
  if (file.calleeTail(call) !== 'split') return [];
  const splitter = receiver(call);
  const built = splitter?.type === 'call' ? splitter : undefined;
  const isSplitter = built
    ? SPLITTERS.test(file.calleeName(built) ?? '')
    : splitter !== undefined && file.assignments.some((a) => {
        const right = a.childForFieldName('right');
        return a.childForFieldName('left')?.text === splitter.text && right?.type === 'call' && SPLITTERS.test(file.calleeName(right) ?? '');
      });
  return isSplitter && positional[0] ? [positional[0]] : [];
}

/** The scikit-learn transformer class an expression constructs, if it is one that learns from data. */
function transformerClass(file: PythonFile, node: Node): string | undefined {
  if (node.type !== 'call') return undefined;
  const name = file.calleeName(node) ?? '';
  const tail = name.split('.').pop() ?? '';
  return name.startsWith('sklearn.') && LEARNING_TRANSFORMERS.has(tail) ? tail : undefined;
}

/** `t.fit(X)` / `t.fit_transform(X)` on a learning transformer (a name bound to one, or built inline). */
function fitCall(file: PythonFile, call: Node, transformers: Map<string, string>): Taint | undefined {
  if (call.type !== 'call') return undefined;
  const tail = file.calleeTail(call);
  if (tail !== 'fit' && tail !== 'fit_transform') return undefined;
  const object = receiver(call);
  const transformer = object ? (transformerClass(file, object) ?? transformers.get(object.text)) : undefined;
  const data = file.keywordArgument(call, 'X') ?? file.keywordArgument(call, 'raw_documents') ?? file.positionalArguments(call)[0];
  if (!transformer || !data || file.hasSplat(call)) return undefined;
  return { fit: call, transformer, fittedOn: data.text, through: [] };
}

/** Whether an expression carries values of a transformer fitted (in this scope, earlier) on the data. */
function taintOf(file: PythonFile, node: Node, scope: { transformers: Map<string, string>; fitted: Map<string, Taint>; tainted: Map<string, Taint> }, depth = 0): Taint | undefined {
  if (depth > 8) return undefined;
  if (node.type === 'identifier' || node.type === 'attribute') {
    const direct = scope.tainted.get(node.text);
    if (direct) return direct;
    // `df.values` on a tainted frame.
    if (node.type === 'attribute' && ROW_PRESERVING_METHODS.has(node.childForFieldName('attribute')?.text ?? '')) {
      const object = node.childForFieldName('object');
      return object ? taintOf(file, object, scope, depth + 1) : undefined;
    }
    return undefined;
  }
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren.find((c) => c !== null);
    return inner ? taintOf(file, inner, scope, depth + 1) : undefined;
  }
  if (node.type === 'subscript') {
    const value = node.childForFieldName('value');
    return value ? taintOf(file, value, scope, depth + 1) : undefined;
  }
  if (node.type !== 'call') return undefined;
  const tail = file.calleeTail(node);
  if (tail === 'fit_transform') return fitCall(file, node, scope.transformers);
  const object = receiver(node);
  if (tail === 'transform' && object) {
    const fitted = scope.fitted.get(object.text);
    const data = file.positionalArguments(node)[0];
    if (fitted && data?.text === fitted.fittedOn) return fitted;
    return undefined;
  }
  if (object && tail && ROW_PRESERVING_METHODS.has(tail)) return taintOf(file, object, scope, depth + 1);
  if (ROW_PRESERVING_FUNCTIONS.test(file.calleeName(node) ?? '')) {
    const first = file.positionalArguments(node)[0];
    return first ? taintOf(file, first, scope, depth + 1) : undefined;
  }
  return undefined;
}
