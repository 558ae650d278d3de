import type { CodeLens } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { modelCost, type CostSettings } from '../engine/cost/model-cost';
import type { ModelEstimate } from '../engine/cost/model-estimate';
import { formatCount } from '../engine/cost/training-memory';
import type { ScriptFacts } from '../engine/python/models/script-facts';
import type { ModelFormat } from '../engine/models/model-summary';
import { formatBytes } from '../engine/source-files';
import { OPEN_MODEL_REPORT_COMMAND } from '../protocol/requests';
import type { CheckedFile } from './checker';

const KINDS: Record<string, string> = { state_dict: 'state dict', module: 'pickled module', checkpoint: 'training checkpoint', other: 'pickle' };
/** Formats that are not pickles are named as such: "pickled module" would be wrong for them. */
const FORMATS: Partial<Record<ModelFormat, string>> = {
  safetensors: 'safetensors',
  gguf: 'GGUF',
  onnx: 'ONNX',
  'keras-h5': 'Keras HDF5',
  keras: 'Keras',
  tfjs: 'TensorFlow.js',
};

/**
 * "1,498 parameters · state dict · 8.7 KB · 1 finding" on a line that loads a workspace model file. A
 * checkpoint split into shards is counted whole ("… · 3 shards · …"); the lens opens its first shard.
 */
export function modelLens(range: CodeLens['range'], modelFile: string, shards: (CheckedFile | undefined)[]): CodeLens {
  const uri = URI.file(modelFile).toString();
  const summaries = shards.map((checked) => checked?.result.model);
  const findings = shards.reduce((n, checked) => n + (checked?.result.findings.length ?? 0), 0);
  const findingsText = findings ? [`${findings} finding${findings === 1 ? '' : 's'}`] : [];
  const title = summaries.every((s) => s !== undefined)
    ? [
        `${formatCount(summaries.reduce((n, s) => n + s.parameters, 0))} parameters`,
        FORMATS[summaries[0].format] ?? KINDS[summaries[0].kind] ?? summaries[0].kind,
        ...(summaries.length > 1 ? [`${summaries.length} shards`] : []),
        formatBytes(summaries.reduce((n, s) => n + s.sizeBytes, 0)),
        ...findingsText,
      ].join(' · ')
    : [`model file cannot be read`, ...findingsText].join(' · ');
  return { range, command: { title: `DL Doctor: ${title}`, command: OPEN_MODEL_REPORT_COMMAND, arguments: [uri] } };
}

/** The rule whose explanation a cost lens opens: it explains the memory count and how to cut it. */
const COST_EXPLANATION_RULE = 'high-param-count';

/**
 * "DL Doctor: ≈11.7M params · 1.82 GMAC/sample · train mem ≈ 187.0 MB (AdamW, fp32, excl. activations) · …" on the
 * line that builds a model; the hover over the same call lists every number's source and assumption.
 */
export function costLens(model: ModelEstimate, facts: ScriptFacts, settings: CostSettings): CodeLens {
  return {
    range: model.range,
    command: { title: `DL Doctor: ${modelCost(model, facts, settings).summary}`, command: 'dlDoctor.explainRule', arguments: [COST_EXPLANATION_RULE] },
  };
}
