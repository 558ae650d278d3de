import { cudnnBenchmarkNondeterministic } from './cudnn-benchmark-nondeterministic';
import { dataloaderWorkersUnseeded } from './dataloader-workers-unseeded';
import { doubleSoftmax } from './double-softmax';
import { evalModeMissing } from './eval-mode-missing';
import { explodingWeights } from './exploding-weights';
import { highParamCount } from './high-param-count';
import { invalidConfig } from './invalid-config';
import { kerasLambdaLayer } from './keras-lambda-layer';
import { missingZeroGrad } from './missing-zero-grad';
import { modelFileUnreadable } from './model-file-unreadable';
import { noValidation } from './no-validation';
import { onnxExternalDataEscape } from './onnx-external-data-escape';
import { preprocessingLeakage } from './preprocessing-leakage';
import type { ModelRule, PythonRule, RuleMeta } from './rule';
import { seedUnused } from './seed-unused';
import { unsafePickle } from './unsafe-pickle';
import { unsetSeed } from './unset-seed';
import { unusedSuppression } from './unused-suppression';
import { weightsNanInf } from './weights-nan-inf';

/** Every rule, in the order the README table and `dl-doctor rules` list them. */
export const PYTHON_RULES: readonly PythonRule[] = [unsetSeed, seedUnused, cudnnBenchmarkNondeterministic, dataloaderWorkersUnseeded,
  // Training setup (hp-rules-b).
  missingZeroGrad,
  noValidation,
  doubleSoftmax,
  evalModeMissing,
  preprocessingLeakage,
];

/** Rules on model files (checkpoints, exports). */
export const MODEL_RULES: readonly ModelRule[] = [unsafePickle, kerasLambdaLayer, onnxExternalDataEscape, modelFileUnreadable, highParamCount, weightsNanInf, explodingWeights];

/** Rules about DL Doctor's own configuration: suppression comments and pyproject.toml. */
export const CONFIG_RULES: readonly RuleMeta[] = [unusedSuppression, invalidConfig];

export const ALL_RULES: readonly RuleMeta[] = [...PYTHON_RULES, ...MODEL_RULES, ...CONFIG_RULES];

export function findRule(code: string): RuleMeta | undefined {
  return ALL_RULES.find((rule) => rule.code === code);
}
