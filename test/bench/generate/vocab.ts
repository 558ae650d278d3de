/** Words the generated scripts build their identifiers from, so no two files read alike. */
export const PROJECTS = [
  'cifar', 'mnist', 'imdb', 'speech', 'tabular', 'gan', 'vae', 'bert', 'resnet', 'unet', 'segment', 'detect',
  'ner', 'policy', 'forecast', 'recsys', 'audio', 'pose', 'depth', 'ocr', 'churn', 'fraud', 'qa', 'caption',
] as const;

export const NOUNS = [
  'encoder', 'decoder', 'head', 'block', 'stem', 'backbone', 'adapter', 'projector', 'classifier', 'regressor',
  'embedding', 'attention', 'residual', 'bottleneck', 'mixer', 'gate', 'router', 'pooler', 'critic', 'tower',
  'expert', 'fusion', 'neck', 'bridge', 'branch', 'cell', 'stage', 'layer', 'unit', 'module',
] as const;

export const DATA = [
  'images', 'labels', 'samples', 'batch', 'features', 'targets', 'logits', 'scores', 'weights', 'tokens', 'masks',
  'frames', 'spectra', 'points', 'pairs', 'records', 'rows', 'values', 'series', 'patches', 'clips', 'vectors',
] as const;

export const VERBS = [
  'compute', 'build', 'make', 'load', 'prepare', 'normalize', 'collate', 'augment', 'split', 'filter', 'encode',
  'decode', 'summarize', 'collect', 'restore', 'score', 'merge', 'pad', 'crop', 'resize', 'clip', 'smooth',
  'bucket', 'count', 'rescale', 'aggregate', 'select', 'convert', 'parse', 'validate',
] as const;

export const ADJECTIVES = ['tiny', 'small', 'base', 'wide', 'deep', 'light', 'fast', 'robust', 'sparse', 'dense', 'dual', 'multi'] as const;

export const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'mae', 'rmse', 'auc', 'perplexity', 'bleu', 'iou'] as const;

/** Module docstrings per kind of file; `{p}` is the project, `{n}` a number. */
export const DOCSTRINGS = {
  train: [
    'Training entry point for the {p} experiments.',
    'Quick baseline on {p}; see the README for the full setup.',
    'Hyperparameter sweep driver for {p}.',
    'Ablation: {n} variants on {p}.',
    'Reproduces the {p} numbers from the report (table {n}).',
  ],
  eval: ['Evaluate a trained {p} checkpoint on the held-out split.', 'Inference on {p}: loads a checkpoint and reports accuracy.'],
  utils: ['Utilities shared by the {p} training and evaluation scripts.', 'Small helpers for {p} that did not fit anywhere else.'],
  models: ['Model definitions for {p}.', 'Architectures compared in the {p} experiments ({n} variants).'],
  data: ['Data loading and preprocessing for {p}.', 'Datasets and input pipelines for {p}.'],
} as const;

export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function camel(...words: string[]): string {
  return words.map(capitalize).join('');
}
