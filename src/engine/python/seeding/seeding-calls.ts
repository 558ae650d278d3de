import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { FRAMEWORKS, normalizeKeras, type Framework } from './frameworks';

const ALL: readonly Framework[] = FRAMEWORKS;
const RANDOM_NUMPY_TORCH: readonly Framework[] = ['random', 'numpy', 'torch'];

/** Seeding functions of the frameworks and of the libraries that seed on their behalf. */
const SEEDERS: Record<string, readonly Framework[]> = {
  'random.seed': ['random'],
  'numpy.random.seed': ['numpy'],
  'torch.manual_seed': ['torch'],
  'torch.random.manual_seed': ['torch'],
  'torch.cuda.manual_seed': ['torch'],
  'torch.cuda.manual_seed_all': ['torch'],
  'tensorflow.random.set_seed': ['tensorflow'],
  'tensorflow.set_random_seed': ['tensorflow'],
  'tensorflow.compat.v1.set_random_seed': ['tensorflow'],
  'tensorflow.compat.v1.random.set_random_seed': ['tensorflow'],
  // Keras' set_random_seed seeds Python's random, NumPy and the backend (keras.io/api/utils/python_utils).
  'keras.utils.set_random_seed': ['random', 'numpy', 'tensorflow'],
  // transformers.set_seed seeds random, numpy, torch and tf when installed (transformers trainer_utils).
  'transformers.set_seed': ALL,
  'transformers.trainer_utils.set_seed': ALL,
  'transformers.enable_full_determinism': ALL,
  'transformers.trainer_utils.enable_full_determinism': ALL,
  'accelerate.utils.set_seed': RANDOM_NUMPY_TORCH,
  // Trainer.__init__ calls set_seed(args.seed) (default 42) before it builds anything random.
  'transformers.Trainer': RANDOM_NUMPY_TORCH,
  'transformers.Seq2SeqTrainer': RANDOM_NUMPY_TORCH,
  'trl.SFTTrainer': RANDOM_NUMPY_TORCH,
};

const LIGHTNING_ROOTS = new Set(['lightning', 'pytorch_lightning', 'lightning_fabric', 'lightning_lite']);

/** A NumPy generator built from a seed counts as seeding NumPy: the draws from it are reproducible. */
const NUMPY_SEEDED_GENERATORS = new Set(['numpy.random.default_rng', 'numpy.random.RandomState']);

/** How a call seeds: the frameworks it seeds, or `unknown` for a helper we cannot see into. */
export type SeedEffect = readonly Framework[] | 'unknown';

/** Frameworks a call to a known library function seeds; undefined when it is not a known seeder. */
export function librarySeedEffect(file: PythonFile, call: Node, qualified: string): SeedEffect | undefined {
  const known = SEEDERS[qualified] ?? SEEDERS[normalizeKeras(qualified)];
  if (known) return known;
  if (NUMPY_SEEDED_GENERATORS.has(qualified)) {
    return file.positionalArguments(call).length > 0 || file.keywordArgument(call, 'seed') ? ['numpy'] : undefined;
  }
  const tail = qualified.slice(qualified.lastIndexOf('.') + 1);
  if (tail === 'seed_everything' && LIGHTNING_ROOTS.has(qualified.split('.')[0])) return RANDOM_NUMPY_TORCH;
  if (tail === 'LightningCLI' && LIGHTNING_ROOTS.has(qualified.split('.')[0])) return lightningCliSeedEffect(file, call);
  return undefined;
}

/**
 * LightningCLI calls `seed_everything` itself, before it builds the model and data, with the value of
 * its `seed_everything` option: `seed_everything_default=1234` seeds with 1234, `False` disables it,
 * and without a literal the seed comes from the command line or a config file the file does not show
 * (Lightning, \`LightningCLI\` reference: lightning.ai/docs/pytorch/stable/api/lightning.pytorch.cli.LightningCLI.html).
 */
function lightningCliSeedEffect(file: PythonFile, call: Node): SeedEffect | undefined {
  const value = file.evaluate(file.keywordArgument(call, 'seed_everything_default'))?.value;
  if (value === false) return undefined;
  return typeof value === 'number' ? RANDOM_NUMPY_TORCH : 'unknown';
}

/** Names that say "this seeds something", for helpers we cannot resolve (precision first: trust them). */
export function looksLikeSeeder(name: string): boolean {
  return /seed/i.test(name);
}
