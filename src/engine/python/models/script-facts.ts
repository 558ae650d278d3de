import type { ModelEstimate } from '../../cost/model-estimate';
import type { DatasetEstimate } from '../../data/dataset-estimate';
import type { Range } from '../../finding';
import type { PythonFile } from '../python-file';

/** How many epochs a script trains for, where it resolves: `fit(epochs=30)`, `for epoch in range(EPOCHS)`. */
export interface TrainingLength {
  epochs: number;
  /** Where the number came from, for hovers: "`epochs=` of fit (line 40), EPOCHS (line 3)". */
  via: string;
  range: Range;
}

/**
 * What a script builds and trains on, worked out once per check before the rules run (data set facts
 * come from disk, asynchronously; rules are synchronous and read this memo).
 */
export interface ScriptFacts {
  models: ModelEstimate[];
  datasets: DatasetEstimate[];
  training?: TrainingLength;
}

const KEY = 'script-facts';

/** The facts the engine computed for this check; empty when it computed none (a rule called on its own). */
export function scriptFacts(file: PythonFile): ScriptFacts {
  return (file.memo.get(KEY) as ScriptFacts | undefined) ?? { models: [], datasets: [] };
}

export function setScriptFacts(file: PythonFile, facts: ScriptFacts): void {
  file.memo.set(KEY, facts);
}
