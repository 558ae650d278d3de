import { threshold } from '../config';
import type { ModelEstimate } from '../cost/model-estimate';
import { formatCount } from '../cost/training-memory';
import type { DatasetEstimate } from '../data/dataset-estimate';
import { scriptFacts } from '../python/models/script-facts';
import { trainingData, trainsModel, weightsLoad } from '../python/models/training-data';
import { quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

export const DEFAULT_MIN_SAMPLES_PER_PARAMETER = 1e-3;
export const DEFAULT_MIN_SAMPLES_PER_PARAMETER_PRETRAINED = 1e-5;
export const DEFAULT_MIN_SAMPLES_PER_CLASS = 100;

export const tinyDataset: PythonRule = {
  code: 'tiny-dataset',
  drawback: 'data',
  defaultSeverity: 'warning',
  title: 'Too little training data for the size of the model',
  thresholds: [
    { name: 'min-samples-per-parameter', default: DEFAULT_MIN_SAMPLES_PER_PARAMETER, minimum: 0, description: 'training samples per parameter below which a model trained from scratch is reported' },
    { name: 'min-samples-per-parameter-pretrained', default: DEFAULT_MIN_SAMPLES_PER_PARAMETER_PRETRAINED, minimum: 0, description: 'the same for a pretrained model fine-tuned whole (frozen models are never reported)' },
    { name: 'min-samples-per-class', default: DEFAULT_MIN_SAMPLES_PER_CLASS, minimum: 0, description: 'samples in the smallest class below which a model trained from scratch is reported' },
  ],
  explanation: `
A network with many parameters and few training examples can fit the training set — labels, noise
and all — and still generalise badly. Modern deep networks are routinely *over*-parameterised and
generalise anyway (Zhang et al. 2017, "Understanding deep learning requires rethinking
generalization"; Belkin et al. 2019, "Reconciling modern machine-learning practice and the classical
bias–variance trade-off"; Nakkiran et al. 2020, "Deep Double Descent"), so the classical "ten samples
per parameter" rule would flag nearly every working model and is not used here. What the practice
does show is that training a large architecture **from scratch** on a few hundred or thousand examples
overfits, and that the remedy is transfer learning: Chollet, "Building powerful image classification
models using very little data" (Keras blog, 2016) and the Keras guide "Transfer learning & fine-tuning"
start from an ImageNet network once data is in the low thousands; Dosovitskiy et al. (2021, "An Image
is Worth 16x16 Words") found that Vision Transformers trained from scratch fall behind ResNets on
ImageNet-sized data and need far more.

The rule compares the samples a script trains on (a known data set or files in the workspace, after
its splits) with the parameters of each model the script builds, and reports when
- a model trained **from scratch** has fewer than \`tiny-dataset.min-samples-per-parameter\` samples per
  parameter (default 0.001, i.e. fewer than 1,000 samples per million parameters), or fewer than
  \`tiny-dataset.min-samples-per-class\` samples in its smallest class (default 100);
- a **pretrained** model fine-tuned whole has fewer than
  \`tiny-dataset.min-samples-per-parameter-pretrained\` samples per parameter (default 0.00001, 100 times
  more lenient). Fine-tuning all of BERT on very small sets is unstable (Mosbach et al. 2021, "On the
  Stability of Fine-tuning BERT").
A model whose backbone the script freezes is never reported: only its head trains. When the script
loads weights (\`load_state_dict\`, \`torch.load\`, \`load_weights\`) or builds any pretrained model, no
model in it is judged as trained from scratch.

The defaults are set so that common, working setups stay quiet — a 1.2M-parameter CNN on MNIST's
60,000 images (0.05), ResNet-18 (11.7M) or ResNet-50 (23.5M) on CIFAR-10's 50,000 images (0.004,
0.002), BERT-base fine-tuned on a few thousand sentences — while a 25M-parameter network trained from
scratch on 800 images (0.00003) or a ViT-B/16 (86M) from scratch on CIFAR-10 (0.0006) is reported.
They are a heuristic from these anchors, not a law: augmentation, regularisation and architecture
priors move the real limit, and a model whose size only partly resolves is compared by its lower bound.

## How to fix
Start from pretrained weights (\`weights="DEFAULT"\`, \`weights="imagenet"\`, \`from_pretrained\`) and
freeze the backbone at first; use a smaller architecture; add data or augmentation. If the setup is
deliberate (a memorisation test), suppress the finding on that line.
`,
  checkPython(file, config): RuleHit[] {
    const facts = scriptFacts(file);
    const data = trainingData(facts.datasets);
    if (!data || facts.models.length === 0 || !trainsModel(file)) return [];
    // Pretrained weights anywhere in the script (a backbone inside the user's own module, a state dict
    // loaded into it) mean no model in it is judged as trained from scratch.
    const load = weightsLoad(file);
    const anyPretrained = facts.models.find((m) => m.pretrained);
    const hits: RuleHit[] = [];
    for (const model of facts.models) {
      const partlyFrozen = model.trainableParameters !== undefined && model.trainableParameters < model.parameters.count;
      if (model.frozen || partlyFrozen || model.parameters.count <= 0) continue;
      const pretrained = model.pretrained || !!load || !!anyPretrained;
      const hit = pretrained ? pretrainedHit(model, data, config) : scratchHit(model, data, config);
      if (hit && pretrained && !model.pretrained) hit.evidence!.push(load ? `weights may be loaded by ${quoteNode(load)}: judged as fine-tuning` : `the script also builds pretrained ${anyPretrained!.name}: judged as fine-tuning`);
      if (hit) hits.push(hit);
    }
    return hits;
  },
};

const AVERAGE = 'per class on average';

type TrainingData = DatasetEstimate & { trainSamples: number };

function scratchHit(model: ModelEstimate, data: TrainingData, config: Parameters<PythonRule['checkPython']>[1]): RuleHit | undefined {
  const minRatio = threshold(config, 'tiny-dataset.min-samples-per-parameter', DEFAULT_MIN_SAMPLES_PER_PARAMETER);
  const minPerClass = threshold(config, 'tiny-dataset.min-samples-per-class', DEFAULT_MIN_SAMPLES_PER_CLASS);
  const ratio = data.trainSamples / model.parameters.count;
  const smallest = smallestClass(data);
  const fewPerParameter = ratio < minRatio;
  const fewPerClass = smallest !== undefined && smallest.count < minPerClass;
  if (!fewPerParameter && !fewPerClass) return undefined;
  const evidence = baseEvidence(model, data, ratio);
  evidence.push(`trained from scratch: no pretrained weights; \`tiny-dataset.min-samples-per-parameter\` = ${minRatio}`);
  if (smallest) evidence.push(`smallest class: ${smallest.label} with ${smallest.count.toLocaleString('en-US')} samples; \`tiny-dataset.min-samples-per-class\` = ${minPerClass}`);
  const reasons = [
    ...(fewPerParameter ? [`${formatRatio(ratio)} samples/parameter, below ${minRatio}`] : []),
    ...(fewPerClass ? [`${smallest.label === AVERAGE ? `≈${smallest.count.toLocaleString('en-US')} samples per class` : `${smallest.count.toLocaleString('en-US')} samples in class ${smallest.label}`}, below ${minPerClass}`] : []),
  ];
  return {
    range: model.range,
    message:
      `${sizeText(model)} trained from scratch on ≈${data.trainSamples.toLocaleString('en-US')} training samples (${reasons.join('; ')}): expect overfitting. ` +
      `Start from pretrained weights and freeze the backbone, use a smaller model, or add data.`,
    evidence,
    data: dataFor(model, data, ratio),
  };
}

function pretrainedHit(model: ModelEstimate, data: TrainingData, config: Parameters<PythonRule['checkPython']>[1]): RuleHit | undefined {
  const minRatio = threshold(config, 'tiny-dataset.min-samples-per-parameter-pretrained', DEFAULT_MIN_SAMPLES_PER_PARAMETER_PRETRAINED);
  const ratio = data.trainSamples / model.parameters.count;
  if (ratio >= minRatio) return undefined;
  const evidence = baseEvidence(model, data, ratio);
  evidence.push(`pretrained and fine-tuned whole (no freezing found); \`tiny-dataset.min-samples-per-parameter-pretrained\` = ${minRatio}`);
  return {
    range: model.range,
    message:
      `${sizeText(model)} fine-tuned whole on ≈${data.trainSamples.toLocaleString('en-US')} training samples (${formatRatio(ratio)} samples/parameter, below ${minRatio}): ` +
      `fine-tuning may overfit or be unstable. Freeze the backbone and train the head first, or add data.`,
    evidence,
    data: dataFor(model, data, ratio),
  };
}

function baseEvidence(model: ModelEstimate, data: TrainingData, ratio: number): string[] {
  return [
    `model: ${model.name}, ${model.parameters.exact ? '' : 'at least '}${model.parameters.count.toLocaleString('en-US')} parameters${model.notes[0] ? ` — ${model.notes[0]}` : ''}`,
    `data: ${data.name}, ${data.trainSamples.toLocaleString('en-US')} training samples${data.notes[0] ? ` — ${data.notes[0]}` : ''}`,
    `${data.trainSamples.toLocaleString('en-US')} / ${model.parameters.count.toLocaleString('en-US')} = ${formatRatio(ratio)} samples per parameter${model.parameters.exact ? '' : ' (at most)'}`,
  ];
}

function smallestClass(data: TrainingData): { label: string; count: number } | undefined {
  const counts = data.classCounts ? Object.entries(data.classCounts) : [];
  if (counts.length >= 2) {
    const [label, count] = counts.reduce((a, b) => (b[1] < a[1] ? b : a));
    return { label: `'${label}'`, count };
  }
  if (data.classes !== undefined && data.classes >= 2) return { label: AVERAGE, count: Math.floor(data.trainSamples / data.classes) };
  return undefined;
}

function sizeText(model: ModelEstimate): string {
  return `${model.parameters.exact ? '≈' : 'At least '}${formatCount(model.parameters.count)} parameters (${model.name})`;
}

function dataFor(model: ModelEstimate, data: TrainingData, ratio: number): Record<string, unknown> {
  return { parameters: model.parameters.count, exact: model.parameters.exact, pretrained: model.pretrained, trainSamples: data.trainSamples, samplesPerParameter: ratio };
}

/** 0.00003, 0.0043, 0.05: two significant digits, never scientific notation (users compare it with the threshold). */
export function formatRatio(ratio: number): string {
  if (ratio >= 1) return ratio.toFixed(1);
  const digits = Math.min(12, Math.max(2, 1 - Math.floor(Math.log10(ratio))));
  return ratio.toFixed(digits).replace(/(\.\d*?[1-9])0+$/, '$1');
}
