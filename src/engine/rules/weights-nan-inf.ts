import { WHOLE_FILE, type ModelRule, type RuleHit } from './rule';

export const weightsNanInf: ModelRule = {
  code: 'weights-nan-inf',
  drawback: 'hyperparameters',
  defaultSeverity: 'error',
  usesWeights: true,
  title: 'Model weights contain NaN or infinite values',
  explanation: `
A weight that is NaN or infinite makes every output it touches NaN: the model is broken, whatever its
accuracy was when the file was written. It usually means training diverged — a learning rate too
high for the optimizer, no gradient clipping, fp16 overflow without loss scaling, a log or division of
zero — and the checkpoint was saved after the fact.

DL Doctor streams the weights of safetensors files and PyTorch archives (within a time and size
budget for large files) and counts NaN and infinite values per tensor.

## How to fix
Go back to the last checkpoint without them, lower the learning rate or add warm-up, clip gradients
(\`torch.nn.utils.clip_grad_norm_\`), use bf16 or a loss scaler with fp16, and stop training on a NaN loss
instead of saving it.
`,
  checkModel(model): RuleHit[] {
    const stats = 'summary' in model ? model.summary.stats : undefined;
    if (!stats) return [];
    const bad = Object.entries(stats.tensors).filter(([, s]) => s.nan + s.inf > 0);
    if (bad.length === 0) return [];
    const nan = bad.reduce((n, [, s]) => n + s.nan, 0);
    const inf = bad.reduce((n, [, s]) => n + s.inf, 0);
    const names = bad.slice(0, 4).map(([name, s]) => `${name} (${s.nan + s.inf} of ${s.count})`).join(', ');
    return [
      {
        range: WHOLE_FILE,
        message:
          `${nan.toLocaleString('en-US')} NaN and ${inf.toLocaleString('en-US')} infinite weights in ${bad.length} tensor${bad.length === 1 ? '' : 's'}: ${names}${bad.length > 4 ? ', ...' : ''}. ` +
          `The model outputs NaN; training probably diverged. Use an earlier checkpoint and lower the learning rate or clip gradients.`,
        evidence: [
          ...bad.slice(0, 8).map(([name, t]) => `\`${name}\`: ${t.nan.toLocaleString('en-US')} NaN, ${t.inf.toLocaleString('en-US')} infinite of ${t.count.toLocaleString('en-US')} values`),
          ...(bad.length > 8 ? [`… and ${bad.length - 8} more tensors`] : []),
        ],
        data: { tensors: bad.map(([name]) => name), nan, inf },
      },
    ];
  },
};
