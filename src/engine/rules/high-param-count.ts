import { threshold } from '../config';
import { formatCount, formatGB, trainingMemory } from '../cost/training-memory';
import { formatBytes } from '../source-files';
import { scriptFacts } from '../python/models/script-facts';
import { WHOLE_FILE, type ModelRule, type PythonRule, type RuleHit } from './rule';

/** Default size above which a model is worth a note: 100M parameters (BERT-large is 340M, ResNet-50 25.6M). */
export const DEFAULT_MIN_PARAMETERS = 100_000_000;
export const MIN_PARAMETERS_SETTING = 'high-param-count.min-parameters';

export const highParamCount: ModelRule & PythonRule = {
  code: 'high-param-count',
  drawback: 'cost',
  defaultSeverity: 'info',
  title: 'A large model: what it costs to train',
  thresholds: [{ name: 'min-parameters', default: DEFAULT_MIN_PARAMETERS, minimum: 0, description: 'model files with at least this many parameters get the note' }],
  explanation: `
Deep networks are expensive: every parameter is stored, updated and, while training, accompanied by
its gradient and optimizer state. A model file's size on disk understates that cost. Trained in
fp32, each parameter needs 4 bytes of weights, 4 of gradient and the optimizer's state: one
momentum buffer for SGD with momentum (≈ 12 bytes per parameter in all), two moments for Adam and
AdamW (≈ 16 bytes per parameter). Activations come on top and depend on batch size and architecture,
so they are not included. The counting follows Rajbhandari et al., "ZeRO: Memory Optimizations Toward
Training Trillion Parameter Models" (SC 2020), section 3.1.

The rule reports model files above \`high-param-count.min-parameters\` (default 100M; the VS Code setting
\`dlDoctor.highParamCount.minParameters\`), and the line of a training script that builds such a model
(a catalogue architecture such as \`torchvision.models.vgg16()\` or \`from_pretrained("gpt2-large")\`, or a
model whose layers DL Doctor can count).

## How to fix
Nothing is broken; decide whether the size is needed. For fine-tuning, freeze most of the network or
use parameter-efficient methods (adapters, LoRA); train in mixed precision (bf16/fp16 halves weights and
gradients); use an 8-bit optimizer or shard optimizer state (ZeRO); or start from a smaller architecture.
`,
  checkPython(file, config): RuleHit[] {
    const min = threshold(config, MIN_PARAMETERS_SETTING, DEFAULT_MIN_PARAMETERS);
    const hits: RuleHit[] = [];
    for (const model of scriptFacts(file).models) {
      const n = model.parameters.count;
      if (n < min || n === 0) continue;
      const memory = trainingMemory(n);
      const size = `${model.parameters.exact ? '≈' : 'At least '}${formatCount(n)}`;
      hits.push({
        range: model.range,
        message:
          `${size} parameters (${model.name}). Training it in fp32 needs ${model.parameters.exact ? '≈' : 'at least '}${formatGB(memory.adamBytes)} with Adam/AdamW (16 B/parameter) ` +
          `or ${formatGB(memory.sgdMomentumBytes)} with SGD+momentum (12 B/parameter) for weights, gradients and optimizer state, before activations. ` +
          `Consider mixed precision, freezing layers or a smaller model.`,
        evidence: [
          `${model.parameters.exact ? '' : 'at least '}${n.toLocaleString('en-US')} parameters, at or above \`${MIN_PARAMETERS_SETTING}\` = ${min.toLocaleString('en-US')}`,
          ...model.notes,
          `Adam/AdamW: × 16 B ≈ ${formatGB(memory.adamBytes)}; SGD with momentum: × 12 B ≈ ${formatGB(memory.sgdMomentumBytes)}`,
        ],
        data: { parameters: n, exact: model.parameters.exact, adamBytes: memory.adamBytes, sgdMomentumBytes: memory.sgdMomentumBytes },
      });
    }
    return hits;
  },
  checkModel(model, config): RuleHit[] {
    if (!('summary' in model)) return [];
    const { summary } = model;
    const min = threshold(config, MIN_PARAMETERS_SETTING, DEFAULT_MIN_PARAMETERS);
    if (summary.parameters < min || summary.parameters === 0) return [];
    const memory = trainingMemory(summary.parameters);
    const total = Object.values(summary.dtypes).reduce((a, b) => a + b, 0);
    const mix = Object.entries(summary.dtypes)
      .sort(([, a], [, b]) => b - a)
      .map(([dtype, n]) => (Object.keys(summary.dtypes).length > 1 ? `${dtype} ${Math.round((100 * n) / total)}%` : dtype))
      .join(', ');
    return [
      {
        range: WHOLE_FILE,
        message:
          `${formatCount(summary.parameters)} parameters (${mix}; ${formatBytes(summary.sizeBytes)} on disk). Training it in fp32 needs ≈${formatGB(memory.adamBytes)} ` +
          `with Adam/AdamW (16 B/parameter) or ≈${formatGB(memory.sgdMomentumBytes)} with SGD+momentum (12 B/parameter) for weights, gradients and optimizer state, before activations. ` +
          `Consider mixed precision, freezing layers or a smaller model.`,
        evidence: [
          `${summary.parameters.toLocaleString('en-US')} parameters, at or above \`${MIN_PARAMETERS_SETTING}\` = ${min.toLocaleString('en-US')}`,
          `Adam/AdamW: ${summary.parameters.toLocaleString('en-US')} × 16 B (fp32 weights, gradients, two moments) ≈ ${formatGB(memory.adamBytes)}`,
          `SGD with momentum: ${summary.parameters.toLocaleString('en-US')} × 12 B ≈ ${formatGB(memory.sgdMomentumBytes)}`,
        ],
        data: { parameters: summary.parameters, adamBytes: memory.adamBytes, sgdMomentumBytes: memory.sgdMomentumBytes, dtypes: summary.dtypes },
      },
    ];
  },
};
