/**
 * How libraries turn a split argument into sample counts. Each function returns undefined when the
 * library would raise (sizes out of range), so no count is reported for code that cannot run.
 */

export interface SplitCounts {
  train: number;
  heldOut: number;
}

/**
 * sklearn.model_selection.train_test_split (and Hugging Face `Dataset.train_test_split`, which follows
 * it): a float test_size is a fraction rounded UP, `n_test = ceil(test_size * n)`, a float train_size
 * rounded down, `n_train = floor(train_size * n)`; ints are counts; with neither, test_size is 0.25
 * (scikit-learn docs for train_test_split; `_validate_shuffle_split` in sklearn/model_selection/_split.py).
 */
export function trainTestSplit(n: number, testSize: number | undefined, trainSize: number | undefined): SplitCounts | undefined {
  const size = (value: number, round: (x: number) => number) => (Number.isInteger(value) && value >= 1 ? value : value > 0 && value < 1 ? round(value * n) : undefined);
  const test = testSize === undefined ? undefined : size(testSize, Math.ceil);
  const train = trainSize === undefined ? undefined : size(trainSize, Math.floor);
  if ((testSize !== undefined && test === undefined) || (trainSize !== undefined && train === undefined)) return undefined;
  let nTest = test;
  let nTrain = train;
  if (nTest === undefined && nTrain === undefined) nTest = Math.ceil(0.25 * n);
  if (nTest === undefined) nTest = n - nTrain!;
  if (nTrain === undefined) nTrain = n - nTest;
  if (nTrain <= 0 || nTest <= 0 || nTrain + nTest > n) return undefined;
  return { train: nTrain, heldOut: nTest };
}

/**
 * torch.utils.data.random_split(dataset, lengths): lengths are counts that must sum to len(dataset),
 * or fractions summing to 1, each floored, the remainder handed out one at a time round-robin from the
 * first split on (torch/utils/data/dataset.py, `random_split`; PyTorch docs).
 */
export function randomSplit(n: number, lengths: number[]): number[] | undefined {
  if (lengths.length === 0) return undefined;
  // torch treats lengths as fractions when they sum to 1 (math.isclose) and not above it.
  const sum = lengths.reduce((a, b) => a + b, 0);
  const fractions = Math.abs(sum - 1) <= 1e-9 && sum <= 1 && lengths.every((l) => l >= 0 && l <= 1);
  if (fractions) {
    const counts = lengths.map((f) => Math.floor(n * f));
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length]++;
    return counts;
  }
  if (!lengths.every((l) => Number.isInteger(l) && l >= 0)) return undefined;
  return lengths.reduce((a, b) => a + b, 0) === n ? lengths : undefined;
}

/**
 * Keras `fit(validation_split=v)`: the last fraction of the arrays is held out; training keeps the
 * first `floor(n * (1 - v))` samples (`train_validation_split`, keras/src/trainers/data_adapters/
 * array_slicing.py; tf.keras data_adapter.py in TF 2.x).
 */
export function kerasValidationSplit(n: number, validationSplit: number): SplitCounts | undefined {
  if (!(validationSplit > 0 && validationSplit < 1)) return undefined;
  const train = Math.floor(n * (1 - validationSplit));
  if (train === 0 || train === n) return undefined;
  return { train, heldOut: n - train };
}

/** Python slice length `seq[start:stop]` (step 1) of a sequence of length n. */
export function sliceLength(n: number, start: number | undefined, stop: number | undefined): number {
  const clamp = (v: number | undefined, fallback: number) => (v === undefined ? fallback : v < 0 ? Math.max(0, n + v) : Math.min(n, v));
  return Math.max(0, clamp(stop, n) - clamp(start, 0));
}

/** `len(range(start, stop, step))` for integer arguments. */
export function rangeLength(start: number, stop: number, step: number): number | undefined {
  if (step === 0 || ![start, stop, step].every(Number.isSafeInteger)) return undefined;
  return Math.max(0, Math.ceil((stop - start) / step));
}

/** Python's `round()` rounds halves to even; Hugging Face percent slices use it ("closest" rounding). */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
