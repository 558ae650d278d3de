import { adamWeightDecay } from './adam-weight-decay';
import { batchnormBatchSizeOne } from './batchnorm-batch-size-one';
import { classImbalance } from './class-imbalance';
import { cudnnBenchmarkNondeterministic } from './cudnn-benchmark-nondeterministic';
import { dataloaderWorkersUnseeded } from './dataloader-workers-unseeded';
import { doubleSoftmax } from './double-softmax';
import { dropoutTooHigh } from './dropout-too-high';
import { earlyStoppingPatienceZero } from './early-stopping-patience-zero';
import { evalModeMissing } from './eval-mode-missing';
import { explodingWeights } from './exploding-weights';
import { highParamCount } from './high-param-count';
import { invalidConfig } from './invalid-config';
import { kerasLambdaLayer } from './keras-lambda-layer';
import { lrOutOfRange } from './lr-out-of-range';
import { missingZeroGrad } from './missing-zero-grad';
import { modelFileUnreadable } from './model-file-unreadable';
import { noEarlyStopping } from './no-early-stopping';
import { noValidation } from './no-validation';
import { onnxExternalDataEscape } from './onnx-external-data-escape';
import { generalizationGap } from './generalization-gap';
import { lossNan } from './loss-nan';
import { preprocessingLeakage } from './preprocessing-leakage';
import type { ModelRule, PythonRule, RuleMeta, RunRule } from './rule';
import { seedUnused } from './seed-unused';
import { tinyDataset } from './tiny-dataset';
import { unsafePickle } from './unsafe-pickle';
import { unsetSeed } from './unset-seed';
import { suspiciousValidation } from './suspicious-validation';
import { unusedSuppression } from './unused-suppression';
import { valDivergence } from './val-divergence';
import { weightsNanInf } from './weights-nan-inf';

/** Every rule, in the order the README table and `dl-doctor rules` list them. */
export const PYTHON_RULES: readonly PythonRule[] = [
  unsetSeed,
  seedUnused,
  cudnnBenchmarkNondeterministic,
  dataloaderWorkersUnseeded,
  // Hyperparameters and training setup.
  lrOutOfRange,
  adamWeightDecay,
  earlyStoppingPatienceZero,
  batchnormBatchSizeOne,
  dropoutTooHigh,
  noEarlyStopping,
  missingZeroGrad,
  noValidation,
  doubleSoftmax,
  evalModeMissing,
  preprocessingLeakage,
  // Model size and data (from the code).
  tinyDataset,
  classImbalance,
  highParamCount,
];

/** Rules on model files (checkpoints, exports). */
export const MODEL_RULES: readonly ModelRule[] = [unsafePickle, kerasLambdaLayer, onnxExternalDataEscape, modelFileUnreadable, highParamCount, weightsNanInf, explodingWeights];

/** Rules on training logs (one run's metric history each). */
export const RUN_RULES: readonly RunRule[] = [valDivergence, generalizationGap, lossNan, suspiciousValidation];

/** Rules about DL Doctor's own configuration: suppression comments and pyproject.toml. */
export const CONFIG_RULES: readonly RuleMeta[] = [unusedSuppression, invalidConfig];

/** Each rule once (`high-param-count` checks both scripts and model files). */
export const ALL_RULES: readonly RuleMeta[] = [...PYTHON_RULES.filter((r) => !(MODEL_RULES as readonly RuleMeta[]).includes(r)), ...MODEL_RULES, ...RUN_RULES, ...CONFIG_RULES];

export function findRule(code: string): RuleMeta | undefined {
  return ALL_RULES.find((rule) => rule.code === code);
}
