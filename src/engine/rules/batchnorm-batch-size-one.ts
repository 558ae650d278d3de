import { batchNormLayers, handlesBatchNorm, kerasUnitBatches, torchUnitBatches, type UnitBatch } from '../python/training-setup/batch-norm';
import { codeSpan, quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';
import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python/python-file';

export const batchnormBatchSizeOne: PythonRule = {
  code: 'batchnorm-batch-size-one',
  drawback: 'hyperparameters',
  defaultSeverity: 'error',
  title: 'Training with batch size 1 through BatchNorm layers',
  explanation: `
Batch normalisation normalises each channel with the mean and variance *of the current batch* while
training (Ioffe & Szegedy, "Batch Normalization", ICML 2015). With one sample per batch there is nothing to
average over: a fully connected BatchNorm (\`nn.BatchNorm1d\` on \`(N, C)\` input) fails outright with
"Expected more than 1 value per channel when training", a convolutional one normalises each image by
its own statistics, and the running mean and variance that evaluation uses become noise. Wu & He
("Group Normalization", ECCV 2018, Fig. 1) show BatchNorm's error climbing steeply as the batch shrinks
towards 2 images per GPU.

The rule fires when a file both builds BatchNorm layers (\`nn.BatchNorm1d/2d/3d\`, \`SyncBatchNorm\`,
Keras \`BatchNormalization\`) and trains with a batch size that resolves to 1: a PyTorch \`DataLoader(batch_size=1)\`
iterated by a loop that calls \`.backward()\` (or handed to a \`train…\` function of the file that does, or
returned by Lightning's \`train_dataloader\`), or Keras \`fit(batch_size=1)\`. Evaluation loaders with batch size
1 are fine and not reported, nor are files that freeze BatchNorm themselves (\`isinstance(m, nn.BatchNorm2d)\`,
\`FrozenBatchNorm2d\`).

## How to fix
Train with larger batches (16 or more per device is a common floor; accumulate gradients if memory is
short — note that accumulation does not enlarge BatchNorm's batch). If batch size 1 is unavoidable, replace
BatchNorm with GroupNorm or LayerNorm, or freeze it: keep pretrained BatchNorm layers in eval mode
(\`m.eval()\` for every \`nn.BatchNorm2d\` after \`model.train()\`).
`,
  checkPython(file): RuleHit[] {
    const layers = batchNormLayers(file);
    if ((!layers.torch && !layers.keras) || handlesBatchNorm(file)) return [];
    const hits: RuleHit[] = [];
    if (layers.torch) for (const batch of torchUnitBatches(file)) hits.push(hit(file, batch, layers.torch, 'DataLoader'));
    if (layers.keras) for (const batch of kerasUnitBatches(file)) hits.push(hit(file, batch, layers.keras, 'fit'));
    return hits;
  },
};

function hit(file: PythonFile, batch: UnitBatch, layer: Node, what: string): RuleHit {
  const via = batch.size.via ? ` (from ${batch.size.via})` : '';
  const layerName = layer.childForFieldName('function')?.text ?? 'BatchNorm';
  return {
    range: file.range(batch.node),
    message:
      `Training with batch_size=1${via} through ${layerName} (line ${layer.startPosition.row + 1}): BatchNorm's batch statistics of a single sample are meaningless ` +
      '(BatchNorm1d raises an error) and its running statistics become noise. Use batches of 16 or more, or GroupNorm/LayerNorm instead of BatchNorm.',
    evidence: [
      `\`batch_size\` = 1${batch.size.via ? ` from ${batch.size.via}` : ` (line ${batch.node.startPosition.row + 1})`} in ${codeSpan(what)} (line ${batch.call.startPosition.row + 1})`,
      batch.trainedBy.equals(batch.call) ? 'Keras `fit` trains the model' : `used for training: ${trainingHead(batch.trainedBy)}`,
      `BatchNorm layer ${quoteNode(layer)}`,
    ],
    data: { batchSize: 1, via: batch.size.via },
  };
}

/** The first line of a loop or function that trains, for the evidence. */
function trainingHead(node: Node): string {
  const line = `(line ${node.startPosition.row + 1})`;
  if (node.type === 'for_statement') return `${codeSpan(`for ${node.childForFieldName('left')?.text} in ${node.childForFieldName('right')?.text}`)} ${line}, which calls \`.backward()\``;
  if (node.type === 'function_definition') return `returned by \`${node.childForFieldName('name')?.text}\` ${line}`;
  return `${quoteNode(node)}, which calls \`.backward()\``;
}
