import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';
import type { DatasetEstimate } from './dataset-estimate';
import { hfSplitCount } from './hf-split';
import { CIFAR100_COARSE, EMNIST, HUGGING_FACE, KERAS, SKLEARN, splitClassCounts, TORCHVISION, type KnownDataset, type KnownSplit } from './known-datasets';

/** A known data set loaded by one call: which part, and which assignment targets hold the training part. */
export interface KnownLoad {
  estimate: DatasetEstimate;
  /** 'train': the call loads training data; 'held-out': a test/validation split only; 'all': the whole set. */
  role: 'train' | 'held-out' | 'all';
  /** For Keras `(x_train, y_train), (x_test, y_test) = load_data()`: the training names. */
  trainTargets?: string[];
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** torchvision classes that pick their split with `split=` (and its default), not `train=`. */
const SPLIT_ARGUMENT: Record<string, string> = {
  SVHN: 'train',
  STL10: 'train',
  ImageNet: 'train',
  Food101: 'train',
  Flowers102: 'train',
  OxfordIIITPet: 'trainval',
  CelebA: 'train',
};

/** Recognises a call that loads a known data set by name; undefined for anything else. */
export function knownLoad(file: PythonFile, call: Node): KnownLoad | undefined {
  const name = file.calleeName(call);
  if (!name) return undefined;
  if (name.startsWith('torchvision.datasets.')) return torchvision(file, call, name.slice('torchvision.datasets.'.length));
  const keras = /(?:^|\.)keras\.datasets\.(\w+)\.load_data$/.exec(name);
  if (keras) return kerasLoad(file, call, keras[1]);
  if (name.startsWith('sklearn.datasets.')) return sklearn(file, call, name.slice('sklearn.datasets.'.length));
  if (name === 'datasets.load_dataset') return huggingFace(file, call);
  return undefined;
}

function torchvision(file: PythonFile, call: Node, cls: string): KnownLoad | undefined {
  let dataset: KnownDataset | undefined = TORCHVISION[cls];
  let label = `torchvision ${cls}`;
  if (cls === 'EMNIST') {
    const split = file.evaluate(file.keywordArgument(call, 'split') ?? file.positionalArguments(call)[1])?.value;
    if (typeof split !== 'string' || !EMNIST[split]) return undefined;
    dataset = EMNIST[split];
    label = `torchvision EMNIST split="${split}"`;
  }
  if (!dataset) return undefined;
  let splitName: string;
  if (SPLIT_ARGUMENT[cls]) {
    const node = file.keywordArgument(call, 'split') ?? file.positionalArguments(call)[1];
    const value = node ? file.evaluate(node)?.value : SPLIT_ARGUMENT[cls];
    if (typeof value !== 'string') return unresolved(file, call, dataset, label, 'split=');
    splitName = value;
    label += `, split="${value}"`;
  } else {
    const node = file.keywordArgument(call, 'train') ?? (cls === 'EMNIST' ? undefined : file.positionalArguments(call)[1]);
    const value = node ? file.evaluate(node)?.value : true;
    if (typeof value !== 'boolean') return unresolved(file, call, dataset, label, 'train=');
    splitName = value ? 'train' : 'test';
    label += `, train=${value ? 'True' : 'False'}`;
  }
  const split = dataset.splits[splitName];
  if (!split) return undefined;
  const role = splitName.startsWith('train') ? 'train' : 'held-out';
  return { role, estimate: fromSplit(file, call, dataset, split, role, `${fmt(split.samples)} ${role === 'train' ? 'training' : 'held-out'} samples (${label}; ${dataset.source})`) };
}

function kerasLoad(file: PythonFile, call: Node, module: string): KnownLoad | undefined {
  let dataset = KERAS[module];
  if (!dataset) return undefined;
  if (module === 'cifar100' && file.evaluate(file.keywordArgument(call, 'label_mode'))?.value === 'coarse') dataset = { ...CIFAR100_COARSE, source: dataset.source };
  const targets = loadDataTargets(call);
  let split: KnownSplit | undefined = dataset.splits.train;
  let how = `keras.datasets.${module}.load_data()`;
  let heldOut = dataset.splits.test?.samples;
  if (dataset.total !== undefined) {
    // reuters and boston_housing cut one list at int(len(x) * (1 - test_split)).
    const node = file.keywordArgument(call, 'test_split');
    const testSplit = node ? file.evaluate(node)?.value : 0.2;
    if (typeof testSplit !== 'number' || testSplit < 0 || testSplit >= 1) return unresolved(file, call, dataset, how, 'test_split=');
    const train = Math.floor(dataset.total * (1 - testSplit));
    split = { samples: train };
    heldOut = dataset.total - train;
    how += `, test_split=${testSplit}: the first ${fmt(train)} of ${fmt(dataset.total)}`;
  }
  if (!split) return undefined;
  const estimate = fromSplit(file, call, dataset, split, 'train', `${fmt(split.samples)} training samples (${how}; ${dataset.source})`);
  if (heldOut !== undefined) estimate.heldOutSamples = heldOut;
  return { role: 'train', estimate, trainTargets: targets };
}

/** `(x_train, y_train), (x_test, y_test) = mnist.load_data()` → ['x_train', 'y_train']. */
function loadDataTargets(call: Node): string[] | undefined {
  const assignment = call.parent;
  if (assignment?.type !== 'assignment' || !assignment.childForFieldName('right')?.equals(call)) return undefined;
  const left = assignment.childForFieldName('left');
  const first = left?.namedChildren[0];
  if (!first || (left?.type !== 'pattern_list' && left?.type !== 'tuple_pattern' && left?.type !== 'list_pattern')) return undefined;
  const inner = first.type === 'parenthesized_expression' ? first.namedChildren[0] : first;
  if (inner?.type === 'tuple_pattern' || inner?.type === 'pattern_list' || inner?.type === 'list_pattern' || inner?.type === 'tuple') {
    return inner.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text);
  }
  return first.type === 'identifier' ? [first.text] : undefined;
}

