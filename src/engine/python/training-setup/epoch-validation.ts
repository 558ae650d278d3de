import type { Node } from 'web-tree-sitter';
import type { PythonFile } from '../python-file';
import { resolveValue } from './config-values';
import type { EpochSetting } from './epochs';

/** `model.eval()`; `torch.no_grad()` alone is not enough — GAN loops use it to draw sample images. */
const EVAL_CALLS = new Set(['eval']);

/**
 * Whether the run measures a held-out score while it trains — what early stopping would monitor.
 * Without one the advice does not apply (GANs, diffusion and RL loops have no validation loss), and a
 * missing validation set is a different problem.
 */
export function validatesWhileTraining(file: PythonFile, setting: EpochSetting): boolean {
  switch (setting.source) {
    case 'keras-fit': {
      const split = resolveValue(file, file.keywordArgument(setting.site, 'validation_split'))?.value;
      return !!file.keywordArgument(setting.site, 'validation_data') || (typeof split === 'number' && split > 0);
    }
    case 'lightning':
      return file.functions.has('validation_step') || file.calls.some((c) => file.calleeTail(c) === 'fit' && (!!file.keywordArgument(c, 'val_dataloaders') || !!file.keywordArgument(c, 'datamodule')));
    case 'hugging-face': {
      const strategy = file.keywordArgument(setting.site, 'eval_strategy') ?? file.keywordArgument(setting.site, 'evaluation_strategy');
      const value = resolveValue(file, strategy)?.value;
      // `IntervalStrategy.EPOCH` does not resolve to a string; anything but "no" evaluates.
      return !!strategy && value !== 'no';
    }
    case 'loop': {
      const body = setting.site.childForFieldName('body');
      return !!body && evaluates(file, body, 1);
    }
  }
}

function evaluates(file: PythonFile, node: Node, depth: number): boolean {
  for (const call of node.descendantsOfType('call')) {
    if (!call) continue;
    if (EVAL_CALLS.has(file.calleeTail(call) ?? '')) return true;
    const fn = file.localCallee(call);
    if (!fn) continue;
    if (/eval|valid|test/i.test(fn.childForFieldName('name')?.text ?? '')) return true;
    if (depth > 0 && evaluates(file, fn, depth - 1)) return true;
  }
  return false;
}
