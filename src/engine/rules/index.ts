import { cudnnBenchmarkNondeterministic } from './cudnn-benchmark-nondeterministic';
import { dataloaderWorkersUnseeded } from './dataloader-workers-unseeded';
import { explodingWeights } from './exploding-weights';
import { highParamCount } from './high-param-count';
import { invalidConfig } from './invalid-config';
import { kerasLambdaLayer } from './keras-lambda-layer';
import { modelFileUnreadable } from './model-file-unreadable';
import { onnxExternalDataEscape } from './onnx-external-data-escape';
import { generalizationGap } from './generalization-gap';
import { lossNan } from './loss-nan';
import type { ModelRule, PythonRule, RuleMeta, RunRule } from './rule';
import { seedUnused } from './seed-unused';
import { unsafePickle } from './unsafe-pickle';
import { unsetSeed } from './unset-seed';
import { suspiciousValidation } from './suspicious-validation';
import { unusedSuppression } from './unused-suppression';
import { valDivergence } from './val-divergence';
import { weightsNanInf } from './weights-nan-inf';

/** Every rule, in the order the README table and `dl-doctor rules` list them. */
export const PYTHON_RULES: readonly PythonRule[] = [unsetSeed, seedUnused, cudnnBenchmarkNondeterministic, dataloaderWorkersUnseeded];

/** Rules on model files (checkpoints, exports). */
export const MODEL_RULES: readonly ModelRule[] = [unsafePickle, kerasLambdaLayer, onnxExternalDataEscape, modelFileUnreadable, highParamCount, weightsNanInf, explodingWeights];

/** Rules on training logs (one run's metric history each). */
export const RUN_RULES: readonly RunRule[] = [valDivergence, generalizationGap, lossNan, suspiciousValidation];

/** Rules about DL Doctor's own configuration: suppression comments and pyproject.toml. */
export const CONFIG_RULES: readonly RuleMeta[] = [unusedSuppression, invalidConfig];

export const ALL_RULES: readonly RuleMeta[] = [...PYTHON_RULES, ...MODEL_RULES, ...RUN_RULES, ...CONFIG_RULES];

export function findRule(code: string): RuleMeta | undefined {
  return ALL_RULES.find((rule) => rule.code === code);
}
