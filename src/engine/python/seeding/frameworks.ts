/**
 * The random number generators a training script can draw from without saying so. Each has its own
 * global state and its own seeding call; seeding one does not seed the others.
 */
export const FRAMEWORKS = ['random', 'numpy', 'torch', 'tensorflow'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** How messages name each generator. */
export const FRAMEWORK_LABELS: Record<Framework, string> = {
  random: "Python's random",
  numpy: 'NumPy',
  torch: 'PyTorch',
  tensorflow: 'TensorFlow/Keras',
};

export function sortFrameworks(frameworks: Iterable<Framework>): Framework[] {
  const set = new Set(frameworks);
  return FRAMEWORKS.filter((f) => set.has(f));
}

/** "PyTorch and NumPy", "Python's random, NumPy and PyTorch". */
export function frameworkList(frameworks: Iterable<Framework>): string {
  const labels = sortFrameworks(frameworks).map((f) => FRAMEWORK_LABELS[f]);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/**
 * Keras is reachable as `keras`, `tensorflow.keras`, `tf_keras` and `tensorflow.python.keras`;
 * fold them into one spelling so the catalogues list each API once.
 */
export function normalizeKeras(qualified: string): string {
  for (const prefix of ['tensorflow.python.keras.', 'tensorflow.keras.', 'tf_keras.']) {
    if (qualified.startsWith(prefix)) return `keras.${qualified.slice(prefix.length)}`;
  }
  // Keras 3 also exposes everything under `keras.src.` and `keras.api.`.
  return qualified.replace(/^keras\.(src|api|_tf_keras\.keras)\./, 'keras.');
}
