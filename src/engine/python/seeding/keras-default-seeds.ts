import type { PythonFile } from '../python-file';
import type { Framework } from './frameworks';
import type { RandomUse } from './random-uses';

/**
 * Standalone Keras draws the seeds of its unseeded random ops from another library's global
 * generator, and which one depends on the installed version, which the file does not say:
 * - Keras 2.3 and older (`import keras`, TensorFlow 1 / Theano backends) take
 *   `np.random.randint(10e6)` when no seed is given (keras/backend/tensorflow_backend.py,
 *   `random_uniform`, `random_normal`, `dropout`), so `np.random.seed` fixes its weights;
 * - Keras 3 takes `random.randint(1, 1e9)` from Python's `random` (keras/src/random/seed_generator.py,
 *   `make_default_seed`).
 * So a file that seeds NumPy or Python's `random` and builds its layers through standalone `keras`
 * may well be reproducible; precision first, such uses are not reported as unseeded.
 * (`tensorflow.keras` is excluded: in TensorFlow 2 its initializers use TensorFlow's global seed.)
 */
export function seededThroughKerasDefaults(file: PythonFile, use: RandomUse, seeded: ReadonlySet<Framework>): boolean {
  if (use.framework !== 'tensorflow' || seeded.has('tensorflow')) return false;
  if (!seeded.has('numpy') && !seeded.has('random')) return false;
  const name = file.calleeName(use.call);
  return name !== undefined && /^keras\./.test(name);
}
