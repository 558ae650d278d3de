import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../finding';
import type { PythonFile } from '../python/python-file';
import { resolveValue } from '../python/training-setup/config-values';
import { formatRate } from '../python/training-setup/format';
import { quoteNode } from './evidence';
import type { PythonRule, RuleHit } from './rule';

const TORCH_ADAM = /^torch\.optim\.(?:adam\.)?Adam$/;

export const adamWeightDecay: PythonRule = {
  code: 'adam-weight-decay',
  drawback: 'hyperparameters',
  defaultSeverity: 'info',
  title: 'torch.optim.Adam with weight_decay: AdamW was probably meant',
  explanation: `
\`torch.optim.Adam(..., weight_decay=λ)\` adds λ·w to the gradient (L2 regularisation) *before* Adam's
per-parameter scaling. Weights with large gradient history are then divided by a large denominator, so
they are barely decayed, and the amount of regularisation becomes entangled with the learning rate.
Loshchilov & Hutter ("Decoupled Weight Decay Regularization", ICLR 2019) showed that this is not
equivalent to weight decay for adaptive optimizers, and that decoupling it — shrinking the weights
directly, as \`torch.optim.AdamW\` does — generalises better and makes the decay easier to tune.
Most modern recipes (transformers, ViTs, ConvNeXt) use AdamW.

## How to fix
Use \`torch.optim.AdamW\` — the quick fix *Use AdamW* swaps the class and keeps your import style. Then
re-tune the value: AdamW multiplies the decay by the learning rate, so its usual \`weight_decay\` is
1e-2 … 1e-1 (PyTorch's AdamW default is 1e-2), far larger than the 1e-5 … 5e-4 typical for L2 in Adam.
If L2 regularisation through Adam is what you want, silence this with \`# dl-doctor: ignore[adam-weight-decay]\`.
`,
  checkPython(file): RuleHit[] {
    const hits: RuleHit[] = [];
    for (const call of file.calls) {
      if (!TORCH_ADAM.test(file.calleeName(call) ?? '') || file.hasSplat(call)) continue;
      // Adam(params, lr, betas, eps, weight_decay, …)
      const node = file.keywordArgument(call, 'weight_decay') ?? file.positionalArguments(call)[4];
      const decay = resolveValue(file, node);
      if (!node || typeof decay?.value !== 'number' || decay.value <= 0) continue;
      const fix = adamWFix(file, call);
      hits.push({
        range: file.range(call.childForFieldName('function') ?? call),
        message:
          `Adam with weight_decay=${formatRate(decay.value)}${decay.via ? ` (from ${decay.via})` : ''} applies L2 regularisation that Adam's scaling weakens, not true weight decay. ` +
          'Use torch.optim.AdamW for decoupled weight decay (and re-tune the value: AdamW usually takes 1e-2 … 1e-1).',
        evidence: [
          `\`weight_decay\` = ${formatRate(decay.value)}${decay.via ? ` from ${decay.via}` : ` (line ${node.startPosition.row + 1})`} in ${quoteNode(call)}`,
          'Adam couples L2 with its adaptive scaling; AdamW decouples it (Loshchilov & Hutter, ICLR 2019)',
        ],
        ...(fix ? { fixes: [fix] } : {}),
        data: { weightDecay: decay.value, via: decay.via },
      });
    }
    return hits;
  },
};

/**
 * `optim.Adam` → `optim.AdamW`; a bare `Adam` imported with `from torch.optim import Adam` becomes
 * `AdamW`, added to that import (unless the file already imports it).
 */
function adamWFix(file: PythonFile, call: Node): Fix | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const title = 'Use AdamW';
  if (fn.type === 'attribute') {
    const attribute = fn.childForFieldName('attribute');
    if (attribute?.text !== 'Adam') return undefined;
    return { title, isPreferred: true, edits: [{ range: file.range(attribute), newText: 'AdamW' }] };
  }
  if (fn.type !== 'identifier') return undefined;
  const existing = [...file.imports.values()].find((b) => b.qualified === 'torch.optim.AdamW' && b.moduleLevel);
  const edits: TextEdit[] = [{ range: file.range(fn), newText: existing?.local ?? 'AdamW' }];
  if (!existing) {
    const binding = file.imports.get(fn.text);
    if (binding?.node.type !== 'import_from_statement') return undefined;
    const imported = binding.node.childrenForFieldName('name').find((n) => n !== null && (n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text) === fn.text);
    if (!imported) return undefined;
    const end = file.range(imported).end;
    edits.push({ range: { start: end, end }, newText: ', AdamW' });
  }
  return { title, isPreferred: true, edits };
}
