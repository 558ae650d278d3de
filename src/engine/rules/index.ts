import { cudnnBenchmarkNondeterministic } from './cudnn-benchmark-nondeterministic';
import { dataloaderWorkersUnseeded } from './dataloader-workers-unseeded';
import type { PythonRule, RuleMeta } from './rule';
import { seedUnused } from './seed-unused';
import { unsetSeed } from './unset-seed';

/** Every rule, in the order the README table and `dl-doctor rules` list them. */
export const PYTHON_RULES: readonly PythonRule[] = [unsetSeed, seedUnused, cudnnBenchmarkNondeterministic, dataloaderWorkersUnseeded];

export const ALL_RULES: readonly RuleMeta[] = PYTHON_RULES;

export function findRule(code: string): RuleMeta | undefined {
  return ALL_RULES.find((rule) => rule.code === code);
}