function sklearn(file: PythonFile, call: Node, fn: string): KnownLoad | undefined {
  const dataset = SKLEARN[fn];
  if (!dataset) return undefined;
  if (fn === 'fetch_20newsgroups') {
    const node = file.keywordArgument(call, 'subset');
    const subset = node ? file.evaluate(node)?.value : 'train';
    if (typeof subset !== 'string' || !dataset.splits[subset]) return unresolved(file, call, dataset, `sklearn.datasets.${fn}`, 'subset=');
    if (file.keywordArgument(call, 'categories')) return unresolved(file, call, dataset, `sklearn.datasets.${fn}`, 'categories= (a subset of the newsgroups)');
    const split = dataset.splits[subset];
    const role = subset === 'test' ? 'held-out' : subset === 'all' ? 'all' : 'train';
    return { role, estimate: fromSplit(file, call, dataset, split, role, `${fmt(split.samples)} samples (sklearn.datasets.${fn}, subset="${subset}"; ${dataset.source})`) };
  }
  const split = dataset.splits.all;
  return { role: 'all', estimate: fromSplit(file, call, dataset, split, 'all', `${fmt(split.samples)} samples, the whole data set (sklearn.datasets.${fn}(); ${dataset.source})`) };
}

function huggingFace(file: PythonFile, call: Node): KnownLoad | undefined {
  const args = file.positionalArguments(call);
  const path = file.evaluate(args[0] ?? file.keywordArgument(call, 'path'))?.value;
  if (typeof path !== 'string') return undefined;
  const configNode = args[1] ?? file.keywordArgument(call, 'name');
  const config = configNode ? file.evaluate(configNode)?.value : undefined;
  if (configNode && typeof config !== 'string') return undefined;
  const key = config ? `${path}/${config}` : path;
  const dataset = HUGGING_FACE[key];
  if (!dataset) return undefined;
  const shown = config ? `load_dataset("${path}", "${config}")` : `load_dataset("${path}")`;
  const splitNode = file.keywordArgument(call, 'split');
  if (!splitNode) {
    // A DatasetDict of every split; scripts train on its "train" split.
    const train = dataset.splits.train;
    if (!train) return undefined;
    const heldOutName = dataset.splits.validation ? 'validation' : dataset.splits.test ? 'test' : undefined;
    const estimate = fromSplit(file, call, dataset, train, 'train', `${fmt(train.samples)} training samples: the "train" split of ${shown} (no split=, so every split is loaded; ${dataset.source})`);
    if (heldOutName) {
      estimate.heldOutSamples = dataset.splits[heldOutName].samples;
      estimate.notes.push(`${fmt(dataset.splits[heldOutName].samples)} held out: its "${heldOutName}" split`);
    }
    return { role: 'train', estimate };
  }
  const spec = file.evaluate(splitNode)?.value;
  if (typeof spec !== 'string') return unresolved(file, call, dataset, shown, 'split=');
  const count = hfSplitCount(dataset, spec);
  if (!count) return unresolved(file, call, dataset, shown, `split="${spec}" (not a split this data set has)`);
  const role = count.training ? 'train' : 'held-out';
  const whole = count.whole && !spec.includes('+');
  const split: KnownSplit = whole ? dataset.splits[spec] : { samples: count.samples };
  const estimate = fromSplit(file, call, dataset, split, role, `${fmt(count.samples)} ${role === 'train' ? 'training' : 'held-out'} samples (${shown}, split="${spec}"; ${dataset.source})`);
  // A slice takes examples in stored order, which may be sorted by label: its per-class counts are unknown.
  if (!whole) delete estimate.classCounts;
  return { role, estimate };
}

function fromSplit(file: PythonFile, call: Node, dataset: KnownDataset, split: KnownSplit, role: KnownLoad['role'], note: string): DatasetEstimate {
  const estimate: DatasetEstimate = { range: file.range(call), name: dataset.title, source: 'known', notes: [note] };
  if (role === 'held-out') estimate.heldOutSamples = split.samples;
  else estimate.trainSamples = split.samples;
  if (dataset.classes !== undefined) estimate.classes = dataset.classes;
  const perClass = splitClassCounts(dataset, split);
  if (perClass && role !== 'held-out') estimate.classCounts = Object.fromEntries(perClass.map((n, i) => [String(i), n]));
  if (dataset.inputShape) estimate.inputShape = [...dataset.inputShape];
  return estimate;
}

/** A known set whose split does not resolve: classes and shape are still facts, the size is not. */
function unresolved(file: PythonFile, call: Node, dataset: KnownDataset, label: string, argument: string): KnownLoad {
  const estimate: DatasetEstimate = { range: file.range(call), name: dataset.title, source: 'known', notes: [`${label}: ${argument} does not resolve statically, so which split (and its size) is unknown`] };
  if (dataset.classes !== undefined) estimate.classes = dataset.classes;
  if (dataset.inputShape) estimate.inputShape = [...dataset.inputShape];
  return { role: 'train', estimate };
}
