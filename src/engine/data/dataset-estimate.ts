import type { Range } from '../finding';

/**
 * A data set a training script trains on, as worked out from the code and the workspace without
 * running anything: a known data set (torchvision, Keras, scikit-learn, Hugging Face) or files in the
 * workspace (CSV rows, `.npy` shapes, image folders), after the splits the script applies. Read by
 * `tiny-dataset`, `class-imbalance`, the cost code lens and the CLI's facts.
 */
export interface DatasetEstimate {
  /** The expression that loads the data (`datasets.CIFAR10(...)`, `pd.read_csv(...)`). */
  range: Range;
  /** As the user would name it: `CIFAR-10`, `data/train.csv`, `images/train/`. */
  name: string;
  source: 'known' | 'csv' | 'npy' | 'image-folder';
  /** Samples the model trains on, after splits; absent when it does not resolve. */
  trainSamples?: number;
  /** The count stopped at a bound (a byte cap, a folder walk limit): `trainSamples` is "at least". */
  lowerBound?: boolean;
  /** Held-out samples (test or validation split), when known. */
  heldOutSamples?: number;
  /** Samples per class, where the classes are known (image subfolders, a label column, a known set). */
  classCounts?: Record<string, number>;
  /** Number of classes, when known even without per-class counts. */
  classes?: number;
  /** Shape of one sample (no batch dimension), channels-first, when known. */
  inputShape?: number[];
  /** How the numbers were derived, one line each: "50,000 training images (torchvision CIFAR10, train=True)". */
  notes: string[];
}
